/**
 * The Kafka operator's entry point on a real cluster: a manager (leader election when
 * `POD_NAMESPACE` is set, as in the Deployment `steward manifests` writes), Kafka reached through
 * each cluster's bootstrap Service with `kafkaClientAdmin()`, and the two controllers. Start with
 * {@link main}. `operator` is exported for the CLI, which finds it among this module's exports.
 */
import 'reflect-metadata';
import { manager } from '@steward/core';
import { kafkaClientAdmin } from './admin/kafkaClientAdmin.js';
import { kafkaOperator } from './operator.js';

const env = (key: string): string | undefined => process.env[key];

const admin = kafkaClientAdmin({ timeoutMs: Number(env('KAFKA_TIMEOUT_MS') ?? 30_000) });

export const operator = kafkaOperator({
  admin,
  pollIntervalMs: Number(env('KAFKA_POLL_MS') ?? 2000),
  resyncIntervalMs: Number(env('KAFKA_RESYNC_MS') ?? 30_000),
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
  try {
    await m.run(); // until SIGTERM: running reconciles finish, the lease is released
  } finally {
    await admin.close(); // Kafka connections last: a finishing reconcile may still use them
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
