/**
 * LIST throughput of the client: objects per second for 10k Pods (≈ 6 KB each) listed page by page
 * (limit 500) through `kubeClient`, against client-node's `CoreV1Api.listNamespacedPod` of the same
 * pages on the same embedded server in the same run.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { startApiServer } from '@steward/apiserver';
import { median, report } from '../../apiserver/bench/fixtures.js';
import { clientFor } from '../src/client/testServer.fixture.js';
import { builtin } from '../src/index.js';
import type { KubeObject } from '../src/index.js';

const COUNT = Number(process.env['BENCH_PODS'] ?? 10_000);
const LIMIT = 500;
const ROUNDS = 5;

/** A Pod of about 6 KB: forty environment variables make up most of it, as in controller-made Pods. */
function podOf(i: number): KubeObject {
  const env = Array.from({ length: 40 }, (_, k) => ({
    name: `SETTING_${k}`,
    value: `v-${i}-${k}-${'x'.repeat(90)}`,
  }));
  return {
    metadata: { name: `pod-${i}`, namespace: 'bench', labels: { app: 'bench', shard: String(i % 16) } },
    spec: { containers: [{ name: 'main', image: 'registry.example/postgres:16.4', env }] },
  };
}

const server = await startApiServer({ port: 0 });
const { kc, client } = clientFor(server);
try {
  await client.create(builtin.namespaces, { metadata: { name: 'bench' } });
  for (let i = 0; i < COUNT; i += 32) {
    const batch = Array.from({ length: Math.min(32, COUNT - i) }, (_, k) => podOf(i + k));
    await Promise.all(batch.map((pod) => client.create(builtin.pods, pod)));
  }
  const core = kc.makeApiClient(CoreV1Api);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let t0 = performance.now();
    const list = await client.list(builtin.pods, { namespace: 'bench', limit: LIMIT });
    ours.push(list.items.length / ((performance.now() - t0) / 1000));
    if (list.items.length !== COUNT) throw new Error(`listed ${list.items.length}, want ${COUNT}`);

    t0 = performance.now();
    let seen = 0;
    let token: string | undefined;
    do {
      const page = await core.listNamespacedPod({
        namespace: 'bench',
        limit: LIMIT,
        ...(token === undefined ? {} : { _continue: token }),
      });
      seen += page.items.length;
      // oxlint-disable-next-line no-underscore-dangle -- client-node's name for `continue`
      token = page.metadata?._continue || undefined;
    } while (token !== undefined);
    theirs.push(seen / ((performance.now() - t0) / 1000));
  }
  const value = median(ours);
  const baseline = median(theirs);
  report({
    name: 'client list 10k pods (pages of 500) vs client-node CoreV1Api',
    value: Math.round(value),
    unit: 'objects/s',
    baseline: Math.round(baseline),
  });
} finally {
  client.close();
  await server.stop();
}
