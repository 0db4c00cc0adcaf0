/**
 * Jittered exponential backoff for reconnects: it grows from `initialMs` to `maxMs` and never gives up.
 * Start with {@link backoff}; `next()` gives the next delay, `reset()` starts over after a success.
 */

export interface BackoffOptions {
  /** First delay; default 200 ms. */
  initialMs?: number;
  /** Ceiling; default 30 s. */
  maxMs?: number;
  /** Growth per failure; default 2. */
  factor?: number;
}

export interface Backoff {
  /** The delay before the next attempt: the current step scaled by a random factor in [0.5, 1). */
  next(): number;
  reset(): void;
  /** Failures since the last reset. */
  readonly attempts: number;
}

/**
 * Creates a backoff. Jitter spreads the reconnects of many informers after an API server restart,
 * so they do not all arrive in the same millisecond (client-node #1933: tens of watches a second).
 */
export function backoff(options: BackoffOptions = {}, random: () => number = Math.random): Backoff {
  const initialMs = options.initialMs ?? 200;
  const maxMs = options.maxMs ?? 30_000;
  const factor = options.factor ?? 2;
  let attempts = 0;
  return {
    next() {
      const step = Math.min(maxMs, initialMs * factor ** Math.min(attempts, 64));
      attempts++;
      return Math.round(step * (0.5 + random() / 2));
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}

/** Resolves after `ms`, or at once when `signal` aborts; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
