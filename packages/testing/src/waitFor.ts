/**
 * `waitFor()`: polls a condition until it holds, and on timeout fails with a message that shows the
 * last state seen — the difference between "timed out" and a test failure a person can act on.
 */
import { StewardError } from '@steward/core';

export interface WaitForOptions {
  /** Give up after this many milliseconds (default 10 000). */
  timeout?: number;
  /** Poll interval in milliseconds (default 50). */
  interval?: number;
  /** What is being waited for, for the failure message ("PostgresCluster default/pg to be Ready"). */
  description?: string;
  /**
   * The state to show when the wait fails, read once at the timeout: the object a boolean probe was
   * looking at (`() => client.get(builtin.pods, 'db-0', { namespace })`). A throw is shown as such.
   */
  state?: () => unknown;
}

/** Thrown when a condition does not hold in time; `lastValue` and `lastError` are the final observations. */
export class WaitTimeoutError extends StewardError {
  constructor(
    message: string,
    readonly lastValue: unknown,
    readonly lastError: unknown,
  ) {
    super('WAIT_TIMEOUT', message, false, { cause: lastError });
  }
}

/** Server-side apply bookkeeping: long, and never what a failing test is about. */
function withoutManagedFields(key: string, value: unknown): unknown {
  return key === 'managedFields' ? undefined : value;
}

function show(value: unknown): string {
  try {
    const text = JSON.stringify(value, withoutManagedFields, 2) ?? String(value);
    return text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} chars)` : text;
  } catch {
    return String(value);
  }
}

/**
 * Calls `probe` until it returns a truthy value (which is returned) or `timeout` passes. A probe that
 * throws counts as "not yet" (the error is kept for the message): objects that do not exist yet are
 * the common case.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const timeout = options.timeout ?? 10_000;
  const interval = options.interval ?? 50;
  const deadline = Date.now() + timeout;
  let lastValue: unknown;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      lastValue = value;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, deadline - Date.now()))));
  }
  const what = options.description ?? 'condition';
  const last =
    lastError !== undefined
      ? `last error: ${lastError instanceof Error ? lastError.message : show(lastError)}`
      : `last value: ${show(lastValue)}`;
  const state = options.state === undefined ? '' : `\nstate: ${await showState(options.state)}`;
  throw new WaitTimeoutError(
    `timed out after ${timeout} ms waiting for ${what}; ${last}${state}`,
    lastValue,
    lastError,
  );
}

async function showState(read: () => unknown): Promise<string> {
  try {
    return show(await read());
  } catch (e) {
    return `(reading it failed: ${e instanceof Error ? e.message : show(e)})`;
  }
}
