/**
 * Conformance cases the embedded server is known to fail: case id → what the server does instead.
 *
 * Listed cases run as `test.failing`, so a gap that gets fixed fails the suite until its line is removed.
 * Only the embedded server uses this list; against a real cluster every case must pass.
 */
export const KNOWN_GAPS: Record<string, string> = {};
