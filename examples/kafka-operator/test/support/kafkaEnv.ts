/**
 * The end-to-end tests' world: the embedded API server with the cluster simulation, the simulated
 * Kafka attached to its kubelet, the operator running in-process, and the issue's invariants watched
 * on every event. Start with {@link startKafkaEnv}; the invariants are {@link kafkaInvariants}.
 */
import { builtin, isConditionTrue, resourceRefOf } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { invariant, isPodReady, runManager, startTestEnv, waitFor, watchInvariants } from '@steward/testing';
import type { Invariant, InvariantWatch, RunningManager, TestEnv } from '@steward/testing';
import { simulatedKafka } from '../../src/admin/simulatedKafka.js';
import type { SimulatedKafka } from '../../src/admin/simulatedKafkaTypes.js';
import { KafkaCluster } from '../../src/api/kafkaCluster.js';
import type { Cluster } from '../../src/api/kafkaCluster.js';
import { KafkaTopic } from '../../src/api/kafkaTopic.js';
import type { Topic } from '../../src/api/kafkaTopic.js';
import { LABELS, nodeOf } from '../../src/resources/labels.js';
import { kafkaOperator } from '../../src/operator.js';

export const clusters = resourceRefOf(KafkaCluster);
export const topics = resourceRefOf(KafkaTopic);

/** Kafka timings short enough for tests, long enough that restarts and moves overlap reconciles. */
export const KAFKA_TIMINGS = { startMs: 10, catchUpMs: 40, reassignMs: 60, electionMs: 20, lagMs: 60 };

/**
 * The cluster simulation the tests run on: a kubelet whose pods start and turn Ready fast (readiness
 * asked of Kafka every 20 ms), claims bound, owned objects collected. The perturbation runs use it too.
 */
export const KAFKA_SIMULATION = {
  kubelet: { startDelayMs: 10, readyDelayMs: 10, probeIntervalMs: 20 },
  volumes: true,
  garbageCollector: true,
};

export interface KafkaEnv {
  env: TestEnv;
  kafka: SimulatedKafka;
  operator: RunningManager;
  invariants: InvariantWatch;
  namespace: string;
  cluster(name?: string): Promise<Cluster>;
  topic(name: string): Promise<Topic>;
  /** Waits until the cluster is Ready for its current generation. */
  ready(name?: string, timeout?: number): Promise<Cluster>;
  /** Waits until `check(cluster)` holds (a condition, a status field), showing the state on timeout. */
  until(description: string, check: (c: Cluster) => boolean, timeout?: number): Promise<Cluster>;
  pods(name?: string): Promise<KubeObject[]>;
  stop(): Promise<void>;
}

/** A cluster spec: 3 controllers (default), `brokers` brokers, and more. */
export function clusterObject(
  namespace: string,
  spec: Record<string, unknown> = {},
  name = 'demo',
): KubeObject {
  return {
    apiVersion: 'kafka.steward.dev/v1alpha1',
    kind: 'KafkaCluster',
    metadata: { name, namespace },
    spec: { version: '3.9.0', brokers: { replicas: 3, storage: { size: '1Gi' } }, ...spec },
  };
}

export function topicObject(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'kafka.steward.dev/v1alpha1',
    kind: 'KafkaTopic',
    metadata: { name, namespace },
    spec: { cluster: 'demo', partitions: 3, replicas: 3, ...spec },
  };
}

export async function startKafkaEnv(options: { invariants?: boolean } = {}): Promise<KafkaEnv> {
  const env = await startTestEnv({
    crds: [KafkaCluster, KafkaTopic],
    namespace: true,
    simulate: KAFKA_SIMULATION,
  });
  const { namespace } = env;
  const kafka = simulatedKafka({ ...KAFKA_TIMINGS, selector: { namespace, labelSelector: LABELS.cluster } });
  env.simulation?.kubelet?.attach(kafka.dataPlane);
  const invariants = await watchInvariants(env.client, {
    namespace,
    invariants: options.invariants === false ? [] : kafkaInvariants(namespace, () => kafka),
  });
  const operator = await runManager(env, (m) =>
    kafkaOperator({ admin: kafka.admin, pollIntervalMs: 50, resyncIntervalMs: 500 }).setup(m),
  );
  const cluster = (name = 'demo'): Promise<Cluster> => env.client.get<Cluster>(clusters, name, { namespace });
  const until = (description: string, check: (c: Cluster) => boolean, timeout = 30_000, name = 'demo') =>
    waitFor(
      async () => {
        const c = await cluster(name);
        return check(c) ? c : undefined;
      },
      { timeout, description, state: () => describeState(env, kafka, cluster(name), operator) },
    );
  return {
    env,
    kafka,
    operator,
    invariants,
    namespace,
    cluster,
    topic: (name) => env.client.get<Topic>(topics, name, { namespace }),
    ready: (name = 'demo', timeout = 30_000) =>
      until(
        `KafkaCluster ${name} Ready`,
        (c) =>
          c.status?.observedGeneration === c.metadata.generation &&
          isConditionTrue(c.status?.conditions, 'Ready'),
        timeout,
        name,
      ),
    until,
    async pods(name = 'demo') {
      const list = await env.client.list(builtin.pods, {
        namespace,
        labelSelector: `${LABELS.cluster}=${name}`,
      });
      return list.items.filter((p) => p.metadata.deletionTimestamp === undefined);
    },
    async stop() {
      await invariants.stop();
      kafka.close();
      await env.stop();
    },
  };
}

