/**
 * Request throughput of the client: GETs per second of one ConfigMap through `kubeClient` (keep-alive
 * transport, no rate limit), against client-node's own `CoreV1Api.readNamespacedConfigMap` on the same
 * embedded server in the same run. Both at the same concurrency.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { startApiServer } from '@steward/apiserver';
import { median, report } from '../../apiserver/bench/fixtures.js';
import { clientFor } from '../src/client/testServer.fixture.js';
import { builtin } from '../src/index.js';

const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 5000);
const CONCURRENCY = 16;
const ROUNDS = 5;

async function rate(run: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) await run();
    }),
  );
  return REQUESTS / ((performance.now() - t0) / 1000);
}

const server = await startApiServer({ port: 0 });
const { kc, client } = clientFor(server);
try {
  await client.create(builtin.configmaps, {
    metadata: { name: 'bench', namespace: 'default' },
    data: { key: 'x'.repeat(2000) },
  });
  const core = kc.makeApiClient(CoreV1Api);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    ours.push(await rate(() => client.get(builtin.configmaps, 'bench', { namespace: 'default' })));
    theirs.push(await rate(() => core.readNamespacedConfigMap({ name: 'bench', namespace: 'default' })));
  }
  const value = median(ours);
  const baseline = median(theirs);
  report({
    name: 'client get (concurrency 16) vs client-node CoreV1Api',
    value: Math.round(value),
    unit: 'requests/s',
    baseline: Math.round(baseline),
  });
} finally {
  client.close();
  await server.stop();
}
