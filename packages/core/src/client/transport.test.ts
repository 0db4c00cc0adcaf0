import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { startApiServer } from '@steward/apiserver';
import type { ApiServer } from '@steward/apiserver';
import { kubeClient } from './kubeClient.js';
import { builtin } from './resourceRef.js';

let server: ApiServer;
const seen: { authorization: string | undefined; userAgent: string | undefined; port: number | undefined }[] =
  [];

beforeAll(async () => {
  server = await startApiServer({
    port: 0,
    onRequest: (req) => {
      seen.push({
        authorization: req.headers.authorization,
        userAgent: req.headers['user-agent'],
        port: req.socket.remotePort,
      });
      return Promise.resolve(false);
    },
  });
});

afterAll(async () => {
  await server.stop();
});

function configWith(user: Record<string, unknown>): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: server.url, skipTLSVerify: true }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

test('the kubeconfig token goes out as a bearer header with our User-Agent', async () => {
  const client = kubeClient(configWith({ token: 'secret-token' }), { userAgent: 'steward-test/1' });
  seen.length = 0;
  await client.get(builtin.namespaces, 'default');
  client.close();
  expect(seen[0]).toMatchObject({ authorization: 'Bearer secret-token', userAgent: 'steward-test/1' });
});

test('basic auth from username/password', async () => {
  const client = kubeClient(configWith({ username: 'ann', password: 'pw' }));
  seen.length = 0;
  await client.get(builtin.namespaces, 'default');
  client.close();
  expect(seen[0]?.authorization).toBe(`Basic ${Buffer.from('ann:pw').toString('base64')}`);
});

test('sequential requests reuse one keep-alive connection', async () => {
  const client = kubeClient(configWith({ token: 't' }));
  seen.length = 0;
  for (let i = 0; i < 5; i++) await client.get(builtin.namespaces, 'default');
  client.close();
  expect(new Set(seen.map((s) => s.port)).size).toBe(1);
});

test('the QPS limit spaces requests out (burst first)', async () => {
  const client = kubeClient(configWith({ token: 't' }), { qps: 20, burst: 2 });
  const started = performance.now();
  await Promise.all(Array.from({ length: 4 }, () => client.get(builtin.namespaces, 'default')));
  client.close();
  // Two from the burst, two more at 20/s: at least ~100 ms in total. A lower bound, not a speed assertion.
  expect(performance.now() - started).toBeGreaterThanOrEqual(90);
});
