/**
 * Rate limiters for requeues after failure: how long a key waits before its next try. Start with
 * {@link defaultControllerRateLimiter} (client-go's default: the larger of a per-key exponential
 * backoff, 5 ms → 1000 s, and an overall token bucket of 10 qps with a burst of 100).
 */
import { StewardError } from '../errors/errors.js';
import { systemClock, type Clock } from './clock.js';

/** Decides the delay before a key's next try and remembers its failures. */
export interface RateLimiter<K> {
  /** The delay in ms before `key` may run again; counts as one more failure of `key`. */
  when(key: K): number;
  /** Clears `key`'s failure history (call it after a success). */
  forget(key: K): void;
  /** How many times `key` has been rate limited since it was last forgotten. */
  numRequeues(key: K): number;
}

export interface ExponentialRateLimiterOptions {
  /** Delay after the first failure. Default 5 ms. */
  baseDelayMs?: number;
  /** Cap on the delay. Default 1,000,000 ms (1000 s), as client-go. */
  maxDelayMs?: number;
}

/** Per-key exponential backoff: `base × 2^failures`, capped at `maxDelayMs`. */
export function exponentialRateLimiter<K>(options: ExponentialRateLimiterOptions = {}): RateLimiter<K> {
  const base = options.baseDelayMs ?? 5;
  const max = options.maxDelayMs ?? 1_000_000;
  if (!(base >= 0) || !(max >= base)) {
    throw invalid(
      `exponentialRateLimiter: baseDelayMs (${base}) and maxDelayMs (${max}) must satisfy 0 ≤ baseDelayMs ≤ maxDelayMs`,
    );
  }
  const failures = new Map<K, number>();
  return {
    when(key) {
      const n = failures.get(key) ?? 0;
      failures.set(key, n + 1);
      // Past 2^64 the product is over any sane cap; bounding the exponent keeps it finite.
      const delay = base * 2 ** Math.min(n, 64);
      return delay > max ? max : delay;
    },
    forget(key) {
      failures.delete(key);
    },
    numRequeues: (key) => failures.get(key) ?? 0,
  };
}

export interface TokenBucketRateLimiterOptions {
  /** Tokens added per second. Default 10. */
  qps?: number;
  /** Bucket size (and initial fill). Default 100. */
  burst?: number;
  clock?: Clock;
}

/**
 * One bucket for all keys: each `when()` reserves a token and returns how long until that token
 * exists. Guards the API server when many keys fail at once (a backoff per key alone lets 10,000
 * failing keys retry together after 5 ms).
 */
export function tokenBucketRateLimiter<K>(options: TokenBucketRateLimiterOptions = {}): RateLimiter<K> {
  const qps = options.qps ?? 10;
  const burst = options.burst ?? 100;
  const clock = options.clock ?? systemClock;
  if (!(qps > 0) || !(burst >= 1)) {
    throw invalid(`tokenBucketRateLimiter: qps (${qps}) must be > 0 and burst (${burst}) ≥ 1`);
  }
  let tokens = burst;
  let last = clock.now();
  return {
    when() {
      const now = clock.now();
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * qps);
      last = now;
      // Tokens may go negative: each reservation queues behind the ones before it.
      tokens -= 1;
      return tokens >= 0 ? 0 : (-tokens / qps) * 1000;
    },
    forget() {},
    numRequeues: () => 0,
  };
}

/** The largest delay of several limiters; every limiter records each failure. */
export function maxOfRateLimiter<K>(...limiters: RateLimiter<K>[]): RateLimiter<K> {
  return {
    when(key) {
      let delay = 0;
      for (const l of limiters) delay = Math.max(delay, l.when(key));
      return delay;
    },
    forget(key) {
      for (const l of limiters) l.forget(key);
    },
    numRequeues(key) {
      let n = 0;
      for (const l of limiters) n = Math.max(n, l.numRequeues(key));
      return n;
    },
  };
}

export interface DefaultControllerRateLimiterOptions
  extends ExponentialRateLimiterOptions, Omit<TokenBucketRateLimiterOptions, 'clock'> {
  clock?: Clock;
}

/** client-go's `DefaultControllerRateLimiter`: max of per-key exponential (5 ms → 1000 s) and 10 qps/100. */
export function defaultControllerRateLimiter<K>(
  options: DefaultControllerRateLimiterOptions = {},
): RateLimiter<K> {
  const { baseDelayMs, maxDelayMs, qps, burst, clock } = options;
  return maxOfRateLimiter<K>(
    exponentialRateLimiter<K>({
      ...(baseDelayMs === undefined ? {} : { baseDelayMs }),
      ...(maxDelayMs === undefined ? {} : { maxDelayMs }),
    }),
    tokenBucketRateLimiter<K>({
      ...(qps === undefined ? {} : { qps }),
      ...(burst === undefined ? {} : { burst }),
      ...(clock === undefined ? {} : { clock }),
    }),
  );
}

function invalid(message: string): StewardError {
  return new StewardError('QUEUE_INVALID_OPTIONS', `${message}; fix the option passed in code`, false);
}
