/**
 * The Postgres operator's entry point on a real cluster: a manager built from the environment the
 * Deployment of `steward manifests` sets, Postgres reached over SQL with `pgAdmin()`, both
 * controllers. Start with {@link main}. `operator` is exported for the CLI (`steward crd generate`,
 * `steward manifests`), which finds it among this module's exports.
 */
import 'reflect-metadata';
import { manager, managerOptionsFromEnv } from '@steward/core';
import { pgAdmin } from './admin/pgAdmin.js';
import { postgresOperator } from './operator.js';

const env = (key: string): string | undefined => process.env[key];

export const operator = postgresOperator({
  admin: pgAdmin(),
  failoverDelaySeconds: Number(env('FAILOVER_DELAY_SECONDS') ?? 30),
});

export async function main(): Promise<void> {
  // Leader election, probe and metrics ports, watched namespace: from the Deployment's environment.
  const m = manager(managerOptionsFromEnv(operator.name));
  await operator.setup(m);
  await m.run(); // until SIGTERM: running reconciles finish, then the lease is released
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
