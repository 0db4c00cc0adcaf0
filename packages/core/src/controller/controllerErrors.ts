/**
 * The controller's coded errors: a bad configuration, a reconcile that threw something that is not
 * an `Error`, and a reconcile that returned something that is not a result. Start with
 * {@link ReconcileError}.
 */
import { StewardError } from '../errors/errors.js';

/** Invalid `controller()` options, or start/stop misuse; fix the call. */
export class ControllerConfigError extends StewardError {
  constructor(message: string) {
    super('CONTROLLER_CONFIG', message, false);
  }
}

/**
 * A reconcile threw a value that is not an `Error` (a string, `undefined`, an object); it is kept as
 * `cause`, and the key is retried with backoff as for any other failure.
 */
export class ReconcileError extends StewardError {
  constructor(message: string, cause: unknown) {
    super('RECONCILE_FAILED', message, true, { cause });
  }
}

/**
 * A reconcile returned something other than `undefined`, `{}`, `{ requeue: true }` or
 * `{ requeueAfter: ms ≥ 0 }`. Treated as a failure (retried with backoff) so the bug is seen.
 */
export class ReconcileResultError extends StewardError {
  constructor(message: string) {
    super('RECONCILE_RESULT', message, true);
  }
}
