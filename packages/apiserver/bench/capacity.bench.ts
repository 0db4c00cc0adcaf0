/**
 * Capacity: the server holds 100k objects (ConfigMaps of about 1 KB), lists them all page by page, and
 * reports the heap it uses per object against the baseline of the same objects parsed and held in a
 * Map in the same process (what a naive in-memory store costs).
 */
import { startApiServer } from '@steward/apiserver';
import { createMany, report } from './fixtures.js';

const COUNT = Number(process.env['BENCH_OBJECTS'] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
function heap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

function configMap(i: number): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `cm-${i}`, namespace: 'default', labels: { app: 'capacity', shard: String(i % 32) } },
    data: { 'settings.conf': `shard=${i % 32}\n${'key=value\n'.repeat(80)}` },
  };
}

const before = heap();
const server = await startApiServer({ port: 0 });
try {
  const t0 = performance.now();
  await createMany(`${server.url}/api/v1/namespaces/default/configmaps`, COUNT, configMap, 64);
  const createSeconds = (performance.now() - t0) / 1000;
  const serverBytes = heap() - before;

  let listed = 0;
  let token = '';
  const sample: unknown[] = [];
  do {
    const res = await fetch(
      `${server.url}/api/v1/namespaces/default/configmaps?limit=5000${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
    );
    const page = (await res.json()) as { items: unknown[]; metadata: { continue?: string } };
    listed += page.items.length;
    if (sample.length === 0) sample.push(...page.items.slice(0, 1000));
    token = page.metadata.continue ?? '';
  } while (token);
  if (listed !== COUNT) throw new Error(`listed ${listed} objects, created ${COUNT}`);

  // Baseline: the same objects as parsed JSON in a Map (extrapolated from 20k copies of real items).
  const baseStart = heap();
  const held = new Map<string, unknown>();
  const n = Math.min(COUNT, 20_000);
  for (let i = 0; i < n; i++) held.set(`k${i}`, JSON.parse(JSON.stringify(sample[i % sample.length])));
  const baselinePerObject = (heap() - baseStart) / n;
  held.clear();

  report({
    name: 'apiserver.capacity.configmaps',
    value: Math.round(serverBytes / COUNT),
    unit: 'heap bytes/object (lower is better)',
    baseline: Math.round(baselinePerObject),
    objects: COUNT,
    listedPaged: listed,
    createPerSecond: Math.round(COUNT / createSeconds),
    note: 'the server keeps each object parsed and as JSON text (LIST and watch write the text), plus watch history',
  });
} finally {
  await server.stop();
}
