import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from '@jest/globals';
import { run } from '../program.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = fileURLToPath(new URL('../../test/fixtures/operators/widgetOperator.ts', import.meta.url));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}; last error: ${String(last)}`);
}

test('steward dev runs the operator on the embedded server, serves kubectl, and stops on SIGINT with exit 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-dev-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const env = { ...process.env };
  delete env['NODE_OPTIONS']; // Jest's --experimental-vm-modules is not for the child
  const child = spawn(
    process.execPath,
    [
      '--import',
      './scripts/ts-register.mjs',
      'packages/cli/src/main.ts',
      'dev',
      fixture,
      '--kubeconfig',
      kubeconfig,
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const printed = await until(
      'the kubeconfig line',
      async () => /^export KUBECONFIG=(\S+)$/m.exec(stdout)?.[1],
      60_000,
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    });
    expect(printed).toBe(kubeconfig);
    const kubectl = async (...args: string[]) =>
      (await promisify(execFile)('kubectl', ['--kubeconfig', kubeconfig, ...args])).stdout;

    expect(await kubectl('get', 'crds', '-o', 'name')).toContain(
      'customresourcedefinition.apiextensions.k8s.io/widgets.fixtures.steward.dev',
    );
    const manifest = join(dir, 'widget.yaml');
    writeFileSync(
      manifest,
      'apiVersion: fixtures.steward.dev/v1\nkind: Widget\nmetadata:\n  name: hello\nspec:\n  message: hi from dev\n',
    );
    await kubectl('apply', '-f', manifest);
    const message = await until('the operator to write ConfigMap hello-message', async () => {
      const text = await kubectl('get', 'configmap', 'hello-message', '-o', 'jsonpath={.data.message}');
      return text === '' ? undefined : text;
    });
    expect(message).toBe('hi from dev');

    const health = /^health: +(\S+)\/healthz/m.exec(stdout)?.[1] ?? '';
    const metrics = /^metrics: +(\S+)$/m.exec(stdout)?.[1] ?? '';
    expect((await fetch(`${health}/readyz`)).status).toBe(200);
    expect(await (await fetch(metrics)).text()).toMatch(
      /controller_runtime_reconcile_total\{controller="widget",result="success"\} [1-9]/,
    );

    // The cleanup runs behind the finalizer: kubectl delete waits until the Widget is gone.
    await kubectl('delete', 'widget', 'hello', '--timeout=30s');
    expect(await kubectl('get', 'configmap', '--ignore-not-found', 'hello-message')).toBe('');

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toContain('steward dev: SIGINT, stopping widget-operator');
    expect(stdout).toContain('steward dev: stopped');
    expect(existsSync(kubeconfig)).toBe(true);
    expect(readFileSync(kubeconfig, 'utf8')).toContain('127.0.0.1');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

test('steward dev on a module without an operator fails with one line and exit 1', async () => {
  const err: string[] = [];
  const noOperator = fixture.replace('widgetOperator.ts', 'noOperator.ts');
  expect(await run(['dev', noOperator], { out: () => {}, err: (t) => void err.push(t) })).toBe(1);
  expect(err.join('')).toMatch(
    /^steward: dev: .*noOperator\.ts exports no operator; export one made with defineOperator/,
  );
});
