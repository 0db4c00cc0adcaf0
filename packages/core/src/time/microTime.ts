/**
 * Kubernetes `MicroTime`: RFC 3339 with exactly six fractional digits.
 *
 * Lease `acquireTime`/`renewTime` and events.k8s.io `eventTime` are MicroTime; a real API server
 * rejects `Date.toISOString()`'s three digits with 400. Start with {@link microTime}.
 */

/** Formats a date as `2026-01-02T03:04:05.123000Z`. `extraMicros` (0–999) fills the last three digits. */
export function microTime(date: Date = new Date(), extraMicros = 0): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('microTime: invalid date');
  if (!Number.isInteger(extraMicros) || extraMicros < 0 || extraMicros > 999) {
    throw new RangeError(`microTime: extraMicros must be an integer 0-999, got ${extraMicros}`);
  }
  const iso = date.toISOString(); // 2026-01-02T03:04:05.123Z
  return `${iso.slice(0, 23)}${String(extraMicros).padStart(3, '0')}Z`;
}

const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.(\d{6})Z$/;

/** Parses a MicroTime string; throws if it is not exactly the shape a real API server accepts. */
export function parseMicroTime(text: string): { date: Date; micros: number } {
  const m = MICRO_TIME.exec(text);
  if (!m?.[1])
    throw new RangeError(`not a MicroTime (want 2006-01-02T15:04:05.000000Z): ${JSON.stringify(text)}`);
  const date = new Date(`${text.slice(0, 23)}Z`);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid date: ${JSON.stringify(text)}`);
  return { date, micros: Number(m[1]) };
}
