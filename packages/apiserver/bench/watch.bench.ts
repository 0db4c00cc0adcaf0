/**
 * Watch fan-out: 10 watchers of one resource, 10k events; events per second delivered to all watchers,
 * against the baseline of JSON.stringify-ing the same events once per watcher in the same process (the
 * work a naive server would do). The watchers are held (fault API) while the events are written, so the
 * measure is delivery alone, not the HTTP writes that make the events.
 */
import { startApiServer } from '@steward/apiserver';
import { createMany, median, report } from './fixtures.js';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 10_000);
const WATCHERS = 10;

const server = await startApiServer({ port: 0 });
try {
  const base = `${server.url}/api/v1/namespaces/default/configmaps`;
  const controllers: AbortController[] = [];
  const seen: { events: number; done: Promise<void> }[] = [];
  for (let w = 0; w < WATCHERS; w++) {
    const ac = new AbortController();
    controllers.push(ac);
    const res = await fetch(`${base}?watch=true&resourceVersion=0`, { signal: ac.signal });
    const state = { events: 0, done: Promise.resolve() };
    state.done = (async () => {
      const decoder = new TextDecoder();
      let pending = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          pending = pending.slice(nl + 1);
          if (++state.events === EVENTS) return;
        }
      }
    })();
    seen.push(state);
  }

  const events: unknown[] = [];
  const hold = server.faults.holdWatches({});
  if (hold.count !== WATCHERS) throw new Error(`held ${hold.count} watches, expected ${WATCHERS}`);
  await createMany(
    base,
    EVENTS,
    (i) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}`, namespace: 'default' },
      data: { key: 'v'.repeat(512) },
    }),
    32,
    (object) => events.push({ type: 'ADDED', object }),
  );
  const t0 = performance.now();
  hold.release();
  await Promise.all(seen.map((s) => s.done));
  const delivered = (EVENTS * WATCHERS) / ((performance.now() - t0) / 1000);
  for (const ac of controllers) ac.abort();

  const baseline: number[] = [];
  for (let r = 0; r < 5; r++) {
    const b0 = performance.now();
    for (const e of events) for (let w = 0; w < WATCHERS; w++) JSON.stringify(e);
    baseline.push((EVENTS * WATCHERS) / ((performance.now() - b0) / 1000));
  }
  report({
    name: 'apiserver.watch.fanout',
    value: Math.round(delivered),
    unit: 'events/s delivered',
    baseline: Math.round(median(baseline)),
    events: EVENTS,
    watchers: WATCHERS,
  });
} finally {
  await server.stop();
}
