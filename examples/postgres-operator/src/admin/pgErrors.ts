/**
 * How `pgAdmin()` turns what `pg` throws into `PostgresAdminError`s: by SQLSTATE, naming the instance
 * and what to do. Start with {@link queryError}.
 */
import { DatabaseError } from 'pg';
import { PostgresAdminError, describeInstance } from './adminErrors.js';
import type { Credentials, Instance } from './postgresAdmin.js';

/** The SQLSTATE of a server error (`pg`'s `code`), or undefined for a socket error. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function connectError(
  instance: Instance,
  credentials: Credentials,
  error: unknown,
): PostgresAdminError {
  const state = sqlState(error);
  if (state === '28P01' || state === '28000') {
    return new PostgresAdminError(
      'PG_AUTH',
      `${describeInstance(instance)} rejected user "${credentials.user}": ` +
        `${(error as Error).message}; check the password in the superuser Secret`,
      { cause: error },
    );
  }
  return new PostgresAdminError(
    'PG_UNREACHABLE',
    `cannot connect to ${describeInstance(instance)}: ${(error as Error).message}; ` +
      'is Postgres running and ready in that pod?',
    { cause: error },
  );
}

export function queryError(instance: Instance, error: unknown): PostgresAdminError {
  const state = sqlState(error);
  const message = (error as Error).message;
  if (state === '25006') {
    return new PostgresAdminError(
      'PG_READ_ONLY',
      `${describeInstance(instance)} is a replica (read-only): ${message}; send this to the primary`,
      { cause: error },
    );
  }
  // Class 08 (connection exception), 57P (shutdown) and socket errors mean the server went away.
  if (!(error instanceof DatabaseError) || state === undefined || /^(08|57P)/.test(state)) {
    return new PostgresAdminError(
      'PG_UNREACHABLE',
      `${describeInstance(instance)} dropped the connection: ${message}; is it restarting?`,
      { cause: error },
    );
  }
  return new PostgresAdminError('PG_QUERY', `${describeInstance(instance)}: ${message} (SQLSTATE ${state})`, {
    cause: error,
  });
}
