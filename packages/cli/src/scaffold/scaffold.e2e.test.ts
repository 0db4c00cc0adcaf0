/**
 * The generator's end-to-end proof (issue 7's Done-when): scaffold an operator into a temporary
 * directory, install it, and run its generated tests green — standalone (the SDK from `pnpm pack`
 * tarballs, installed by npm as a registry install would be) and inside a pnpm workspace
 * (`workspace:*`). Slow (real installs), so it runs only with STEWARD_E2E=1 (`.ci/run` sets it, after
 * the build: tarballs ship `dist/`). Start at the two tests.
 *
 * The workspace leg uses a throwaway workspace holding the packed packages unpacked (what they publish)
 * and the scaffolded package, never this repository's lockfile or node_modules. It proves that
 * `workspace:*` resolves and the generated project builds and tests there; not that it runs under this
 * repository's own root Jest config (the generated package brings its own).
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { packSdk, stewardWorkspace } from './packSdk.js';
import type { SdkPackage } from './packageJson.js';
import { scaffoldOperator } from './scaffoldOperator.js';

const enabled = process.env['STEWARD_E2E'] === '1';
const e2e = enabled ? describe : describe.skip;
const INSTALL_MS = 10 * 60_000;

interface Run {
  code: number;
  output: string;
}

/** Runs a command with the environment a user's shell would have (none of this Jest's or pnpm's). */
function sh(cwd: string, command: string, args: string[]): Promise<Run> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(npm_|NODE_OPTIONS$|JEST_WORKER_ID$|INIT_CWD$|STEWARD_)/i.test(k),
    ),
  );
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: INSTALL_MS },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        console.log(`${command} ${args.join(' ')} in ${cwd}: exit ${code}, ${Date.now() - started} ms`);
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

function expectOk(run: Run): void {
  expect({ code: run.code, output: run.code === 0 ? '' : run.output.slice(-6000) }).toEqual({
    code: 0,
    output: '',
  });
}

/** The generated suite's Jest JSON: every test passed, and there were some. */
function expectGreen(resultsFile: string): void {
  const r = JSON.parse(readFileSync(resultsFile, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
  };
  expect({ passed: r.numPassedTests, failed: r.numFailedTests }).toEqual({ passed: 3, failed: 0 });
}

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listFiles(root, join(dir, e.name)) : [relative(root, join(dir, e.name))],
    )
    .sort();
}

let tmp = '';
let tarballs: Record<SdkPackage, string>;

e2e('a scaffolded operator installs and its generated tests pass', () => {
  beforeAll(() => {
    const root = stewardWorkspace();
    if (root === undefined) throw new Error('the e2e test runs inside the Steward workspace');
    tmp = mkdtempSync(join(tmpdir(), 'steward-e2e-'));
    tarballs = packSdk(root, join(tmp, 'sdk'));
  });
  afterAll(() => {
    if (tmp !== '') rmSync(tmp, { recursive: true, force: true });
  });

  test(
    '--standalone: npm installs the SDK from the packed tarballs; test, build and manifests work',
    async () => {
      const dir = join(tmp, 'standalone', 'widget-operator');
      await scaffoldOperator({
        dir,
        group: 'example.com',
        kind: 'Widget',
        standalone: true,
        sdk: { tarballs },
      });
      expectOk(await sh(dir, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']));
      const results = join(tmp, 'standalone.json');
      expectOk(await sh(dir, 'npm', ['test', '--', '--json', `--outputFile=${results}`]));
      expectGreen(results);
      expectOk(await sh(dir, 'npm', ['run', 'build']));
      expect(existsSync(join(dir, 'dist', 'main.js'))).toBe(true);
      // The installed CLI regenerates the manifests from the project's own sources: they equal the
      // ones `steward new` wrote from its in-memory model.
      const regen = join(tmp, 'regen', 'manifests');
      expectOk(
        await sh(dir, 'npx', ['steward', 'manifests', 'src/operator.ts', '--out', regen, '--no-dockerfile']),
      );
      const written = join(dir, 'manifests');
      expect(listFiles(regen)).toEqual(listFiles(written));
      for (const file of listFiles(written))
        expect({ file, text: readFileSync(join(regen, file), 'utf8') }).toEqual({
          file,
          text: readFileSync(join(written, file), 'utf8'),
        });
    },
    INSTALL_MS * 2,
  );

  test(
    'in a pnpm workspace: workspace:* links the SDK packages; test and build work',
    async () => {
      const ws = join(tmp, 'workspace');
      mkdirSync(ws, { recursive: true });
      writeFileSync(join(ws, 'package.json'), JSON.stringify({ name: 'e2e-workspace', private: true }));
      writeFileSync(
        join(ws, 'pnpm-workspace.yaml'),
        // The unpacked packages name their siblings by version ("0.0.0"); link those to the workspace.
        "packages:\n  - packages/*\n  - examples/*\nlinkWorkspacePackages: true\nonlyBuiltDependencies:\n  - '@swc/core'\n",
      );
      for (const [pkg, tarball] of Object.entries(tarballs)) {
        const into = join(ws, 'packages', pkg.slice('@steward/'.length));
        mkdirSync(into, { recursive: true });
        expectOk(await sh(into, 'tar', ['-xzf', tarball, '--strip-components=1']));
      }
      // A two-word kind here (Widget in the standalone leg): names, files and object names differ.
      const dir = join(ws, 'examples', 'db-backup-operator');
      await scaffoldOperator({ dir, group: 'backups.acme.io', kind: 'DatabaseBackup' });
      expectOk(await sh(ws, 'pnpm', ['install', '--prefer-offline', '--config.confirmModulesPurge=false']));
      const results = join(tmp, 'workspace.json');
      expectOk(await sh(dir, 'pnpm', ['run', 'test', '--json', `--outputFile=${results}`]));
      expectGreen(results);
      expectOk(await sh(dir, 'pnpm', ['run', 'build']));
      expect(existsSync(join(dir, 'dist', 'main.js'))).toBe(true);
    },
    INSTALL_MS * 2,
  );
});
