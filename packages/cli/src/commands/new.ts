/**
 * `steward new <dir> --group <group> --kind <Kind> [--standalone]`: scaffolds an operator package
 * (`scaffoldOperator`). With `--standalone` the SDK comes from tarballs: `--sdk <dir>`, else packed
 * from the Steward workspace this CLI runs from, else the registry. Start with {@link register}.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { findSdkTarballs, packSdk, stewardWorkspace } from '../scaffold/packSdk.js';
import { scaffoldOperator } from '../scaffold/scaffoldOperator.js';
import type { ScaffoldOptions } from '../scaffold/scaffoldOperator.js';
import type { ProgramIO } from '../program.js';

interface NewCommandOptions {
  group: string;
  kind: string;
  apiVersion: string;
  standalone?: boolean;
  sdk?: string;
}

export function register(program: Command, io: ProgramIO): void {
  program
    .command('new')
    .description('scaffold an operator package: resource, controller, test, README, manifests, Dockerfile')
    .argument('<dir>', 'the new directory (absent or empty); its name names the package and operator')
    .requiredOption('--group <group>', 'API group, a DNS subdomain with a dot (e.g. example.com)')
    .requiredOption('--kind <Kind>', 'the custom resource kind, UpperCamelCase (e.g. Widget)')
    .option('--api-version <version>', 'API version of the resource', 'v1alpha1')
    .option(
      '--standalone',
      'a project outside a pnpm workspace, installing the SDK from tarballs or the registry',
    )
    .option('--sdk <dir>', 'with --standalone: directory of steward-*.tgz made by `pnpm pack`')
    .action(async (dir: string, options: NewCommandOptions) => {
      const scaffold: ScaffoldOptions = {
        dir,
        group: options.group,
        kind: options.kind,
        version: options.apiVersion,
        standalone: options.standalone === true,
      };
      const workspace = stewardWorkspace();
      let packed: string | undefined;
      try {
        if (options.standalone === true && options.sdk !== undefined)
          scaffold.sdk = { tarballs: findSdkTarballs(options.sdk) };
        else if (options.standalone === true && workspace !== undefined) {
          packed = mkdtempSync(join(tmpdir(), 'steward-sdk-'));
          io.out(`packing the Steward SDK from ${workspace}\n`);
          scaffold.sdk = { tarballs: packSdk(workspace, packed) };
        }
        const result = await scaffoldOperator(scaffold);
        for (const file of result.files) io.out(`wrote ${join(dir, file)}\n`);
        const pm = scaffold.standalone ? 'npm' : 'pnpm';
        const cd = relative(process.cwd(), result.dir) || '.';
        io.out(`\nnext: cd ${cd} && ${pm} install && ${pm} test\n`);
      } finally {
        if (packed !== undefined) rmSync(packed, { recursive: true, force: true });
      }
    });
}
