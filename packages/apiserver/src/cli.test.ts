// The steward-apiserver process: starts, prints its address, writes a kubeconfig kubectl accepts, and
// stops cleanly on SIGTERM.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { parseCli } from './cli.js';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steward-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('parses flags and rejects a bad port with a message that says what to do', () => {
  expect(parseCli(['--port', '8080', '--host', '127.0.0.2', '--kubeconfig', '/tmp/k'])).toEqual({
    port: 8080,
    host: '127.0.0.2',
    kubeconfig: '/tmp/k',
  });
  expect(parseCli(['-h'])).toBe('help');
  expect(() => parseCli(['--port', 'x'])).toThrow('--port must be an integer from 0 to 65535');
  expect(() => parseCli(['--nope'])).toThrow(/Unknown option '--nope'/);
});

test('serves kubectl through the kubeconfig it writes, and exits 0 on SIGTERM', async () => {
  const kubeconfig = join(dir, 'kubeconfig');
  const child = spawn(
    process.execPath,
    [
      '--import',
      join(root, 'scripts/ts-register.mjs'),
      join(root, 'packages/apiserver/src/main.ts'),
      '--port',
      '0',
      '--kubeconfig',
      kubeconfig,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', () => reject(new Error('steward-apiserver exited before it was ready')));
  });
  expect(firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
  expect(await readFile(kubeconfig, 'utf8')).toContain(firstLine.replace('listening on ', ''));
  const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'version', '-o', 'json']);
  expect(JSON.parse(stdout)).toHaveProperty('serverVersion.major', '1');
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});
