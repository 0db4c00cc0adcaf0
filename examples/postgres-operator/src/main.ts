/**
 * The Postgres operator's entry point on a real cluster: a manager built from the environment the
 * Deployment of `steward manifests` sets, Postgres reached over SQL with `pgAdmin()`, both
 * controllers. Start with {@link main}. `operator` is exported for the CLI (`steward crd generate`,
 * `steward manifests`), which finds it among this module's exports.
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
  const leaderElection = env('STEWARD_LEADER_ELECTION') === 'true';
  const podName = env('POD_NAME');
  const watchNamespace = env('WATCH_NAMESPACE');
  const m = manager({
    // Several replicas, one acting: the others wait with warm caches. Off for a local run.
    leaderElection: leaderElection
      ? {
          name: env('STEWARD_LEADER_ELECTION_NAME') ?? operator.name,
          namespace: env('STEWARD_LEADER_ELECTION_NAMESPACE') ?? env('POD_NAMESPACE') ?? 'default',
          ...(podName === undefined ? {} : { identity: podName }),
        }
      : false,
    healthProbe: { port: Number(env('STEWARD_HEALTH_PORT') ?? 8081) },
    metrics: { port: Number(env('STEWARD_METRICS_PORT') ?? 8080) },
    ...(watchNamespace === undefined ? {} : { namespace: watchNamespace }),
  });
  await operator.setup(m);
  await m.run(); // until SIGTERM: running reconciles finish, then the lease is released
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
