/**
 * A simulated Kafka (KRaft) behind the {@link KafkaAdmin} interface, for tests on the embedded API
 * server: attach its `dataPlane` to the simulated kubelet and every pod of the pod convention runs a
 * node — controllers form a quorum with an active controller, brokers register, catch up and join
 * ISRs, and their pods are Ready only then. Start with {@link simulatedKafka}; the rules live in
 * `clusterModel.ts`, `partitionRules.ts` and `adminOperations.ts`.
 */
import type { KubeObject } from '@steward/core';
import { adminOperations } from './adminOperations.js';
import { simulatedViews, topicInfo } from './simulatedViews.js';
import { clusterModel, type NodeSpec } from './clusterModel.js';
import type { KafkaAdmin } from './kafkaAdmin.js';
import type {
  ClusterFilter,
  KafkaDataPlane,
  NodeRef,
  SimulatedKafka,
  SimulatedKafkaOptions,
} from './simulatedKafkaTypes.js';
import { KafkaAdminError } from './kafkaErrors.js';
import {
  DEFAULT_TIMINGS,
  isAlive,
  isBroker,
  isController,
  type KafkaTimings,
  type Role,
  type SimCluster,
  type SimNode,
  type SimTopic,
} from './simulatedState.js';
import { LABELS } from '../resources/labels.js';

// The pod convention's labels, shared with the operator that writes them.
export const CLUSTER_LABEL = LABELS.cluster;
export const ROLE_LABEL = LABELS.role;
export const NODE_ID_LABEL = LABELS.nodeId;

type Env = { name: string; value?: string }[];
const envOf = (pod: KubeObject): Map<string, string> => {
  const containers =
    (pod['spec'] as { containers?: { name: string; env?: Env }[] } | undefined)?.containers ?? [];
  const kafka = containers.find((c) => c.name === 'kafka') ?? containers[0];
  return new Map(
    (kafka?.env ?? []).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value] as const])),
  );
};

