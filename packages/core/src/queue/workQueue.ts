/**
 * The work queue between event handlers and reconcile workers, with client-go's semantics: a key is
 * queued once, a key added while in flight runs again after `done`, and no key is ever handed to two
 * workers at once. Start with {@link workQueue}; backoff policies live in rateLimiter.ts.
 */
import { systemClock, type Clock } from './clock.js';
import { DelayHeap } from './delayHeap.js';
import { Fifo } from './fifo.js';
import type { WorkQueueMetrics } from './metrics.js';
import type { AddOptions, DrainOptions, DrainResult, WorkQueue, WorkQueueOptions } from './types.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rateLimiter.js';

// A key's state in one small integer, so the hot path touches one Map instead of three Sets.
const DIRTY = 1; // needs processing (queued, or added again while in flight)
const PROCESSING = 2; // handed to a worker, not yet done
const LOW = 4; // the pending run is low priority (initial list)
// Node timers overflow past 2^31-1 ms; longer delays re-arm when the timer fires.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Creates a work queue; see {@link WorkQueue} for the semantics. */
export function workQueue<K = string>(options: WorkQueueOptions<K> = {}): WorkQueue<K> {
  return new Queue<K>(options);
}

class Queue<K> implements WorkQueue<K> {
  readonly name: string;
  readonly #clock: Clock;
  readonly #limiter: RateLimiter<K>;
  readonly #metrics: WorkQueueMetrics | undefined;
  readonly #state = new Map<K, number>();
  readonly #normal = new Fifo<K>();
  // May hold stale entries (a key raised to normal priority); #take skips them.
  readonly #low = new Fifo<K>();
  readonly #waiters = new Fifo<(key: K | undefined) => void>();
  #ready = 0;
  #dirty = 0;
  #processing = 0;
  #shuttingDown = false;
  readonly #waiting = new Map<K, number>();
  readonly #heap = new DelayHeap<K>();
  #timer: unknown;
  #timerAt = Infinity;
  readonly #addedAt = new Map<K, number>();
  readonly #startedAt = new Map<K, number>();
  readonly #drainers = new Set<() => void>();

