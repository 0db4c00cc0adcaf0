/**
 * Informer ingest: 50k Pods (≈ 6 KB each) listed into an informer through `kubeClient` from the
 * embedded API server running in a child process (`steward-apiserver`), as a real cluster is another
 * process: the server's JSON serialisation and HTTP work are not counted against the client, and they
 * overlap ours on another CPU. Lines: objects/s of a paged LIST (500 a page, as client-go), and of a
 * streaming WatchList (`sendInitialEvents`, over as many Pods in another namespace), against plain
 * `JSON.parse` of the same LIST page bytes; the LIST rate also against fetch + parse of the same
 * pages (the informer's own cost) and against fetching them as text (the server's pace, a ceiling for
 * paging); heap bytes per cached Pod
 * against client-node's `makeInformer` cache of the same Pods. All baselines are measured in the same
 * run. `BENCH_PODS=n` changes the count.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CoreV1Api, KubeConfig, makeInformer } from '@kubernetes/client-node';
import { createMany, podOf, report } from '../../apiserver/bench/fixtures.js';
import { builtin, informer, kubeClient } from '../src/index.js';

const COUNT = Number(process.env['BENCH_PODS'] ?? 50_000);
const PAGE = 500;
/**
 * Pods for the WatchList line, in their own namespace: all of them, as the embedded server streams a
 * WatchList's initial events as the socket drains (it used to write them at once, and closed the watch
 * past 64 MiB queued: ≈ 9 000 of these Pods).
 */
const STREAMED = COUNT;
const gc = (globalThis as { gc?: () => void }).gc;
function heap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** Starts `steward-apiserver` from source in a child process; resolves once it prints its URL. */
async function startServerProcess(kubeconfig: string) {
  const root = new URL('../../..', import.meta.url).pathname;
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
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Never leave the server behind, even when the benchmark throws.
  process.once('exit', () => child.kill());
  for await (const line of createInterface({ input: child.stdout })) {
    const m = /^listening on (\S+)/.exec(line);
    if (m?.[1] !== undefined) {
      return {
        url: m[1],
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
  }
  throw new Error('steward-apiserver exited before listening');
}

/** Fetches every LIST page as text, one after another; `parse` also parses each (else a regex finds the token). */
async function fetchPages(url: string, parse: boolean): Promise<string[]> {
  const pages: string[] = [];
  let token = '';
  do {
    const q = `limit=${PAGE}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const text = await (await fetch(`${url}/api/v1/namespaces/bench/pods?${q}`)).text();
    pages.push(text);
    token = parse
      ? ((JSON.parse(text) as { metadata: { continue?: string } }).metadata.continue ?? '')
      : (/"continue":"([^"]*)"/.exec(text.slice(0, 1000))?.[1] ?? '');
  } while (token);
  return pages;
}

/** Objects/s into a fresh informer until synced; returns the rate and the heap its cache holds. */
async function ingest(
  client: ReturnType<typeof kubeClient>,
  namespace: string,
  count: number,
  watchList: boolean,
): Promise<{ rate: number; bytesPerObject: number }> {
  const before = heap();
  const pods = informer({
    listWatcher: client,
    ref: builtin.pods,
    namespace,
    pageSize: PAGE,
    watchList,
  });
  const t0 = performance.now();
  pods.start();
  await pods.waitForSync();
  const rate = count / ((performance.now() - t0) / 1000);
  if (pods.store.size !== count) throw new Error(`cached ${pods.store.size} Pods, created ${count}`);
  const bytesPerObject = (heap() - before) / count;
  await pods.stop();
  heap();
  return { rate, bytesPerObject };
}

const dir = mkdtempSync(join(tmpdir(), 'informer-bench-'));
const server = await startServerProcess(join(dir, 'kubeconfig'));
const kc = new KubeConfig();
kc.loadFromFile(join(dir, 'kubeconfig'));
const client = kubeClient(kc, { qps: Infinity });
try {
  await client.create(builtin.namespaces, { metadata: { name: 'bench' } });
  await createMany(`${server.url}/api/v1/namespaces/bench/pods`, COUNT, (i) => podOf(i, 'bench'), 64);

  await client.create(builtin.namespaces, { metadata: { name: 'stream' } });
  await createMany(`${server.url}/api/v1/namespaces/stream/pods`, STREAMED, (i) => podOf(i, 'stream'), 64);

  // Baselines: the pages fetched over HTTP (the server's pace), and fetched and parsed; then only
  // JSON.parse of the same bytes, timed.
  const s0 = performance.now();
  await fetchPages(server.url, false);
  const fetchRate = COUNT / ((performance.now() - s0) / 1000);
  const f0 = performance.now();
  const pages = await fetchPages(server.url, true);
  const fetchParseRate = COUNT / ((performance.now() - f0) / 1000);
  const p0 = performance.now();
  let parsed = 0;
  for (const text of pages) parsed += (JSON.parse(text) as { items: unknown[] }).items.length;
  const parseRate = parsed / ((performance.now() - p0) / 1000);
  pages.length = 0;

  const listed = await ingest(client, 'bench', COUNT, false);
  const streamed = await ingest(client, 'stream', STREAMED, true);

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

  const unit = 'objects/s listed into the cache (higher is better)';
  report({
    name: 'core.informer.ingest.pods',
    value: Math.round(listed.rate),
    unit,
    baseline: Math.round(parseRate),
    baselineName: 'JSON.parse of the same page bytes',
    objects: COUNT,
  });
  report({
    name: 'core.informer.ingest.pods.watchList',
    value: Math.round(streamed.rate),
    unit: 'objects/s streamed into the cache by WatchList (higher is better)',
    baseline: Math.round(parseRate),
    baselineName: 'JSON.parse of the LIST page bytes (per object)',
    objects: STREAMED,
  });
  report({
    name: 'core.informer.ingest.pods.vsFetch',
    value: Math.round(listed.rate),
    unit,
    baseline: Math.round(fetchParseRate),
    baselineName: 'fetch + JSON.parse of the same pages from the same server',
    objects: COUNT,
  });
  report({
    name: 'core.informer.ingest.pods.vsServer',
    value: Math.round(listed.rate),
    unit,
    baseline: Math.round(fetchRate),
    baselineName: 'fetch of the same pages as text, one after another (the server and HTTP pace)',
    objects: COUNT,
  });
  report({
    name: 'core.informer.heap.pods',
    value: Math.round(listed.bytesPerObject),
    unit: 'heap bytes/cached Pod (lower is better)',
    baseline: Math.round(baseline),
    baselineName: "client-node makeInformer's cache",
    objects: COUNT,
  });
} finally {
  client.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
