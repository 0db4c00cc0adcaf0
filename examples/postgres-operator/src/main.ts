/**
 * The Postgres operator's entry point on a real cluster: a manager (leader election when
 * `POD_NAMESPACE` is set, as in the Deployment `steward manifests` writes), Postgres reached over SQL
 * with `pgAdmin()`, both controllers. Start with {@link main}. `operator` is exported for the CLI
 * (`steward crd generate`, `steward manifests`), which finds it among this module's exports.
 */
import 'reflect-metadata';
import { manager } from '@steward/core';
import { pgAdmin } from './admin/pgAdmin.js';
import { postgresOperator } from './operator.js';

const env = (key: string): string | undefined => process.env[key];

export const operator = postgresOperator({
  admin: pgAdmin(),
  failoverDelaySeconds: Number(env('FAILOVER_DELAY_SECONDS') ?? 30),
});

export async function main(): Promise<void> {
  const leaseNamespace = env('POD_NAMESPACE');
  const m = manager({
    // One replica acts at a time; a second one waits with warm caches. Off outside a cluster.
    leaderElection: leaseNamespace === undefined ? false : { name: operator.name, namespace: leaseNamespace },
    healthProbe: { port: Number(env('HEALTH_PORT') ?? 8081) },
    metrics: { port: Number(env('METRICS_PORT') ?? 8080) },
    ...(env('WATCH_NAMESPACE') === undefined ? {} : { namespace: env('WATCH_NAMESPACE') ?? '' }),
  });
  await operator.setup(m);
  await m.run(); // until SIGTERM: running reconciles finish, the lease is released
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