  constructor(options: WorkQueueOptions<K>) {
    this.name = options.name ?? 'queue';
    this.#clock = options.clock ?? systemClock;
    this.#limiter = options.rateLimiter ?? defaultControllerRateLimiter<K>({ clock: this.#clock });
    this.#metrics = options.metrics;
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  add(key: K, options?: AddOptions): void {
    if (this.#shuttingDown) return;
    const low = options?.initial === true;
    const s = this.#state.get(key);
    if (s === undefined) {
      this.#state.set(key, low ? DIRTY | LOW : DIRTY);
      this.#becameDirty(key);
      this.#enqueue(key, low);
    } else if ((s & DIRTY) === 0) {
      // In flight: run again after done().
      this.#state.set(key, s | DIRTY | (low ? LOW : 0));
      this.#becameDirty(key);
    } else if ((s & LOW) !== 0 && !low) {
      // Raise to normal priority; the entry left in the low FIFO becomes stale.
      this.#state.set(key, s & ~LOW);
      if ((s & PROCESSING) === 0) this.#normal.push(key);
    }
  }

  addAfter(key: K, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (!(delayMs > 0)) return this.add(key);
    const at = this.#clock.now() + delayMs;
    const prev = this.#waiting.get(key);
    if (prev !== undefined && prev <= at) return;
    this.#waiting.set(key, at);
    this.#heap.push(key, at);
    if (at < this.#timerAt) this.#arm(at);
  }

  addRateLimited(key: K): void {
    if (this.#shuttingDown) return;
    this.#metrics?.retry();
    this.addAfter(key, this.#limiter.when(key));
  }

  forget(key: K): void {
    this.#limiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.#limiter.numRequeues(key);
  }

  get(): Promise<K | undefined> {
    const key = this.tryGet();
    if (key !== undefined || this.#shuttingDown) return Promise.resolve(key);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  tryGet(): K | undefined {
    return this.#ready === 0 ? undefined : this.#take();
  }

  done(key: K): void {
    const s = this.#state.get(key);
    // Not in flight: a second done() (or one for a key never handed out) changes nothing.
    if (s === undefined || (s & PROCESSING) === 0) return;
    this.#processing--;
    if (this.#metrics) {
      const started = this.#startedAt.get(key);
      this.#startedAt.delete(key);
      if (started !== undefined) this.#metrics.workDuration((this.#clock.now() - started) / 1000);
    }
    if ((s & DIRTY) !== 0) {
      this.#state.set(key, s & ~PROCESSING);
      this.#enqueue(key, (s & LOW) !== 0);
    } else {
      this.#state.delete(key);
    }
    if (this.#processing === 0 && this.#drainers.size > 0) for (const d of this.#drainers) d();
  }

  len(): number {
    return this.#ready;
  }

  inFlight(): number {
    return this.#processing;
  }

  shutDown(): void {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    this.#heap.clear();
    this.#waiting.clear();
    this.#normal.clear();
    this.#low.clear();
    this.#addedAt.clear();
    for (const [key, s] of this.#state) {
      if ((s & PROCESSING) === 0) this.#state.delete(key);
      else this.#state.set(key, PROCESSING);
    }
    this.#ready = 0;
    this.#dirty = 0;
    this.#metrics?.depth(0);
    for (let w = this.#waiters.shift(); w !== undefined; w = this.#waiters.shift()) w(undefined);
  }

  drain(options: DrainOptions = {}): Promise<DrainResult<K>> {
    this.shutDown();
    if (this.#processing === 0) return Promise.resolve({ drained: true, unfinished: [] });
    return new Promise((resolve) => {
      let timer: unknown;
      const finish = (drained: boolean): void => {
        this.#drainers.delete(onDrained);
        if (timer !== undefined) this.#clock.clearTimer(timer);
        resolve({ drained, unfinished: drained ? [] : this.#inFlightKeys() });
      };
      const onDrained = (): void => finish(true);
      this.#drainers.add(onDrained);
      if (options.deadlineMs !== undefined)
        timer = this.#clock.setTimer(() => finish(false), options.deadlineMs);
    });
  }

  unfinishedWorkSeconds(): number {
    const now = this.#clock.now();
    let total = 0;
    for (const t of this.#startedAt.values()) total += now - t;
    return total / 1000;
  }

  longestRunningProcessorSeconds(): number {
    const now = this.#clock.now();
    let longest = 0;
    for (const t of this.#startedAt.values()) longest = Math.max(longest, now - t);
    return longest / 1000;
  }

  #becameDirty(key: K): void {
    this.#dirty++;
    const m = this.#metrics;
    if (m) {
      m.add();
      m.depth(this.#dirty);
      if (!this.#addedAt.has(key)) this.#addedAt.set(key, this.#clock.now());
    }
  }

  /** `key` is dirty and not in flight: make it ready, or hand it straight to a waiting worker. */
  #enqueue(key: K, low: boolean): void {
    (low ? this.#low : this.#normal).push(key);
    this.#ready++;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter(this.#take());
  }

  /** Hands out the next ready key (normal before low); only called when #ready > 0. */
  #take(): K | undefined {
    let key = this.#normal.shift();
    if (key === undefined) {
      for (key = this.#low.shift(); key !== undefined; key = this.#low.shift()) {
        if ((this.#state.get(key) ?? 0) === (DIRTY | LOW)) break;
      }
      if (key === undefined) return undefined;
    }
    this.#state.set(key, PROCESSING);
    this.#ready--;
    this.#dirty--;
    this.#processing++;
    const m = this.#metrics;
    if (m) {
      const now = this.#clock.now();
      m.depth(this.#dirty);
      const added = this.#addedAt.get(key);
      this.#addedAt.delete(key);
      if (added !== undefined) m.queueDuration((now - added) / 1000);
      this.#startedAt.set(key, now);
    }
    return key;
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timerAt = at;
    const wait = Math.min(Math.max(0, at - this.#clock.now()), MAX_TIMER_MS);
    this.#timer = this.#clock.setTimer(() => this.#fire(), wait);
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = this.#clock.now();
    for (let e = this.#heap.peek(); e !== undefined; e = this.#heap.peek()) {
      // Stale: the key's wait was shortened (a newer entry exists) or it has already fired.
      if (this.#waiting.get(e.key) !== e.at) {
        this.#heap.pop();
        continue;
      }
      if (e.at > now) return this.#arm(e.at);
      this.#heap.pop();
      this.#waiting.delete(e.key);
      this.add(e.key);
    }
  }

  #inFlightKeys(): K[] {
    const keys: K[] = [];
    for (const [key, s] of this.#state) if ((s & PROCESSING) !== 0) keys.push(key);
    return keys;
  }
}
