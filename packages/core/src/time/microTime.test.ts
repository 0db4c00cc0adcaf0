import { expect, test } from '@jest/globals';
import { microTime, parseMicroTime } from './microTime.js';

test('formats with exactly six fractional digits, as Lease times require', () => {
  expect(microTime(new Date('2026-01-02T03:04:05.278Z'))).toBe('2026-01-02T03:04:05.278000Z');
  expect(microTime(new Date('2026-01-02T03:04:05.278Z'), 42)).toBe('2026-01-02T03:04:05.278042Z');
});

test('round-trips through parseMicroTime', () => {
  const d = new Date('2030-12-31T23:59:59.999Z');
  const parsed = parseMicroTime(microTime(d, 7));
  expect(parsed.date.getTime()).toBe(d.getTime());
  expect(parsed.micros).toBe(999007);
});

test('rejects the three-digit form a real server rejects', () => {
  expect(() => parseMicroTime('2026-01-02T03:04:05.278Z')).toThrow(/not a MicroTime/);
});

test('rejects invalid input', () => {
  expect(() => microTime(new Date('nope'))).toThrow(RangeError);
  expect(() => microTime(new Date(), 1000)).toThrow(/0-999/);
});
