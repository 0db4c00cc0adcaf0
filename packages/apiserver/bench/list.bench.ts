/**
 * LIST throughput: bytes per second the embedded server serves for a LIST of 10k Pods (≈ 6 KB each),
 * against the baseline of JSON.stringify of the same list in the same process. Target: ratio ≥ 0.5.
 * A second line pages through the same Pods 500 at a time (as client-go's informers list), against
 * the same baseline: paging must not cost more than a page's own work (no per-page sort of the keys).
 */
import { startApiServer } from '@steward/apiserver';
import { createMany, median, podOf, report } from './fixtures.js';

const COUNT = Number(process.env['BENCH_PODS'] ?? 10_000);
const ROUNDS = 7;
const PAGED_ROUNDS = 3;
const PAGE = 500;

const server = await startApiServer({ port: 0 });
try {
  const ns = await fetch(`${server.url}/api/v1/namespaces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } }),
  });
  if (ns.status !== 201) throw new Error(`namespace: ${ns.status} ${await ns.text()}`);
  await createMany(`${server.url}/api/v1/namespaces/bench/pods`, COUNT, (i) => podOf(i, 'bench'));

  const listUrl = `${server.url}/api/v1/namespaces/bench/pods`;
  let body = '';
  const served: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const res = await fetch(listUrl);
    body = await res.text();
    served.push(Buffer.byteLength(body) / ((performance.now() - t0) / 1000));
  }
  const list = JSON.parse(body) as { items: unknown[] };
  if (list.items.length !== COUNT)
    throw new Error(`LIST returned ${list.items.length} items, expected ${COUNT}`);

  const baseline: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const text = JSON.stringify(list);
    baseline.push(Buffer.byteLength(text) / ((performance.now() - t0) / 1000));
  }
  const paged: number[] = [];
  for (let r = 0; r < PAGED_ROUNDS; r++) {
    const t0 = performance.now();
    let bytes = 0;
    let seen = 0;
    let token = '';
    do {
      const q = `limit=${PAGE}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
      const text = await (await fetch(`${listUrl}?${q}`)).text();
      bytes += Buffer.byteLength(text);
      // Only the token is read (the server's pace, not the client's parse); items are counted by
      // their unique `"kind":"Pod"`-free prefix: each built-in list item starts `{"metadata":`.
      seen += text.split('{"metadata":{"name":"pod-').length - 1;
      token = /"continue":"([^"]*)"/.exec(text.slice(0, 1000))?.[1] ?? '';
    } while (token);
    if (seen !== COUNT) throw new Error(`paged LIST returned ${seen} items, expected ${COUNT}`);
    paged.push(bytes / ((performance.now() - t0) / 1000));
  }

  report({
    name: 'apiserver.list.pods',
    value: Math.round(median(served) / 1e6),
    unit: 'MB/s served',
    baseline: Math.round(median(baseline) / 1e6),
    items: COUNT,
    bytes: Buffer.byteLength(body),
    target: 0.5,
  });
  report({
    name: 'apiserver.list.pods.paged',
    value: Math.round(median(paged) / 1e6),
    unit: `MB/s served in pages of ${PAGE}`,
    baseline: Math.round(median(baseline) / 1e6),
    items: COUNT,
    pages: Math.ceil(COUNT / PAGE),
  });
} finally {
  await server.stop();
}