/** What a failed wait prints: the cluster's status, the pods, Kafka's view and the operator's last logs. */
async function describeState(
  env: TestEnv,
  kafka: SimulatedKafka,
  cluster: Promise<Cluster>,
  operator: RunningManager,
): Promise<unknown> {
  const pods = await env.client.list(builtin.pods, { namespace: env.namespace });
  return {
    status: (await cluster.catch(() => undefined))?.status,
    pods: pods.items.map(
      (p) =>
        `${p.metadata.name} ready=${isPodReady(p)} deleting=${p.metadata.deletionTimestamp !== undefined}`,
    ),
    nodes: kafka
      .nodes()
      .map(
        (n) => `${n.id} running=${n.running} registered=${n.registered} caughtUp=${n.caughtUp} v${n.version}`,
      ),
    topics: kafka
      .topics()
      .map(
        (t) => `${t.name} ${t.partitions.map((p) => `${p.replicas.join(',')}/${p.isr.join(',')}`).join(' ')}`,
      ),
    logs: operator.formatLogs().split('\n').slice(-15),
  };
}

/**
 * The issue's invariants, checked on every event (the data plane's own history is checked too, in
 * {@link kafkaHistoryViolations}): no broker removed while it holds replicas, partitions never
 * decrease, a topic that fits its cluster never refused. `kafka` gives the Kafka in use: a perturbation
 * run has its own (none between runs, when the Kafka-side checks find nothing).
 */
export function kafkaInvariants(namespace: string, kafka: () => SimulatedKafka | undefined): Invariant[] {
  const removedWithReplicas = invariant(
    'no broker removed while it holds replicas',
    (s, event) => {
      const pod = event.object;
      if (event.ref?.kind !== 'Pod' || pod === undefined) return undefined;
      const removing =
        event.type === 'delete' ||
        (pod.metadata.deletionTimestamp !== undefined &&
          event.oldObject?.metadata.deletionTimestamp === undefined);
      const node = nodeOf(pod);
      if (!removing || node?.role !== 'broker') return undefined;
      const clusterName = pod.metadata.labels?.[LABELS.cluster] ?? '';
      const cluster = s.get<Cluster>(clusters, namespace, clusterName);
      // A broker the spec still wants is restarting, not leaving (its replicas come back with it).
      if (cluster !== undefined && node.id < 100 + cluster.spec.brokers.replicas) return undefined;
      const held = (kafka()?.topics({ namespace, cluster: clusterName }) ?? []).flatMap((t) =>
        t.partitions.filter((p) => p.replicas.includes(node.id)).map((p) => `${t.name}-${p.partition}`),
      );
      return held.length > 0 ? `${pod.metadata.name} removed while holding ${held.join(', ')}` : undefined;
    },
    { kinds: [builtin.pods, clusters] },
  );
  const partitionsNeverDecrease: Invariant = {
    name: 'partitions never decrease',
    kinds: [topics],
    begin() {
      const seen = new Map<string, number>();
      return () => {
        const messages: string[] = [];
        for (const t of kafka()?.topics({ namespace }) ?? []) {
          const before = seen.get(`${t.cluster}/${t.name}`) ?? 0;
          if (t.partitions.length < before)
            messages.push(`${t.name}: ${before} → ${t.partitions.length} partitions`);
          seen.set(`${t.cluster}/${t.name}`, Math.max(before, t.partitions.length));
        }
        return messages;
      };
    },
  };
  // A restarting broker is briefly not listed by Kafka; a topic that fits the cluster's spec must not
  // be refused meanwhile (a refusal is not retried until the spec changes).
  const noFalseRefusal = invariant(
    'a topic that fits its cluster is never refused',
    (s) => {
      const messages: string[] = [];
      for (const topic of s.list<Topic>(topics, { namespace })) {
        const reason = topic.status?.conditions?.find((c) => c.type === 'Ready')?.reason;
        const cluster = s.get<Cluster>(clusters, namespace, topic.spec.cluster);
        if (
          reason === 'ReplicationFactorTooHigh' &&
          cluster !== undefined &&
          topic.spec.replicas <= cluster.spec.brokers.replicas
        )
          messages.push(
            `${topic.metadata.name ?? ''}: refused with ${topic.spec.replicas} replicas on ${cluster.spec.brokers.replicas} brokers`,
          );
      }
      return messages;
    },
    { kinds: [topics, clusters] },
  );
  return [removedWithReplicas, partitionsNeverDecrease, noFalseRefusal];
}

/**
 * What the simulated Kafka recorded, checked whole: no partition ever fell below min.insync.replicas
 * (`under-min-isr`), and no broker was unregistered while still holding replicas.
 */
export function kafkaHistoryViolations(kafka: SimulatedKafka, namespace: string): string[] {
  return kafka
    .history()
    .filter((e) => e.cluster.startsWith(`${namespace}/`))
    .flatMap((e) => {
      if (e.type === 'under-min-isr')
        return [
          `${e.topic ?? ''}-${e.partition ?? ''} below min.insync.replicas: isr ${(e.isr ?? []).join(',')}`,
        ];
      if (e.type === 'unregistered' && (e.heldReplicas ?? 0) > 0)
        return [`broker ${e.node ?? ''} unregistered holding ${e.heldReplicas ?? 0} replicas`];
      return [];
    });
}
