/**
 * Coded errors: every failure the SDK raises is a `StewardError` with a stable `code`, and says whether
 * the control loop retries it. Start with {@link TerminalError}, which stops a reconciler's retries.
 */

export interface StewardErrorOptions {
  /** The underlying error; kept as ES2022 `cause`, never replaced. */
  cause?: unknown;
}

/** Base class: a stable machine-readable `code` and whether retrying can help. */
export class StewardError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, retryable: boolean, options: StewardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = retryable;
  }
}

/**
 * Thrown (or returned) by a reconciler to say that retrying cannot help: the key is not requeued until
 * the object changes again. Wrap the user's error to keep it as `cause`.
 */
export class TerminalError extends StewardError {
  constructor(message: string, options: StewardErrorOptions = {}) {
    super('TERMINAL', message, false, options);
  }
}

/** True when an error (or anything in its `cause` chain) is a {@link TerminalError}. */
export function isTerminal(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 16; e = e.cause, depth++) {
    if (e instanceof TerminalError) return true;
  }
  return false;
}
