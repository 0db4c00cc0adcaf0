/**
 * The Kafka operator's entry point on a real cluster: a manager built from the environment the
 * Deployment of `steward manifests` sets (leader election, probes, metrics), Kafka reached through
 * each cluster's bootstrap Service with `kafkaClientAdmin()`, and the two controllers. Start with
 * {@link main}. `operator` is exported for the CLI, which finds it among this module's exports.
 */
import 'reflect-metadata';
import { manager, managerOptionsFromEnv } from '@steward/core';
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
  // Leader election, probe and metrics ports, watched namespace: from the Deployment's environment.
  const m = manager(managerOptionsFromEnv(operator.name));
  await operator.setup(m);
  try {
    await m.run(); // until SIGTERM: running reconciles finish, the lease is released
  } finally {
    await admin.close(); // Kafka connections last: a finishing reconcile may still use them
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
