/**
 * The clock a work queue and its rate limiters read: monotonic milliseconds and one-shot timers,
 * injectable so tests step time instead of sleeping. Start with {@link systemClock}; tests use
 * {@link fakeClock}.
 */

/** Monotonic time in milliseconds and one-shot timers. */
export interface Clock {
  /** Milliseconds on a monotonic scale; only differences matter. */
  now(): number;
  /** Runs `fn` once after `ms`; the handle goes to {@link Clock.clearTimer}. */
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/**
 * `performance.now()` and unref'd Node timers: a queue holding a 1000 s backoff must not keep a
 * process alive that has nothing else to do.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimer(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** A {@link Clock} that moves only when told to. */
export interface FakeClock extends Clock {
  /** Moves time forward, firing due timers in time order (then in the order they were set). */
  advance(ms: number): void;
  /** Timers not yet fired. */
  pending(): number;
}

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/** A manual clock for tests: timers fire only inside {@link FakeClock.advance}. */
export function fakeClock(start = 0): FakeClock {
  let now = start;
  let seq = 0;
  const timers = new Set<FakeTimer>();
  const next = (): FakeTimer | undefined => {
    let best: FakeTimer | undefined;
    for (const t of timers) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  };
  return {
    now: () => now,
    setTimer(fn, ms) {
      // Node fires such a timer after 1 ms instead (with only a warning); fail loudly in tests.
      if (ms > 2 ** 31 - 1) throw new RangeError(`fakeClock: ${ms} ms overflows a Node timer`);
      const t = { at: now + Math.max(0, ms), seq: seq++, fn };
      timers.add(t);
      return t;
    },
    clearTimer(handle) {
      timers.delete(handle as FakeTimer);
    },
    advance(ms) {
      const until = now + ms;
      for (let t = next(); t && t.at <= until; t = next()) {
        timers.delete(t);
        now = t.at;
        t.fn();
      }
      now = until;
    },
    pending: () => timers.size,
  };
}
