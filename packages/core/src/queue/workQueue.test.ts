import { describe, expect, test } from '@jest/globals';
import { fakeClock } from './clock.js';
import type { WorkQueueMetrics } from './metrics.js';
import { exponentialRateLimiter } from './rateLimiter.js';
import { workQueue } from './workQueue.js';

/** Takes every ready key, marking each done. */
function takeAll(q: { tryGet(): string | undefined; done(k: string): void }): string[] {
  const keys: string[] = [];
  for (let k = q.tryGet(); k !== undefined; k = q.tryGet()) keys.push(k);
  for (const k of keys) q.done(k);
  return keys;
}

describe('dedup and in-flight keys', () => {
  test('a key added many times is queued once, in first-add order', () => {
    const q = workQueue();
    for (const k of ['a', 'b', 'a', 'c', 'b', 'a']) q.add(k);
    expect(q.len()).toBe(3);
    expect(takeAll(q)).toEqual(['a', 'b', 'c']);
  });

  test('a key added while in flight is not handed out again until done, then runs again', () => {
    const q = workQueue();
    q.add('a');
    expect(q.tryGet()).toBe('a');
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0);
    expect(q.tryGet()).toBeUndefined();
    q.done('a');
    expect(q.len()).toBe(1);
    expect(q.tryGet()).toBe('a');
    q.done('a');
    expect(q.tryGet()).toBeUndefined();
  });

  test('done for a key not in flight changes nothing', () => {
    const q = workQueue();
    q.add('a');
    q.done('a');
    q.done('zzz');
    expect(q.len()).toBe(1);
    expect(q.tryGet()).toBe('a');
    expect(q.inFlight()).toBe(1);
  });

  test('get waits for a key, and a waiting worker gets it at once', async () => {
    const q = workQueue();
    const pending = q.get();
    q.add('a');
    expect(q.inFlight()).toBe(1);
    await expect(pending).resolves.toBe('a');
  });
});

describe('priority', () => {
  test('keys from the initial list are served after normally added keys', () => {
    const q = workQueue();
    q.add('init-1', { initial: true });
    q.add('init-2', { initial: true });
    q.add('change');
    expect(takeAll(q)).toEqual(['change', 'init-1', 'init-2']);
  });

  test('a normal add raises a queued initial key, and it is served once', () => {
    const q = workQueue();
    q.add('i1', { initial: true });
    q.add('i2', { initial: true });
    q.add('n');
    q.add('i2');
    q.add('i2', { initial: true }); // does not lower it again
    expect(q.len()).toBe(3);
    expect(takeAll(q)).toEqual(['n', 'i2', 'i1']);
    expect(q.tryGet()).toBeUndefined();
  });

  test('a key re-added as initial while in flight runs again at low priority', () => {
    const q = workQueue();
    q.add('a');
    expect(q.tryGet()).toBe('a');
    q.add('a', { initial: true });
    q.add('b');
    q.done('a');
    expect(takeAll(q)).toEqual(['b', 'a']);
  });
});

