import { describe, expect, it } from '@jest/globals';
import { backoff, sleep } from './backoff.js';

describe('backoff', () => {
  it('doubles from initialMs up to maxMs and never gives up', () => {
    const b = backoff({ initialMs: 100, maxMs: 1000 }, () => 0.999_999);
    const delays = Array.from({ length: 8 }, () => b.next());
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);
    expect(b.attempts).toBe(8);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('jitters each delay into [half, full) of its step', () => {
    expect(backoff({ initialMs: 100 }, () => 0).next()).toBe(50);
    expect(backoff({ initialMs: 100 }, () => 0.5).next()).toBe(75);
    const b = backoff();
    for (let i = 0; i < 100; i++) {
      const d = b.next();
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThanOrEqual(30_000);
    }
  });

  it('sleep ends at once when its signal aborts', async () => {
    const abort = new AbortController();
    const slept = sleep(60_000, abort.signal);
    abort.abort();
    await expect(slept).resolves.toBeUndefined();
  });
});
