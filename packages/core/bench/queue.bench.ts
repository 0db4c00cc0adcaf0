/**
 * Work queue throughput: steady add+get+done per second through `workQueue()`, against a minimal
 * array-and-Set queue with the same client-go semantics (dirty and processing sets, no priority,
 * delays or metrics) in the same run. Targets: ≥ 2 M/s and ratio ≥ 0.5. A second line measures the
 * async path (`await get()`) against the minimal queue behind an `await`.
 */
import { median, report as shared } from '../../apiserver/bench/fixtures.js';
import { workQueue } from '../src/index.js';

const KEYS = 4096; // distinct keys, cycled: each add is of a key not queued at the time
const DEPTH = 64; // keys kept queued, so get never sees an empty queue
const OPS = Number(process.env['BENCH_QUEUE_OPS'] ?? 2_000_000);
const ROUNDS = 7;
const keys = Array.from({ length: KEYS }, (_, i) => `namespace-${i % 16}/object-${i}`);

interface SyncQueue {
  add(key: string): void;
  tryGet(): string | undefined;
  done(key: string): void;
}

/** The baseline: client-go's queue reduced to an array and two Sets. */
function minimalQueue(): SyncQueue & { get(): Promise<string | undefined> } {
  const queue: string[] = [];
  const dirty = new Set<string>();
  const processing = new Set<string>();
  const tryGet = (): string | undefined => {
    const key = queue.shift();
    if (key === undefined) return undefined;
    processing.add(key);
    dirty.delete(key);
    return key;
  };
  return {
    add(key) {
      if (dirty.has(key)) return;
      dirty.add(key);
      if (!processing.has(key)) queue.push(key);
    },
    tryGet,
    get: () => Promise.resolve(tryGet()),
    done(key) {
      processing.delete(key);
      if (dirty.has(key)) queue.push(key);
    },
  };
}

function prefill(q: { add(key: string): void }): void {
  for (const key of keys.slice(0, DEPTH)) q.add(key);
}

/** add+get+done per second, synchronously. */
function steady(q: SyncQueue): number {
  prefill(q);
  const t0 = performance.now();
  for (let i = DEPTH; i < OPS + DEPTH; i++) {
    q.add(keys[i & (KEYS - 1)] ?? '');
    const k = q.tryGet();
    if (k !== undefined) q.done(k);
  }
  return OPS / ((performance.now() - t0) / 1000);
}

/** add+get+done per second, with a worker awaiting `get()`. */
async function steadyAsync(
  q: SyncQueue & { get(): Promise<string | undefined> },
  ops: number,
): Promise<number> {
  prefill(q);
  const t0 = performance.now();
  for (let i = DEPTH; i < ops + DEPTH; i++) {
    q.add(keys[i & (KEYS - 1)] ?? '');
    const k = await q.get();
    if (k !== undefined) q.done(k);
  }
  return ops / ((performance.now() - t0) / 1000);
}

function report(name: string, value: number, baseline: number, extra: Record<string, unknown>): void {
  shared({ name, value: Math.round(value), unit: 'ops/s', baseline: Math.round(baseline), ...extra });
}

// Warm both up so the timed rounds measure optimised code.
steady(workQueue());
steady(minimalQueue());

const ours: number[] = [];
const minimal: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  // Alternate, so drift on a shared machine hits both alike.
  ours.push(steady(workQueue()));
  minimal.push(steady(minimalQueue()));
}
report('workqueue add+get+done', median(ours), median(minimal), {
  baselineName: 'array+Set queue',
  target: '≥ 2M ops/s, ratio ≥ 0.5',
  ops: OPS,
});

// The same with metrics hooks that do nothing: the cost of the timestamps the metrics need.
const noop = (): void => {};
const metrics = { depth: noop, add: noop, queueDuration: noop, workDuration: noop, retry: noop };
const withMetrics: number[] = [];
for (let r = 0; r < ROUNDS; r++) withMetrics.push(steady(workQueue({ metrics })));
report('workqueue add+get+done with metrics', median(withMetrics), median(minimal), {
  baselineName: 'array+Set queue',
  ops: OPS,
});

const asyncOps = OPS / 4;
await steadyAsync(workQueue(), asyncOps);
await steadyAsync(minimalQueue(), asyncOps);
const oursAsync: number[] = [];
const minimalAsync: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  oursAsync.push(await steadyAsync(workQueue(), asyncOps));
  minimalAsync.push(await steadyAsync(minimalQueue(), asyncOps));
}
report('workqueue add+await get+done', median(oursAsync), median(minimalAsync), {
  baselineName: 'array+Set queue, awaited',
  ops: asyncOps,
});
