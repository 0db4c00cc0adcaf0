import { expect, test } from '@jest/globals';
import * as fc from 'fast-check';
import { fakeClock } from './clock.js';
import { workQueue } from './workQueue.js';

/** Yields to other workers for `n` microtask turns. */
async function pause(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

const key = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const op = fc.oneof(
  fc.record({ t: fc.constant('add' as const), k: key, initial: fc.boolean() }),
  fc.record({ t: fc.constant('get' as const) }),
  fc.record({ t: fc.constant('done' as const), i: fc.nat() }),
  fc.record({ t: fc.constant('after' as const), k: key, ms: fc.integer({ min: 0, max: 50 }) }),
  fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 30 }) }),
);

test('against a model: no key in flight twice, no spurious or lost run, normal before initial', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
      const clock = fakeClock();
      const q = workQueue({ clock });
      // Model: keys added since their last start (true = low priority), in flight, and waiting.
      const needs = new Map<string, boolean>();
      const inFlight: string[] = [];
      const waiting = new Map<string, number>();
      const violations: string[] = [];
      const modelAdd = (k: string, low: boolean): void => {
        needs.set(k, low && (needs.get(k) ?? true));
      };
      const serve = (k: string): void => {
        if (inFlight.includes(k)) violations.push(`${k} handed out while in flight`);
        if (!needs.has(k)) violations.push(`${k} handed out without an add`);
        const readyNormal = [...needs].some(([n, low]) => !low && !inFlight.includes(n));
        if (readyNormal && needs.get(k) === true)
          violations.push(`${k} (initial) served before a normal key`);
        needs.delete(k);
        inFlight.push(k);
      };
      const ready = (): number => [...needs.keys()].filter((k) => !inFlight.includes(k)).length;
      for (const o of ops) {
        if (o.t === 'add') {
          q.add(o.k, { initial: o.initial });
          modelAdd(o.k, o.initial);
        } else if (o.t === 'get') {
          const k = q.tryGet();
          if (k !== undefined) serve(k);
          else if (ready() > 0) violations.push('nothing handed out while keys were ready');
        } else if (o.t === 'done' && inFlight.length > 0) {
          for (const k of inFlight.splice(o.i % inFlight.length, 1)) q.done(k);
        } else if (o.t === 'after') {
          q.addAfter(o.k, o.ms);
          const at = clock.now() + o.ms;
          if (o.ms === 0) modelAdd(o.k, false);
          else if ((waiting.get(o.k) ?? Infinity) > at) waiting.set(o.k, at);
        } else if (o.t === 'tick') {
          clock.advance(o.ms);
          for (const [k, at] of waiting) {
            if (at > clock.now()) continue;
            waiting.delete(k);
            modelAdd(k, false);
          }
        }
        if (q.len() !== ready()) violations.push(`len ${q.len()} but ${ready()} ready`);
        if (q.inFlight() !== inFlight.length)
          violations.push(`inFlight ${q.inFlight()} vs ${inFlight.length}`);
      }
      // Finish everything: every key added since its last start must run once more.
      clock.advance(1000);
      for (const [k] of waiting) modelAdd(k, false);
      for (const k of inFlight.splice(0)) q.done(k);
      for (let k = q.tryGet(); k !== undefined; k = q.tryGet()) {
        serve(k);
        inFlight.splice(inFlight.indexOf(k), 1);
        q.done(k);
      }
      expect(violations).toEqual([]);
      expect([...needs.keys()]).toEqual([]);
    }),
    { numRuns: 500 },
  );
});

test('many async workers: never the same key twice at once, and every add is followed by a run', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 8 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 19 }), fc.nat({ max: 3 })), {
        minLength: 1,
        maxLength: 200,
      }),
      fc.array(fc.nat({ max: 4 }), { minLength: 1, maxLength: 16 }),
      async (workers, adds, pauses) => {
        const q = workQueue<number>();
        const active = new Set<number>();
        const lastAdd = new Map<number, number>();
        const lastStart = new Map<number, number>();
        let clock = 0;
        let overlaps = 0;
        const worker = async (w: number): Promise<void> => {
          for (let i = w; ; i++) {
            const k = await q.get();
            if (k === undefined) return;
            if (active.has(k)) overlaps++;
            active.add(k);
            lastStart.set(k, clock++);
            await pause(pauses[i % pauses.length] ?? 0);
            active.delete(k);
            q.done(k);
          }
        };
        const running = Array.from({ length: workers }, (_, w) => worker(w));
        for (const [k, wait] of adds) {
          lastAdd.set(k, clock++);
          q.add(k);
          await pause(wait);
        }
        while (q.len() > 0 || q.inFlight() > 0) await new Promise((r) => setImmediate(r));
        const result = await q.drain();
        await Promise.all(running);
        expect(result.drained).toBe(true);
        expect(overlaps).toBe(0);
        for (const [k, added] of lastAdd) expect(lastStart.get(k)).toBeGreaterThan(added);
      },
    ),
    { numRuns: 200 },
  );
});
