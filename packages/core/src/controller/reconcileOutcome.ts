/**
 * What the loop does with a reconcile's (or cleanup's) return value or throw: the queue action, the
 * metrics outcome, and the log line. Start with {@link outcomeOf}.
 */
import { isTerminal } from '../errors/errors.js';
import type { ReconcileOutcome } from './controllerMetrics.js';
import { ReconcileError, ReconcileResultError } from './controllerErrors.js';

export interface Outcome {
  metric: ReconcileOutcome;
  /** `forget`: done; `after`: forget the backoff and add after `delayMs`; `backoff`: rate limited. */
  queue: 'forget' | 'after' | 'backoff';
  delayMs?: number;
  /** Set for failures (a throw, or a result that is not one). */
  error?: Error;
  terminal: boolean;
}

/** The outcome of a reconcile that returned `result`. */
export function outcomeOf(key: string, result: unknown): Outcome {
  if (result === undefined || result === null) return { metric: 'success', queue: 'forget', terminal: false };
  // Returning an Error instead of throwing it is still a failure (as an `error` return is in Go).
  if (result instanceof Error) return failureOf(key, result);
  if (typeof result === 'object') {
    const { requeue, requeueAfter } = result as { requeue?: unknown; requeueAfter?: unknown };
    const afterOk =
      requeueAfter === undefined ||
      (typeof requeueAfter === 'number' && requeueAfter >= 0 && requeueAfter < Infinity);
    const requeueOk = requeue === undefined || typeof requeue === 'boolean';
    if (afterOk && requeueOk && typeof (result as { then?: unknown }).then !== 'function') {
      if (typeof requeueAfter === 'number')
        return { metric: 'requeue_after', queue: 'after', delayMs: requeueAfter, terminal: false };
      if (requeue === true) return { metric: 'requeue', queue: 'backoff', terminal: false };
      return { metric: 'success', queue: 'forget', terminal: false };
    }
  }
  return {
    metric: 'error',
    queue: 'backoff',
    terminal: false,
    error: new ReconcileResultError(
      `reconcile of ${key} returned ${describe(result)}; return undefined, { requeue: true } or { requeueAfter: ms ≥ 0 }`,
    ),
  };
}

/** The outcome of a reconcile that threw `thrown`. */
export function failureOf(key: string, thrown: unknown): Outcome {
  const error =
    thrown instanceof Error
      ? thrown
      : new ReconcileError(`reconcile of ${key} threw a non-Error value: ${describe(thrown)}`, thrown);
  const terminal = isTerminal(error);
  return { metric: 'error', queue: terminal ? 'forget' : 'backoff', terminal, error };
}

export function describe(value: unknown): string {
  try {
    if (typeof value === 'bigint') return `${value}n`;
    const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
