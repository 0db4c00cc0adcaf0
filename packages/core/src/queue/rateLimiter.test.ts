import { expect, test } from '@jest/globals';
import { StewardError } from '../errors/errors.js';
import { fakeClock } from './clock.js';
import {
  defaultControllerRateLimiter,
  exponentialRateLimiter,
  maxOfRateLimiter,
  tokenBucketRateLimiter,
} from './rateLimiter.js';

test('exponential backoff doubles from 5 ms per key and caps at 1000 s', () => {
  const rl = exponentialRateLimiter<string>();
  const delays = Array.from({ length: 20 }, () => rl.when('a'));
  expect(delays.slice(0, 5)).toEqual([5, 10, 20, 40, 80]);
  expect(delays[17]).toBe(5 * 2 ** 17); // 655.36 s, still under the cap
  expect(delays[18]).toBe(1_000_000);
  expect(delays[19]).toBe(1_000_000);
  expect(rl.numRequeues('a')).toBe(20);
  // Keys back off independently.
  expect(rl.when('b')).toBe(5);
});

test('exponential backoff stays finite after thousands of failures', () => {
  const rl = exponentialRateLimiter<string>({ baseDelayMs: 1, maxDelayMs: 50 });
  let last = 0;
  for (let i = 0; i < 5000; i++) last = rl.when('k');
  expect(last).toBe(50);
});

test('forget resets a key to the base delay', () => {
  const rl = exponentialRateLimiter<string>();
  rl.when('a');
  rl.when('a');
  rl.when('a');
  rl.forget('a');
  expect(rl.numRequeues('a')).toBe(0);
  expect(rl.when('a')).toBe(5);
});

test('token bucket allows the burst, then spaces reservations by 1/qps', () => {
  const clock = fakeClock();
  const rl = tokenBucketRateLimiter<string>({ qps: 10, burst: 3, clock });
  expect([rl.when('a'), rl.when('b'), rl.when('c')]).toEqual([0, 0, 0]);
  expect(rl.when('d')).toBeCloseTo(100);
  expect(rl.when('e')).toBeCloseTo(200);
  clock.advance(1000); // refills 10 tokens, 2 owed, capped at burst 3
  expect([rl.when('f'), rl.when('g'), rl.when('h')]).toEqual([0, 0, 0]);
  expect(rl.when('i')).toBeCloseTo(100);
});

test('maxOf takes the largest delay and records every failure in each limiter', () => {
  const clock = fakeClock();
  const rl = maxOfRateLimiter<string>(
    exponentialRateLimiter({ baseDelayMs: 1 }),
    tokenBucketRateLimiter({ qps: 1, burst: 1, clock }),
  );
  expect(rl.when('a')).toBe(1);
  expect(rl.when('a')).toBeCloseTo(1000); // the bucket dominates
  expect(rl.numRequeues('a')).toBe(2);
  rl.forget('a');
  expect(rl.numRequeues('a')).toBe(0);
});

test('the default controller limiter is exponential until the overall bucket of 100 runs dry', () => {
  const clock = fakeClock();
  const rl = defaultControllerRateLimiter<string>({ clock });
  expect(rl.when('x')).toBe(5);
  expect(rl.when('x')).toBe(10);
  for (let i = 0; i < 98; i++) expect(rl.when(`k${i}`)).toBe(5);
  // 101st reservation: the bucket (10 qps) says 100 ms, more than a first failure's 5 ms.
  expect(rl.when('fresh')).toBeCloseTo(100);
});

test('invalid options are coded errors that name the option', () => {
  expect(() => exponentialRateLimiter({ baseDelayMs: 10, maxDelayMs: 1 })).toThrow(StewardError);
  expect(() => tokenBucketRateLimiter({ qps: 0 })).toThrow(/qps \(0\)/);
});