const podKey = (pod: KubeObject): string => `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
const matches = (c: SimCluster, filter: ClusterFilter = {}): boolean =>
  (filter.namespace === undefined || filter.namespace === c.namespace) &&
  (filter.cluster === undefined || filter.cluster === c.name);

export function simulatedKafka(options: SimulatedKafkaOptions = {}): SimulatedKafka {
  const timings: KafkaTimings = { ...DEFAULT_TIMINGS };
  for (const key of Object.keys(DEFAULT_TIMINGS) as (keyof KafkaTimings)[]) {
    const value = options[key];
    if (value !== undefined) timings[key] = value;
  }
  const model = clusterModel(timings);
  const ops = adminOperations(model);
  const byPod = new Map<string, { c: SimCluster; node: SimNode }>();

  function specOf(pod: KubeObject): { cluster: string; spec: NodeSpec } | undefined {
    const labels = pod.metadata.labels ?? {};
    const env = envOf(pod);
    const cluster = labels[CLUSTER_LABEL];
    const id = Number(labels[NODE_ID_LABEL] ?? env.get('KAFKA_NODE_ID'));
    if (cluster === undefined || !Number.isInteger(id)) return undefined;
    const roleText = env.get('KAFKA_PROCESS_ROLES') ?? labels[ROLE_LABEL] ?? 'broker';
    const roles = roleText
      .split(',')
      .map((r) => r.trim())
      .filter((r): r is Role => r === 'broker' || r === 'controller');
    const ip = (pod['status'] as { podIP?: string } | undefined)?.podIP;
    const spec: NodeSpec = {
      id,
      roles,
      pod: pod.metadata.name ?? '',
      host: ip ?? `${pod.metadata.name ?? ''}.${pod.metadata.namespace ?? ''}`,
      version: env.get('KAFKA_VERSION') ?? options.defaultVersion ?? '3.9.0',
    };
    const rack = env.get('KAFKA_BROKER_RACK');
    if (rack !== undefined) spec.rack = rack;
    const metadataVersion = env.get('KAFKA_METADATA_VERSION');
    if (metadataVersion !== undefined && metadataVersion !== '') spec.metadataVersion = metadataVersion;
    const voters = env.get('KAFKA_CONTROLLER_QUORUM_VOTERS');
    if (voters !== undefined && voters !== '')
      spec.voters = voters.split(',').map((v) => Number(v.split('@')[0]));
    return { cluster, spec };
  }

  const dataPlane: KafkaDataPlane = {
    selector: options.selector ?? { labelSelector: CLUSTER_LABEL },
    started(pod) {
      const parsed = specOf(pod);
      if (parsed === undefined) return;
      const namespace = pod.metadata.namespace ?? '';
      const node = model.podStarted(namespace, parsed.cluster, parsed.spec);
      byPod.set(podKey(pod), { c: model.cluster(namespace, parsed.cluster), node });
    },
    stopped(pod) {
      const entry = byPod.get(podKey(pod));
      if (entry === undefined || entry.node.pod !== pod.metadata.name) return;
      model.podStopped(entry.c, entry.node, `pod ${podKey(pod)} stopped`);
    },
    ready(pod) {
      const entry = byPod.get(podKey(pod));
      if (entry === undefined) return false;
      const { c, node } = entry;
      const ip = (pod['status'] as { podIP?: string } | undefined)?.podIP;
      if (ip !== undefined) node.host = ip;
      if (!node.running || c.nodes.get(node.id) !== node) return false;
      if (isController(node) && !(node.joined && c.activeController !== undefined)) return false;
      return !isBroker(node) || (isAlive(node) && node.caughtUp);
    },
  };

  const clustersOf = (filter?: ClusterFilter): SimCluster[] =>
    [...model.clusters.values()].filter((c) => matches(c, filter));

  function resolve(ref: NodeRef): { c: SimCluster; node: SimNode } {
    const { id, ...filter } = typeof ref === 'number' ? { id: ref } : ref;
    const found = clustersOf(filter).flatMap((c) => {
      const node = c.nodes.get(id);
      return node === undefined ? [] : [{ c, node }];
    });
    if (found.length !== 1)
      throw new KafkaAdminError(
        'KAFKA_UNKNOWN_NODE',
        found.length === 0
          ? `no simulated Kafka node ${id}${filter.cluster === undefined ? '' : ` in ${filter.namespace ?? '*'}/${filter.cluster}`}: is the dataPlane attached and its pod running?`
          : `node ${id} exists in ${found.length} clusters: pass { namespace, cluster, id }`,
      );
    return found[0] as { c: SimCluster; node: SimNode };
  }

  const admin: KafkaAdmin = {
    async describeCluster(address) {
      const c = ops.reach(address);
      const brokers = ops
        .liveBrokers(c)
        .sort((a, b) => a - b)
        .map((id) => {
          const node = c.nodes.get(id) as SimNode;
          return node.rack === undefined ? { id, host: node.host } : { id, host: node.host, rack: node.rack };
        });
      return { clusterId: c.clusterId, brokers, activeController: c.activeController as number };
    },
    async listTopics(address) {
      return [...ops.reach(address).topics.values()].map(topicInfo);
    },
    async describeTopic(address, name) {
      const topic = ops.reach(address).topics.get(name);
      return topic === undefined ? undefined : topicInfo(topic);
    },
    async createTopic(address, topic) {
      ops.createTopic(ops.reach(address), topic);
    },
    async createPartitions(address, name, count) {
      ops.createPartitions(ops.reach(address), name, count);
    },
    async alterTopicConfig(address, name, config) {
      ops.alterTopicConfig(ops.reach(address), name, config);
    },
    async deleteTopic(address, name) {
      ops.deleteTopic(ops.reach(address), name);
    },
    async reassignPartitions(address, moves) {
      ops.reassign(ops.reach(address), moves);
    },
    async listReassignments(address) {
      return ops.reassignments(ops.reach(address));
    },
    async alterBrokerConfig(address, broker, config) {
      ops.alterBrokerConfig(ops.reach(address), broker, config);
    },
    async metadataVersion(address) {
      return ops.reach(address).metadataVersion ?? '';
    },
    async updateMetadataVersion(address, version) {
      ops.updateMetadataVersion(ops.reach(address), version);
    },
    async unregisterBroker(address, broker) {
      ops.unregisterBroker(ops.reach(address), broker);
    },
  };

  function lagging(
    ref: NodeRef,
    topic: string | undefined,
    partition: number | undefined,
    apply: (p: SimTopic['partitions'][number], id: number) => boolean,
  ): number {
    const { c, node } = resolve(ref);
    let count = 0;
    for (const t of c.topics.values()) {
      if (topic !== undefined && t.name !== topic) continue;
      for (const p of t.partitions)
        if (
          (partition === undefined || p.partition === partition) &&
          p.replicas.includes(node.id) &&
          apply(p, node.id)
        )
          count++;
    }
    model.settle(c);
    return count;
  }

  return {
    dataPlane,
    admin,
    ...simulatedViews(clustersOf, model.clusters),
    fallOutOfIsr(broker, topic, partition, fallOptions = {}) {
      const forMs = fallOptions.forMs ?? timings.lagMs;
      const { c } = resolve(broker);
      return lagging(broker, topic, partition, (p, id) => {
        if (!p.isr.includes(id) || p.isr.length < 2) return false;
        p.lagging.add(id);
        model.after(forMs, () => {
          p.lagging.delete(id);
          model.settle(c);
        });
        return true;
      });
    },
    rejoinIsr(broker, topic, partition) {
      lagging(broker, topic, partition, (p, id) => p.lagging.delete(id));
    },
    produce(topic, bytes = 1024, produceOptions = {}) {
      const owners = clustersOf(produceOptions).filter((c) => c.topics.has(topic));
      if (owners.length !== 1)
        throw new KafkaAdminError(
          owners.length === 0 ? 'KAFKA_UNKNOWN_TOPIC' : 'KAFKA_REQUEST',
          owners.length === 0
            ? `no simulated cluster has topic ${topic}`
            : `topic ${topic} exists in ${owners.length} clusters: pass { namespace, cluster }`,
        );
      const c = owners[0] as SimCluster;
      ops.produce(c, topic, bytes, produceOptions.partition);
    },
    failNode(ref) {
      const { c, node } = resolve(ref);
      model.fail(c, node);
    },
    recoverNode(ref) {
      const { c, node } = resolve(ref);
      model.recover(c, node);
    },
    history: () => model.events,
    close: () => model.close(),
  };
}
