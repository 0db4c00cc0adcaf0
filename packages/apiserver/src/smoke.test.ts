// Smoke test: the embedded server starts on a free port and the real kubectl talks to it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startApiServer, type ApiServer } from './index.js';

const run = promisify(execFile);
let server: ApiServer;
let dir: string;

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'steward-smoke-'));
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

test('listens on a free loopback port', () => {
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(server.port).toBeGreaterThan(0);
});

test('kubectl reads the server version through the written kubeconfig', async () => {
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, JSON.stringify(server.kubeConfig));
  const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'version', '-o', 'json']);
  const version = JSON.parse(stdout) as { serverVersion?: { major?: string; minor?: string } };
  expect(version.serverVersion).toMatchObject({ major: '1', minor: '37' });
});

test('a known group with an unknown resource gets the 404 Status the real server sends', async () => {
  const res = await fetch(`${server.url}/apis/apps/v1/things`);
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    details: {},
    code: 404,
  });
});

test("an unknown API group gets the mux's plain-text 404", async () => {
  const res = await fetch(`${server.url}/apis/nope.example.com/v1/things`);
  expect(res.status).toBe(404);
  expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(await res.text()).toBe('404 page not found\n');
});
