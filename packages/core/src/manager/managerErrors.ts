/**
 * The manager's coded errors: a bad configuration or misuse, and a write refused because this process
 * no longer leads. Start with {@link ManagerConfigError}.
 */
import { StewardError } from '../errors/errors.js';

/** Invalid `manager()` options or `add()` arguments, or start/stop misuse; fix the call. */
export class ManagerConfigError extends StewardError {
  constructor(message: string) {
    super('MANAGER_CONFIG', message, false);
  }
}

/**
 * A controller tried to write after this process lost leadership: the write was not sent, since the
 * new leader may already be writing the same objects. Retryable: the key runs again under the next
 * leader.
 */
export class LeadershipLostError extends StewardError {
  constructor(message: string, cause?: unknown) {
    super('LEADERSHIP_LOST', message, true, cause === undefined ? {} : { cause });
  }
}