describe('delayed and rate-limited adds', () => {
  test('addAfter adds when the delay passes; the earliest time wins', () => {
    const clock = fakeClock();
    const q = workQueue({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 500); // later than the pending 50 ms: ignored
    q.addAfter('b', 70);
    clock.advance(49);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(takeAll(q)).toEqual(['a']);
    clock.advance(20);
    expect(takeAll(q)).toEqual(['b']);
    clock.advance(1000);
    expect(q.len()).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  test('delays beyond the range of a Node timer (24.8 days) still fire on time', () => {
    const clock = fakeClock();
    const q = workQueue({ clock });
    const month = 30 * 24 * 3600 * 1000;
    q.addAfter('a', month);
    clock.advance(2 ** 31 - 1);
    expect(q.len()).toBe(0);
    clock.advance(month - 2 ** 31);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
  });

  test('the system clock drives delayed adds by default', async () => {
    const q = workQueue();
    q.addAfter('a', 5);
    expect(q.len()).toBe(0);
    await expect(q.get()).resolves.toBe('a');
  });

  test('addAfter with no delay adds at once', () => {
    const q = workQueue({ clock: fakeClock() });
    q.addAfter('a', 0);
    expect(q.len()).toBe(1);
  });

  test('addRateLimited backs off exponentially per key; forget resets', () => {
    const clock = fakeClock();
    const q = workQueue({
      clock,
      rateLimiter: exponentialRateLimiter<string>({ baseDelayMs: 10, maxDelayMs: 40 }),
    });
    const readyAfter = (): number => {
      q.addRateLimited('a');
      let waited = 0;
      while (q.len() === 0) {
        clock.advance(1);
        waited++;
      }
      takeAll(q);
      return waited;
    };
    expect([readyAfter(), readyAfter(), readyAfter(), readyAfter()]).toEqual([10, 20, 40, 40]);
    expect(q.numRequeues('a')).toBe(4);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
    expect(readyAfter()).toBe(10);
  });
});

describe('shutdown and drain', () => {
  test('shutDown stops intake, drops queued and delayed keys, and releases waiting workers', async () => {
    const clock = fakeClock();
    const q = workQueue({ clock });
    const waiting = q.get();
    q.add('a'); // handed to the waiting worker
    await expect(waiting).resolves.toBe('a');
    const idle = q.get();
    q.shutDown();
    await expect(idle).resolves.toBeUndefined();
    q.add('b');
    q.addAfter('c', 10);
    clock.advance(100);
    expect(q.len()).toBe(0);
    await expect(q.get()).resolves.toBeUndefined();
    expect(q.shuttingDown).toBe(true);
  });

  test('drain resolves when in-flight keys are done, and re-adds do not run', async () => {
    const q = workQueue({ clock: fakeClock() });
    q.add('a');
    q.add('b');
    q.tryGet();
    q.tryGet();
    q.add('a');
    let result: unknown;
    const draining = q.drain().then((r) => (result = r));
    q.done('a');
    await Promise.resolve();
    expect(result).toBeUndefined();
    q.done('b');
    await draining;
    expect(result).toEqual({ drained: true, unfinished: [] });
    expect(q.tryGet()).toBeUndefined();
  });

  test('drain gives up at its deadline and names the unfinished keys', async () => {
    const clock = fakeClock();
    const q = workQueue({ clock });
    q.add('stuck');
    q.tryGet();
    const draining = q.drain({ deadlineMs: 1000 });
    clock.advance(1000);
    await expect(draining).resolves.toEqual({ drained: false, unfinished: ['stuck'] });
  });

  test('drain with nothing in flight resolves at once', async () => {
    await expect(workQueue().drain()).resolves.toEqual({ drained: true, unfinished: [] });
  });
});

test('metrics hooks report depth, adds, queue and work durations, retries, unfinished work', () => {
  const clock = fakeClock();
  const seen = { depth: [] as number[], adds: 0, queue: [] as number[], work: [] as number[], retries: 0 };
  const metrics: WorkQueueMetrics = {
    depth: (v) => seen.depth.push(v),
    add: () => seen.adds++,
    queueDuration: (s) => seen.queue.push(s),
    workDuration: (s) => seen.work.push(s),
    retry: () => seen.retries++,
  };
  const q = workQueue({ clock, metrics, rateLimiter: exponentialRateLimiter<string>({ baseDelayMs: 1 }) });
  q.add('a');
  q.add('a'); // dedup: not an add
  q.add('b');
  clock.advance(2000);
  q.tryGet();
  clock.advance(500);
  q.tryGet();
  clock.advance(1500);
  expect(q.unfinishedWorkSeconds()).toBeCloseTo(3.5);
  expect(q.longestRunningProcessorSeconds()).toBeCloseTo(2);
  q.done('a');
  q.addRateLimited('b');
  expect(seen).toEqual({ depth: [1, 2, 1, 0], adds: 2, queue: [2, 2.5], work: [2], retries: 1 });
  expect(q.unfinishedWorkSeconds()).toBeCloseTo(1.5);
});
