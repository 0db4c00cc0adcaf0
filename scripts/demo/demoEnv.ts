/**
 * The demo's world: the embedded API server with the cluster simulation, the three simulated data
 * systems attached to its kubelet, and one manager (leader election, health, metrics) hosting the
 * Postgres, Cassandra and Kafka operators. Start with {@link startDemoEnv}.
 */
import { AlreadyExistsError, builtin, manager, textLogger } from '@steward/core';
import type { Manager } from '@steward/core';
import { startTestEnv, waitFor } from '@steward/testing';
import type { TestEnv } from '@steward/testing';
import { simulatedPostgres } from '../../examples/postgres-operator/src/admin/simulatedPostgres.js';
import type { SimulatedPostgres } from '../../examples/postgres-operator/src/admin/simulatedPostgres.js';
import { PostgresCluster } from '../../examples/postgres-operator/src/api/postgresCluster.js';
import { PostgresDatabase } from '../../examples/postgres-operator/src/api/postgresDatabase.js';
import { postgresOperator } from '../../examples/postgres-operator/src/operator.js';
import { simulatedRing } from '../../examples/cassandra-operator/src/admin/simulatedRing.js';
import type { SimulatedRing } from '../../examples/cassandra-operator/src/admin/simulatedRing.js';
import { CassandraDatacenter } from '../../examples/cassandra-operator/src/api/cassandraDatacenter.js';
import { cassandraOperator } from '../../examples/cassandra-operator/src/operator.js';
import { simulatedKafka } from '../../examples/kafka-operator/src/admin/simulatedKafka.js';
import type { SimulatedKafka } from '../../examples/kafka-operator/src/admin/index.js';
import { KafkaCluster } from '../../examples/kafka-operator/src/api/kafkaCluster.js';
import { KafkaTopic } from '../../examples/kafka-operator/src/api/kafkaTopic.js';
import { kafkaOperator } from '../../examples/kafka-operator/src/operator.js';

/** Where the demo's own resources live; a person's `kubectl apply` goes to `default`. */
export const DEMO_NAMESPACE = 'demo';
/** The manager's leader-election Lease: `steward-system/steward-demo`. */
export const LEASE = { name: 'steward-demo', namespace: 'steward-system' };

export interface DemoEnv {
  env: TestEnv;
  manager: Manager;
  pg: SimulatedPostgres;
  ring: SimulatedRing;
  kafka: SimulatedKafka;
  /** The manager's last log lines (text), for a failure message. */
  logTail(lines?: number): string[];
  stop(): Promise<void>;
}

/**
 * Timings of the simulated systems: short, so the whole demo takes well under a minute, yet long
 * enough that joins, decommissions and partition moves span several reconciles and can be watched.
 */
const RING_TIMINGS = { startMs: 50, joinMs: 500, decommissionMs: 1_500, drainMs: 20, cleanupMs: 100 };
const KAFKA_TIMINGS = { startMs: 100, catchUpMs: 300, reassignMs: 1_500, electionMs: 100, lagMs: 100 };

export async function startDemoEnv(): Promise<DemoEnv> {
  const env = await startTestEnv({
    crds: [PostgresCluster, PostgresDatabase, CassandraDatacenter, KafkaCluster, KafkaTopic],
    simulate: {
      namespaces: true,
      garbageCollector: true,
      volumes: true,
      statefulSets: true,
      endpoints: true,
      kubelet: { startDelayMs: 20, readyDelayMs: 20, probeIntervalMs: 100 },
    },
  });
  const lines: string[] = [];
  let mgr: Manager | undefined;
  const closers: (() => void)[] = [];
  try {
    for (const name of [DEMO_NAMESPACE, LEASE.namespace])
      await env.client.create(builtin.namespaces, { metadata: { name } }).catch(ignoreExists);
    const kubelet = env.simulation?.kubelet;
    if (kubelet === undefined) throw new Error('the cluster simulation runs no kubelet');
    // No namespace in the selectors: a person's own resources (with --keep) get a data plane too.
    const pg = simulatedPostgres();
    const ring = simulatedRing({ client: env.client, ...RING_TIMINGS });
    const kafka = simulatedKafka(KAFKA_TIMINGS);
    closers.push(
      () => ring.close(),
      () => kafka.close(),
    );
    for (const plane of [pg.dataPlane, ring.dataPlane, kafka.dataPlane]) closers.push(kubelet.attach(plane));

    mgr = manager({
      kubeConfig: env.kubeConfig,
      leaderElection: { ...LEASE, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
      healthProbe: { port: 0, host: '127.0.0.1' },
      metrics: { port: 0, host: '127.0.0.1' },
      log: textLogger({
        level: 'info',
        stream: { write: (line: string) => lines.push(line.trimEnd()) > 500 && lines.shift() },
      }),
      shutdownTimeoutMs: 5_000,
    });
    const operators = [
      postgresOperator({ admin: pg.admin, failoverDelaySeconds: 2 }),
      cassandraOperator({ admin: ring.admin, pollIntervalMs: 200, resyncIntervalMs: 2_000 }),
      kafkaOperator({ admin: kafka.admin, pollIntervalMs: 100, resyncIntervalMs: 1_000 }),
    ];
    for (const operator of operators) await operator.setup(mgr);
    await mgr.start();
    const started = mgr;
    await waitFor(() => started.isLeader(), {
      timeout: 20_000,
      description: `leadership of Lease ${LEASE.namespace}/${LEASE.name}`,
    });
    const running = mgr;
    return {
      env,
      manager: running,
      pg,
      ring,
      kafka,
      logTail: (n = 20) => lines.slice(-n),
      async stop() {
        await running.stop({ deadlineMs: 5_000 }).catch(() => undefined);
        for (const close of closers) close();
        await env.stop();
      },
    };
  } catch (error) {
    await mgr?.stop({ deadlineMs: 0 }).catch(() => undefined);
    for (const close of closers) close();
    await env.stop();
    throw error;
  }
}

function ignoreExists(error: unknown): void {
  if (!(error instanceof AlreadyExistsError)) throw error;
}
