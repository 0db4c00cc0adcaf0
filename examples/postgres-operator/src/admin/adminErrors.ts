/**
 * The errors the admin implementations throw, each with a stable code and whether a retry can help.
 * Start with {@link PostgresAdminError}; {@link describeInstance} names an instance in messages.
 */
import { StewardError } from '@steward/core';
import type { Instance } from './postgresAdmin.js';

/**
 * - `PG_UNREACHABLE`: the instance refused or dropped the connection, or did not answer in time
 *   (retryable: Postgres is starting, restarting or its pod is gone).
 * - `PG_AUTH`: the server rejected the credentials (not retryable until the Secret changes).
 * - `PG_READ_ONLY`: a write (role, database) was sent to a replica (retry on the primary).
 * - `PG_REJOIN_REQUIRED`: a former primary must be rewound and restarted as a standby, which SQL
 *   cannot do; the instance's own manager (or a `rejoin` hook) must (not retryable by SQL alone).
 * - `PG_TIMEOUT`: a promotion or a re-pointed replica did not finish in time (retryable).
 * - `PG_QUERY`: any other server error, with the SQLSTATE in the message (not retryable).
 */
export type PostgresAdminErrorCode =
  'PG_UNREACHABLE' | 'PG_AUTH' | 'PG_READ_ONLY' | 'PG_REJOIN_REQUIRED' | 'PG_TIMEOUT' | 'PG_QUERY';

const RETRYABLE: Record<PostgresAdminErrorCode, boolean> = {
  PG_UNREACHABLE: true,
  PG_AUTH: false,
  PG_READ_ONLY: true,
  PG_REJOIN_REQUIRED: false,
  PG_TIMEOUT: true,
  PG_QUERY: false,
};

export class PostgresAdminError extends StewardError {
  declare readonly code: PostgresAdminErrorCode;
  constructor(code: PostgresAdminErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, RETRYABLE[code], options);
  }
}

/** `namespace/pod (host:port)`: how every message names the instance it is about. */
export function describeInstance(instance: Instance): string {
  return `${instance.namespace}/${instance.pod} (${instance.host}:${instance.port})`;
}
