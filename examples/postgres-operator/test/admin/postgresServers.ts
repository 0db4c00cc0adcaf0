/**
 * The tests' fixture for real PostgreSQL 15 servers on loopback: `localServers()` (in src, since
 * `localPostgres()` runs on it too) with one random superuser password for every server. Start with
 * {@link postgresServers}; {@link postgresMissing} says why tests must skip.
 */
import { localServers, type LocalServer, type LocalServers } from '../../src/admin/localServers.js';

export { POSTGRES_BIN, postgresMissing } from '../../src/admin/localServers.js';
export type PostgresServer = LocalServer;
export type PostgresServers = LocalServers;

/** Servers sharing one superuser (`credentials`); `stopAll()` in afterAll. */
export function postgresServers(): PostgresServers {
  return localServers();
}
