/**
 * A client-side token bucket (QPS with a burst), as client-go's `flowcontrol` limiter: requests wait in
 * FIFO order for a token instead of being refused. Start with {@link tokenBucket}.
 */

export interface TokenBucketOptions {
  /** Tokens added per second. `Infinity` turns the limit off. */
  qps: number;
  /** Tokens the bucket holds at most (and starts with). */
  burst: number;
  /** Milliseconds clock; tests pass a fake one. Default `performance.now`. */
  now?: () => number;
}

export interface TokenBucket {
  /** Resolves when a token is taken; rejects with the signal's reason if aborted while waiting. */
  take(signal?: AbortSignal): Promise<void>;
  /** Tokens available now (fractional). */
  available(): number;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export function tokenBucket(options: TokenBucketOptions): TokenBucket {
  const { qps, burst } = options;
  const now = options.now ?? (() => performance.now());
  if (!(qps > 0) || !(burst >= 1)) throw new RangeError(`tokenBucket: qps must be > 0 and burst >= 1`);
  let tokens = burst;
  let last = now();
  const waiters: Waiter[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  function refill(): void {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - last) / 1000) * qps);
    last = t;
  }

  function drain(): void {
    timer = undefined;
    refill();
    while (waiters.length > 0 && tokens >= 1) {
      tokens -= 1;
      const w = waiters.shift();
      if (w === undefined) break;
      w.signal?.removeEventListener('abort', w.onAbort);
      w.resolve();
    }
    if (waiters.length > 0) {
      // Wait exactly until the next whole token; the timer keeps the process alive, as a waiting request should.
      timer = setTimeout(drain, Math.max(1, ((1 - tokens) / qps) * 1000));
    }
  }

  return {
    take(signal) {
      if (qps === Infinity) return Promise.resolve();
      refill();
      if (waiters.length === 0 && tokens >= 1) {
        tokens -= 1;
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const w: Waiter = {
          resolve,
          reject,
          signal,
          onAbort: () => {
            const i = waiters.indexOf(w);
            if (i >= 0) waiters.splice(i, 1);
            reject(signal?.reason);
          },
        };
        signal?.addEventListener('abort', w.onAbort, { once: true });
        waiters.push(w);
        if (timer === undefined) drain();
      });
    },
    available() {
      refill();
      return tokens;
    },
  };
}
