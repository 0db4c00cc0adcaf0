/**
 * The reconcile helpers' coded errors: an invalid condition, a child another controller owns, and a
 * status write to a kind that has no status subresource. Start with {@link ConditionError}.
 */
import { StewardError, type StewardErrorOptions } from '../errors/errors.js';

/** A condition given to `setCondition` breaks a metav1.Condition rule; fix the call (not retried). */
export class ConditionError extends StewardError {
  constructor(message: string) {
    super('CONDITION_INVALID', message, false);
  }
}

/**
 * `setControllerReference`: the child already has a controller owner other than this one. Retrying
 * cannot help until that owner lets go, so it is not retried; adopt or rename the child instead.
 */
export class AlreadyOwnedError extends StewardError {
  constructor(message: string) {
    super('ALREADY_OWNED', message, false);
  }
}

/** A status write to a kind whose CRD lacks `subresources.status`; fix the CRD (not retried). */
export class StatusSubresourceError extends StewardError {
  constructor(message: string, options: StewardErrorOptions = {}) {
    super('STATUS_SUBRESOURCE_MISSING', message, false, options);
  }
}

/**
 * An owner reference that cannot work: the owner lacks apiVersion, kind, name or uid (it was never
 * read from the server), or it lives in another namespace than its child. Fix the call (not retried).
 */
export class OwnerReferenceError extends StewardError {
  constructor(message: string) {
    super('OWNER_REFERENCE_INVALID', message, false);
  }
}

/** An event that cannot be recorded as asked (its object has no name); reported, never thrown. */
export class EventError extends StewardError {
  constructor(message: string) {
    super('EVENT_INVALID', message, false);
  }
}
