/**
 * The Node 24 leg's guard: proves that this run really is Node 24 with @kubernetes/client-node 2.x,
 * and that a 2.x `KubeConfig` drives Steward's client against the embedded API server. Start with
 * `run.sh` beside this file, which runs it with the client and informer tests.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import type { ApiServer } from '@steward/apiserver';
import { builtin } from '../../packages/core/src/client/resourceRef.js';
import { clientFor } from '../../packages/core/src/client/testServer.fixture.js';
import type { KubeObject } from '../../packages/core/src/client/types.js';

const major = (version: string): number => Number(version.split('.')[0]);

let server: ApiServer;

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
});

afterAll(async () => {
  await server.stop();
});

test('the runtime is Node 24', () => {
  expect(major(process.versions.node)).toBe(24);
});

test('@kubernetes/client-node resolves to 2.x, the copy run.sh cached', async () => {
  // A name in a variable: resolved by Jest's moduleNameMapper at run time, not by the type-checker.
  const specifier = '@kubernetes/client-node/package.json';
  const pkg = (await import(specifier, { with: { type: 'json' } })) as {
    default: { name: string; version: string };
  };
  expect(pkg.default.name).toBe('@kubernetes/client-node');
  expect(major(pkg.default.version)).toBe(2);
});

test('the fixture builds its KubeConfig from the same 2.x module, and the client works through it', async () => {
  const { kc, client } = clientFor(server);
  try {
    // The cached 2.x file itself, by absolute path: had the fixture loaded 1.4, the classes would differ.
    const cached = (await import(`${process.env['STEWARD_CLIENT_NODE2'] ?? ''}/dist/index.js`)) as {
      KubeConfig: abstract new () => unknown;
    };
    expect(kc).toBeInstanceOf(cached.KubeConfig);
    const configMap: KubeObject = {
      metadata: { name: 'node24-check', namespace: 'default' },
      data: { node: process.versions.node },
    };
    const created = await client.create(builtin.configmaps, configMap);
    expect(created.metadata.uid).toBeTruthy();
    const got = await client.get(builtin.configmaps, 'node24-check', { namespace: 'default' });
    expect(got['data']).toEqual({ node: process.versions.node });
  } finally {
    client.close();
  }
});
