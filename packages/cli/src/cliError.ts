/**
 * The error a `steward` user can fix: a stable `code` and a message naming the file, object or field and
 * what to do. `run()` prints it as one line (`steward: <message>`, or the message as is when it already starts with `steward <command>:`) and exits 1. Start with {@link CliError}.
 */
import { StewardError } from '@steward/core';
import type { StewardErrorOptions } from '@steward/core';

/** A user-fixable command failure; never retryable (the user changes something and runs again). */
export class CliError extends StewardError {
  constructor(code: string, message: string, options: StewardErrorOptions = {}) {
    super(code, message, false, options);
  }
}

/** True for a {@link CliError}, also one thrown by another copy of this module (a second install). */
export function isCliError(e: unknown): e is CliError {
  return e instanceof CliError || (e instanceof Error && e.name === 'CliError' && 'code' in e);
}

/**
 * Prints what `run()` caught and returns the exit code: a {@link CliError} is the user's to fix (one
 * line, exit 1); commander's own errors already printed themselves (their exit code); anything else
 * is a bug in steward or the user's operator, so the whole stack goes out (exit 2).
 */
export function reportError(e: unknown, err: (text: string) => void): number {
  if (isCliError(e)) {
    // Messages that already name their command ("steward new: …") are printed as they are.
    err(`${e.message.startsWith('steward ') ? '' : 'steward: '}${e.message}\n`);
    return 1;
  }
  const code = (e as { exitCode?: unknown } | null)?.exitCode;
  if (typeof code === 'number') return code;
  err(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 2;
}
