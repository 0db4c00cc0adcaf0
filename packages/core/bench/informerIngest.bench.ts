/**
 * Informer ingest: 50k Pods (≈ 6 KB each) listed from the embedded server into an informer through
 * `kubeClient`. Lines: objects/s against plain `JSON.parse` of the same page bytes (and against fetch +
 * parse of the same pages, which shows the informer's own cost), and heap bytes
 * per cached Pod against client-node's `makeInformer` cache of the same Pods, both in the same run.
 * `BENCH_PODS=n` changes the count.
 */
import { CoreV1Api, makeInformer } from '@kubernetes/client-node';
import { startApiServer } from '@steward/apiserver';
import { createMany, podOf, report } from '../../apiserver/bench/fixtures.js';
import { clientFor } from '../src/client/testServer.fixture.js';
import { builtin, informer } from '../src/index.js';

const COUNT = Number(process.env['BENCH_PODS'] ?? 50_000);
const PAGE = 500;
const gc = (globalThis as { gc?: () => void }).gc;
function heap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

const server = await startApiServer({ port: 0 });
const { kc, client } = clientFor(server);
try {
  await client.create(builtin.namespaces, { metadata: { name: 'bench' } });
  await createMany(`${server.url}/api/v1/namespaces/bench/pods`, COUNT, (i) => podOf(i, 'bench'), 64);

  // Baseline speed: the same pages fetched as text first, then only JSON.parse timed.
  const pages: string[] = [];
  let token = '';
  const f0 = performance.now();
  do {
    const q = `limit=${PAGE}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const text = await (await fetch(`${server.url}/api/v1/namespaces/bench/pods?${q}`)).text();
    pages.push(text);
    token = (JSON.parse(text) as { metadata: { continue?: string } }).metadata.continue ?? '';
  } while (token);
  // Second baseline: the same HTTP pages fetched and parsed (so the informer's own cost shows).
  const fetchParseRate = COUNT / ((performance.now() - f0) / 1000);
  const p0 = performance.now();
  let parsed = 0;
  for (const text of pages) parsed += (JSON.parse(text) as { items: unknown[] }).items.length;
  const parseRate = parsed / ((performance.now() - p0) / 1000);
  pages.length = 0;

  // Ours: list (HTTP, parse, transform, index) until synced; heap held by the cache afterwards.
  const before = heap();
  const pods = informer({ listWatcher: client, ref: builtin.pods, namespace: 'bench', pageSize: PAGE });
  const t0 = performance.now();
  pods.start();
  await pods.waitForSync();
  const ingestRate = COUNT / ((performance.now() - t0) / 1000);
  if (pods.store.size !== COUNT) throw new Error(`cached ${pods.store.size} Pods, created ${COUNT}`);
  const ours = (heap() - before) / COUNT;
  await pods.stop();
  heap();

  // client-node's informer over the same Pods.
  const api = kc.makeApiClient(CoreV1Api);
  const base0 = heap();
  const theirs = makeInformer(kc, '/api/v1/namespaces/bench/pods', () =>
    api.listNamespacedPod({ namespace: 'bench' }),
  );
  await theirs.start();
  if (theirs.list().length !== COUNT) throw new Error(`client-node cached ${theirs.list().length} Pods`);
  const baseline = (heap() - base0) / COUNT;
  await theirs.stop();

  report({
    name: 'core.informer.ingest.pods',
    value: Math.round(ingestRate),
    unit: 'objects/s listed into the cache (higher is better)',
    baseline: Math.round(parseRate),
    baselineName: 'JSON.parse of the same page bytes',
    objects: COUNT,
  });
  report({
    name: 'core.informer.ingest.pods.vsFetch',
    value: Math.round(ingestRate),
    unit: 'objects/s listed into the cache (higher is better)',
    baseline: Math.round(fetchParseRate),
    baselineName: 'fetch + JSON.parse of the same pages from the same server',
    objects: COUNT,
  });
  report({
    name: 'core.informer.heap.pods',
    value: Math.round(ours),
    unit: 'heap bytes/cached Pod (lower is better)',
    baseline: Math.round(baseline),
    baselineName: "client-node makeInformer's cache",
    objects: COUNT,
  });
} finally {
  client.close();
  await server.stop();
}
