/**
 * `steward manifests <module> --out <dir>`: writes the files that run an operator in a cluster
 * (`generateManifests`) into `<dir>`, and a Dockerfile into `<dir>`'s parent, the project root.
 * Start with {@link writeManifests}; {@link register} wires it into the program.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../cliError.js';
import { loadModule } from '../load/loadModule.js';
import { dockerfileFor } from '../manifests/dockerfile.js';
import { generateManifests } from '../manifests/generate.js';
import { pickOperator } from '../manifests/pickOperator.js';
import type { ProgramIO } from '../program.js';

export interface ManifestsCommandOptions {
  out: string;
  image?: string;
  namespace?: string;
  replicas?: string;
  operator?: string;
  dockerfile?: boolean;
}

/**
 * Loads `module`, generates its operator's manifests into `options.out` and, unless one exists (it
 * may be edited) or `dockerfile: false`, writes `Dockerfile` beside the output directory. Returns the
 * paths written, for the command to print.
 */
export async function writeManifests(module: string, options: ManifestsCommandOptions): Promise<string[]> {
  const operator = pickOperator('manifests', module, await loadModule(module), options.operator);
  const replicas = options.replicas === undefined ? undefined : Number(options.replicas);
  const files = await generateManifests(operator, {
    ...(options.image === undefined ? {} : { image: options.image }),
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    ...(replicas === undefined ? {} : { replicas }),
  });
  const written: string[] = [];
  for (const [path, text] of files) {
    const file = join(options.out, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    written.push(file);
  }
  if (options.dockerfile !== false) {
    // The project root is the Docker build context: `--out deploy` puts the Dockerfile in `./`.
    const root = dirname(resolve(options.out));
    const dockerfile = join(root, 'Dockerfile');
    if (!existsSync(dockerfile)) {
      const packageManager = existsSync(join(root, 'pnpm-lock.yaml')) ? 'pnpm' : 'npm';
      await writeFile(dockerfile, dockerfileFor(operator.name, { packageManager }));
      written.push(join(dirname(options.out), 'Dockerfile'));
    }
  }
  return written;
}

export function register(program: Command, io: ProgramIO): void {
  program
    .command('manifests')
    .description(
      "write an operator's deployment manifests (CRDs, RBAC, ServiceAccount, Deployment, kustomization) and a Dockerfile",
    )
    .argument('<module>', 'the .ts or .js module exporting a defineOperator() value')
    .requiredOption('-o, --out <dir>', 'directory for the manifests (the Dockerfile goes in its parent)')
    .option('--image <ref>', 'the operator image (default <name>:latest)')
    .option('--namespace <ns>', 'namespace the operator runs in (default <name>-system)')
    .option('--replicas <n>', 'Deployment replicas; leader election keeps one active (default 2)')
    .option('--operator <name>', 'which operator, when the module exports several')
    .option('--no-dockerfile', 'do not write a Dockerfile')
    .action(async (module: string, options: ManifestsCommandOptions) => {
      if (options.replicas !== undefined && !/^\d+$/.test(options.replicas))
        throw new CliError('CLI_USAGE', `manifests: --replicas ${options.replicas} is not a whole number`);
      for (const file of await writeManifests(module, options)) io.out(`wrote ${file}\n`);
      io.out(`apply with: kubectl apply -k ${options.out}\n`);
    });
}
