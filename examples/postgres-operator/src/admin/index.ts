/**
 * The admin layer's public surface: the `PostgresAdmin` contract and its implementations. Start with
 * `postgresAdmin.ts` (the contract), then `pgAdmin.ts` (SQL against real servers) and
 * `simulatedPostgres.ts` (the simulated cluster) and `localPostgres.ts` (real local servers behind
 * simulated pods).
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
export { libpqConninfo, libpqValue, pgAdmin, type PgAdmin, type PgAdminOptions } from './pgAdmin.js';
export {
  simulatedPostgres,
  type PostgresDataPlane,
  type SimulatedInstance,
  type SimulatedPostgres,
  type SimulatedPostgresOptions,
} from './simulatedPostgres.js';
export type { PodSelector } from './simulatedPods.js';
export {
  localPostgres,
  type LocalDataPlane,
  type LocalPostgres,
  type LocalPostgresOptions,
} from './localPostgres.js';
export {
  POSTGRES_BIN,
  localServers,
  postgresMissing,
  type LocalServer,
  type LocalServers,
} from './localServers.js';
