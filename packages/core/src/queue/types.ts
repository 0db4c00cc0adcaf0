/**
 * The work queue's public types: the {@link WorkQueue} contract and its options. The implementation
 * is in workQueue.ts.
 */
import type { Clock } from './clock.js';
import type { WorkQueueMetrics } from './metrics.js';
import type { RateLimiter } from './rateLimiter.js';

export interface WorkQueueOptions<K> {
  /** The queue's name: the `name` label of its metrics. Default `"queue"`. */
  name?: string;
  /** Backoff for `addRateLimited`. Default `defaultControllerRateLimiter()`. */
  rateLimiter?: RateLimiter<K>;
  /** Metrics hooks; without them the queue records no timestamps at all. */
  metrics?: WorkQueueMetrics;
  /** Time source for delays and metrics. Default the system's monotonic clock. */
  clock?: Clock;
}

export interface AddOptions {
  /**
   * The key comes from an informer's initial list (or a resync): serve it after every normally
   * added key, so a restart with 10,000 objects does not delay a real change behind all of them.
   * A later normal add raises it to normal priority.
   */
  initial?: boolean;
}

export interface DrainOptions {
  /** Give up waiting after this many ms. Default: wait as long as it takes. */
  deadlineMs?: number;
}

export interface DrainResult<K> {
  /** True when every in-flight key was `done` before the deadline. */
  drained: boolean;
  /** Keys still in flight at the deadline (empty when drained). */
  unfinished: K[];
}

/** A deduplicating, rate-limited work queue. Keys must not be `undefined`. */
export interface WorkQueue<K> {
  readonly name: string;
  /** Queues `key` unless it is already queued; a key in flight is marked to run again after `done`. */
  add(key: K, options?: AddOptions): void;
  /** Adds `key` after `delayMs`; when it is already waiting, the earlier time wins. */
  addAfter(key: K, delayMs: number): void;
  /** Adds `key` after the rate limiter's delay for it (its backoff grows with each call). */
  addRateLimited(key: K): void;
  /** Clears `key`'s backoff (call after a success); it does not remove a queued key. */
  forget(key: K): void;
  /** How many times `key` was rate limited since it was last forgotten. */
  numRequeues(key: K): number;
  /** Waits for a key, which is in flight until `done(key)`; `undefined` once the queue shuts down. */
  get(): Promise<K | undefined>;
  /** A key if one is ready now, else `undefined`: the allocation-free form of `get`. */
  tryGet(): K | undefined;
  /** Ends `key`'s processing; if it was added meanwhile, it is queued again. */
  done(key: K): void;
  /** Keys ready to be handed out now. */
  len(): number;
  /** Keys handed out and not yet `done`. */
  inFlight(): number;
  /**
   * Stops intake: adds are ignored, queued and delayed keys are dropped (level-triggered
   * controllers relist on start, so nothing is lost), waiting and later `get` calls resolve
   * `undefined`. In-flight keys may still be `done`.
   */
  shutDown(): void;
  readonly shuttingDown: boolean;
  /** Shuts down, then resolves when no key is in flight, or at the deadline. */
  drain(options?: DrainOptions): Promise<DrainResult<K>>;
  /** `workqueue_unfinished_work_seconds`: summed age of in-flight work (0 without metrics). */
  unfinishedWorkSeconds(): number;
  /** `workqueue_longest_running_processor_seconds` (0 without metrics). */
  longestRunningProcessorSeconds(): number;
}
