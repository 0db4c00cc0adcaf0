/**
 * Pods of the pod convention for the simulated Kafka, made without an API server, and a poller: what
 * the simulation tests share. Start with {@link kafkaPod}.
 */
import type { KubeObject } from '@steward/core';
import type { ClusterAddress } from '../../src/admin/kafkaAdmin.js';
import type { SimulatedKafka } from '../../src/admin/simulatedKafkaTypes.js';

export const NS = 'kafka-test';
export const address: ClusterAddress = {
  namespace: NS,
  cluster: 'demo',
  bootstrap: ['demo-kafka-bootstrap:9092'],
};

/** Fast but ordered timings: start, then catch-up, then copies. */
export const FAST = { startMs: 5, catchUpMs: 15, reassignMs: 30, electionMs: 15, lagMs: 30 };

export function kafkaPod(
  role: 'controller' | 'broker',
  id: number,
  env: Record<string, string> = {},
  cluster = 'demo',
): KubeObject {
  const name = `${cluster}-${role}-${id}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: NS,
      labels: {
        'kafka.steward.dev/cluster': cluster,
        'kafka.steward.dev/role': role,
        'kafka.steward.dev/node-id': String(id),
      },
    },
    spec: {
      containers: [
        {
          name: 'kafka',
          image: 'apache/kafka:3.9.0',
          env: Object.entries({
            KAFKA_NODE_ID: String(id),
            KAFKA_PROCESS_ROLES: role,
            KAFKA_VERSION: '3.9.0',
            ...env,
          }).map(([n, value]) => ({ name: n, value })),
        },
      ],
    },
    status: { podIP: `10.0.0.${id + 10}` },
  };
}

/** Polls `probe` every 5 ms until it is truthy; fails with `what` after two seconds. */
export async function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 2_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${String(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Starts 3 controllers and `brokers` brokers (ids 0-2 and 100…) and waits until every pod is Ready. */
export async function startCluster(
  sim: SimulatedKafka,
  brokers = 3,
  env: Record<string, string> = {},
): Promise<KubeObject[]> {
  const pods = [
    ...[0, 1, 2].map((id) => kafkaPod('controller', id, env)),
    ...Array.from({ length: brokers }, (_, i) => kafkaPod('broker', 100 + i, env)),
  ];
  for (const pod of pods) sim.dataPlane.started(pod);
  await until(() => pods.every((pod) => sim.dataPlane.ready(pod)), 'every pod Ready');
  return pods;
}

export const brokerPod = (pods: KubeObject[], id: number): KubeObject =>
  pods.find((p) => p.metadata.name === `demo-broker-${id}`) as KubeObject;

/** `list[i]`, failing the test when it is missing (indexed access is possibly undefined here). */
export function at<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`no element ${i} in a list of ${list.length}`);
  return item;
}
