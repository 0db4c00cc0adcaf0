import { afterEach, beforeEach, expect, jest, test } from '@jest/globals';
import { tokenBucket } from './tokenBucket.js';

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

const clock = (): number => Date.now(); // faked together with the timers

test('the burst is available at once, then tokens come at the QPS rate in FIFO order', async () => {
  const bucket = tokenBucket({ qps: 10, burst: 3, now: clock });
  const order: number[] = [];
  await Promise.all([bucket.take(), bucket.take(), bucket.take()]);
  const waiting = [1, 2, 3].map((i) => bucket.take().then(() => order.push(i)));
  await jest.advanceTimersByTimeAsync(99);
  expect(order).toEqual([]);
  await jest.advanceTimersByTimeAsync(2);
  expect(order).toEqual([1]);
  await jest.advanceTimersByTimeAsync(200);
  await Promise.all(waiting);
  expect(order).toEqual([1, 2, 3]);
});

test('tokens refill up to the burst, never beyond', async () => {
  const bucket = tokenBucket({ qps: 100, burst: 2, now: clock });
  await bucket.take();
  await jest.advanceTimersByTimeAsync(10_000);
  expect(bucket.available()).toBe(2);
});

test('an aborted waiter rejects and gives up its place', async () => {
  const bucket = tokenBucket({ qps: 1, burst: 1, now: clock });
  await bucket.take();
  const controller = new AbortController();
  const aborted = bucket.take(controller.signal);
  let nextDone = false;
  const next = bucket.take().then(() => (nextDone = true));
  controller.abort(new Error('stop'));
  await expect(aborted).rejects.toThrow('stop');
  await jest.advanceTimersByTimeAsync(1001);
  await next;
  expect(nextDone).toBe(true);
});

test('Infinity QPS never waits', async () => {
  const bucket = tokenBucket({ qps: Infinity, burst: 1, now: clock });
  await Promise.all(Array.from({ length: 1000 }, () => bucket.take()));
  expect(jest.getTimerCount()).toBe(0);
});

test('rejects nonsense limits', () => {
  expect(() => tokenBucket({ qps: 0, burst: 1 })).toThrow(RangeError);
  expect(() => tokenBucket({ qps: 1, burst: 0 })).toThrow(RangeError);
});
