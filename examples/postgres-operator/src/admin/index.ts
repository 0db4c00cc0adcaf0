/**
 * The admin layer's public surface: the `PostgresAdmin` contract and its implementations. Start with
 * `postgresAdmin.ts` (the contract), then `pgAdmin.ts` (SQL against real servers).
 */
export type {
  Credentials,
  DatabaseSpec,
  Instance,
  InstanceStatus,
  PostgresAdmin,
  RoleSpec,
} from './postgresAdmin.js';
export { PostgresAdminError, describeInstance, type PostgresAdminErrorCode } from './adminErrors.js';
export { libpqConninfo, pgAdmin, type PgAdmin, type PgAdminOptions } from './pgAdmin.js';
