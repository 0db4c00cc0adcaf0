import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startApiServer, type ApiServer } from '@steward/apiserver';
import { builtin } from '../client/resourceRef.js';
import { clientFor, createWidgetCrd, widgets } from '../client/testServer.fixture.js';
import type { KubeClient } from '../client/types.js';
import type { Lease } from '../leader/leaseRecord.js';

let server: ApiServer;
let client: KubeClient;
const root = fileURLToPath(new URL('../../../../', import.meta.url));

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
  ({ client } = clientFor(server));
  await createWidgetCrd(client, { spec: { type: 'object' } });
});
afterAll(async () => {
  client.close();
  await server.stop();
});

test('on SIGTERM, run() lets in-flight reconciles finish, releases the lease, and the process exits 0 by itself', async () => {
  const namespace = 'sigterm';
  await client.create(builtin.namespaces, { metadata: { name: namespace } });
  for (const name of ['w1', 'w2']) await client.create(widgets, { metadata: { name, namespace } });
  const child = spawn(
    process.execPath,
    [
      '--import',
      `${root}scripts/ts-register.mjs`,
      fileURLToPath(new URL('./sigtermManager.fixture.ts', import.meta.url)),
    ],
    {
      env: { ...process.env, KUBECONFIG_JSON: JSON.stringify(server.kubeConfig), NAMESPACE: namespace },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines: string[] = [];
  const bothStarted = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (lines.filter((l) => l.startsWith('start ')).length === 2) resolve();
    });
    child.once('exit', () => reject(new Error(`child exited early: ${lines.join('|')}\n${stderr}`)));
  });
  await bothStarted;
  const lease = await client.get<Lease>(builtin.leases, 'sigterm', { namespace });
  expect(lease.spec?.holderIdentity).toBe('child');

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  // Both reconciles ran to their end before run() resolved.
  expect(lines).toEqual(expect.arrayContaining(['start w1', 'start w2', 'end w1', 'end w2']));
  expect(lines.at(-1)).toBe('stopped');
  expect(lines.indexOf('stopped')).toBeGreaterThan(
    Math.max(lines.indexOf('end w1'), lines.indexOf('end w2')),
  );
  // The lease was released, so a successor need not wait out its duration.
  const after = await client.get<Lease>(builtin.leases, 'sigterm', { namespace });
  expect(after.spec?.holderIdentity).toBeUndefined();
  // The JSON logs went to stderr: every line parses.
  const logLines = stderr.trim().split('\n');
  expect(logLines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(
    expect.arrayContaining(['received SIGTERM; stopping', 'manager stopped']),
  );
}, 30_000);
