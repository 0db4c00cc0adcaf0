/**
 * `conformanceCase()`: registers one conformance case with Jest, as a plain test or, for a known gap of
 * the embedded server, as `test.failing` so that fixing the gap turns the case red until it is unlisted.
 *
 * Start with {@link conformanceCase}; the gap list is `known-gaps.ts`.
 */
import { test } from '@jest/globals';
import { KNOWN_GAPS } from './known-gaps.js';
import { isRealCluster } from './target.js';

const seen = new Set<string>();

/** Default per-case deadline: cases take well under a second on the embedded server, but a real server
 * sleeps 2 s before the first create of a new CRD and publishes discovery asynchronously. */
const CASE_TIMEOUT_MS = 30_000;

/**
 * One case. `id` is stable kebab-case (`watch-410-too-old`), `title` states the real behaviour it pins.
 * Against a real cluster every case is a plain test: the gap list describes the embedded server only.
 */
export function conformanceCase(
  id: string,
  title: string,
  fn: () => Promise<void>,
  timeoutMs = CASE_TIMEOUT_MS,
): void {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw new Error(`conformance case id must be kebab-case: ${id}`);
  if (seen.has(id)) throw new Error(`duplicate conformance case id: ${id}`);
  seen.add(id);
  const name = `[${id}] ${title}`;
  const gap = isRealCluster ? undefined : KNOWN_GAPS[id];
  // The gap's reason goes into the name, so "Failing test passed" reads as "remove this gap entry".
  // The body (fn) holds the assertions, and the title is built from the id and the stated behaviour.
  if (gap !== undefined) {
    const gapName = `${name} — known gap (remove from known-gaps.ts once it passes): ${gap}`;
    // oxlint-disable-next-line jest/expect-expect, jest/valid-title
    test.failing(gapName, fn, timeoutMs);
  } else {
    // oxlint-disable-next-line jest/expect-expect, jest/valid-title
    test(name, fn, timeoutMs);
  }
}
