/**
 * What the Admin API changes in a simulated cluster, with the checks real Kafka makes: topic names,
 * replication factors against live brokers, partitions that only grow, reassignments that copy data
 * before the target replicas join the ISR, read-only broker settings, `metadata.version` only within
 * what every node's software supports, and unregistration of stopped brokers only. Start with
 * {@link adminOperations}.
 */
import { isDynamicBrokerConfig } from './brokerConfigs.js';
import type { ClusterModel } from './clusterModel.js';
import type { ClusterAddress, Reassignment, TopicSpec } from './kafkaAdmin.js';
import { describeCluster, KafkaAdminError } from './kafkaErrors.js';
import {
  compareMetadataVersions,
  formatMetadataVersion,
  highestMetadataVersion,
  parseMetadataVersion,
} from './metadataVersions.js';
import { assignReplicas, newPartition } from './partitionRules.js';
import {
  clusterKey,
  isAlive,
  isBroker,
  isController,
  minIsrOf,
  type SimCluster,
  type SimPartition,
  type SimTopic,
} from './simulatedState.js';

const LEGAL_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

const named = (c: SimCluster): string => describeCluster({ namespace: c.namespace, cluster: c.name });

const liveBrokers = (c: SimCluster): number[] =>
  [...c.nodes.values()].filter((n) => isBroker(n) && isAlive(n)).map((n) => n.id);

const topicOf = (c: SimCluster, name: string): SimTopic => {
  const topic = c.topics.get(name);
  if (topic === undefined)
    throw new KafkaAdminError('KAFKA_UNKNOWN_TOPIC', `${named(c)} has no topic ${name}`);
  return topic;
};

export function adminOperations(model: ClusterModel) {
  /** Added replica `id` copies the partition, then may join the ISR; it waits while it is down. */
  function copy(c: SimCluster, topic: SimTopic, p: SimPartition, id: number, target: number[]): void {
    const ms =
      model.timings.reassignMs + (model.timings.bytesPerMs > 0 ? p.bytes / model.timings.bytesPerMs : 0);
    model.after(ms, () => {
      if (c.topics.get(topic.name) !== topic || p.target !== target || !p.adding.includes(id)) return;
      if (!isAlive(c.nodes.get(id)) || p.leader === -1) return copy(c, topic, p, id, target);
      p.copied.add(id);
      model.settle(c);
    });
  }

  return {
    /** The cluster behind an address, if a broker answers and the quorum has an active controller. */
    reach(address: ClusterAddress): SimCluster {
      const c = model.clusters.get(clusterKey(address.namespace, address.cluster));
      if (c === undefined || liveBrokers(c).length === 0)
        throw new KafkaAdminError(
          'KAFKA_UNREACHABLE',
          `${describeCluster(address)}: no broker answers at ${address.bootstrap.join(',') || '(no bootstrap servers)'}; are the broker pods running?`,
        );
      if (c.activeController === undefined)
        throw new KafkaAdminError(
          'KAFKA_UNREACHABLE',
          `${describeCluster(address)}: the KRaft quorum has no active controller (a majority of the controllers must run)`,
        );
      return c;
    },
    liveBrokers,
    topicOf,

    createTopic(c: SimCluster, spec: TopicSpec): void {
      if (!LEGAL_TOPIC.test(spec.name) || spec.name === '.' || spec.name === '..')
        throw new KafkaAdminError(
          'KAFKA_INVALID_TOPIC',
          `topic name ${JSON.stringify(spec.name)} in ${named(c)} is illegal: use 1-249 of a-z A-Z 0-9 . _ -`,
        );
      if (c.topics.has(spec.name)) return;
      if (!Number.isInteger(spec.partitions) || spec.partitions < 1)
        throw new KafkaAdminError(
          'KAFKA_INVALID_PARTITIONS',
          `topic ${spec.name}: partitions must be at least 1`,
        );
      const brokers = liveBrokers(c);
      if (!Number.isInteger(spec.replicas) || spec.replicas < 1 || spec.replicas > brokers.length)
        throw new KafkaAdminError(
          'KAFKA_INVALID_REPLICATION_FACTOR',
          `topic ${spec.name} in ${named(c)}: replication factor ${spec.replicas} larger than available brokers: ${brokers.length}`,
        );
      const assignment = assignReplicas(spec.name, brokers, 0, spec.partitions, spec.replicas);
      c.topics.set(spec.name, {
        name: spec.name,
        config: { ...spec.config },
        partitions: assignment.map((replicas, i) => newPartition(i, replicas)),
      });
      model.record(c, {
        type: 'topic-created',
        topic: spec.name,
        detail: `${spec.partitions}x${spec.replicas}`,
      });
      model.settle(c);
    },

    /** Kafka answers INVALID_PARTITIONS for an unchanged count too; here that is a no-op (idempotent). */
    createPartitions(c: SimCluster, name: string, count: number): void {
      const topic = topicOf(c, name);
      const current = topic.partitions.length;
      if (count === current) return;
      if (!Number.isInteger(count) || count < current)
        throw new KafkaAdminError(
          'KAFKA_INVALID_PARTITIONS',
          `topic ${name} in ${named(c)} has ${current} partitions; partitions can only be added, not ${count}`,
        );
      const factor = topic.partitions[0]?.target?.length ?? topic.partitions[0]?.replicas.length ?? 1;
      const brokers = liveBrokers(c);
      if (factor > brokers.length)
        throw new KafkaAdminError(
          'KAFKA_INVALID_REPLICATION_FACTOR',
          `topic ${name}: replication factor ${factor} larger than available brokers: ${brokers.length}`,
        );
      const assignment = assignReplicas(name, brokers, current, count - current, factor);
      assignment.forEach((replicas, i) => topic.partitions.push(newPartition(current + i, replicas)));
      model.record(c, { type: 'partitions-created', topic: name, detail: `${current} -> ${count}` });
      model.settle(c);
    },

    alterTopicConfig(c: SimCluster, name: string, config: Record<string, string>): void {
      Object.assign(topicOf(c, name).config, config);
      model.settle(c);
    },

    deleteTopic(c: SimCluster, name: string): void {
      if (c.topics.delete(name)) model.record(c, { type: 'topic-deleted', topic: name });
    },

    /** Validates every move before starting any. A new target replaces one in flight. */
    reassign(c: SimCluster, moves: { topic: string; partition: number; replicas: number[] }[]): void {
      const planned = moves.map((move) => {
        const topic = topicOf(c, move.topic);
        const p = topic.partitions[move.partition];
        if (p === undefined)
          throw new KafkaAdminError(
            'KAFKA_UNKNOWN_TOPIC',
            `${named(c)}: topic ${move.topic} has no partition ${move.partition}`,
          );
        const where = `${move.topic}-${move.partition} in ${named(c)}`;
        const invalid = (why: string): KafkaAdminError =>
          new KafkaAdminError('KAFKA_INVALID_REPLICA_ASSIGNMENT', `reassignment of ${where}: ${why}`);
        if (move.replicas.length === 0) throw invalid('the target replica list is empty');
        if (new Set(move.replicas).size !== move.replicas.length)
          throw invalid(`duplicate brokers in ${move.replicas.join(',')}`);
        const unknown = move.replicas.filter((id) => !c.nodes.get(id)?.registered);
        // Fenced (stopped) brokers are valid targets: the move waits for them, as in KRaft.
        if (unknown.length > 0) throw invalid(`brokers ${unknown.join(',')} are not registered`);
        return { topic, p, target: [...move.replicas] };
      });
      for (const { topic, p, target } of planned) {
        const origin = p.replicas.filter((id) => !p.adding.includes(id));
        const adding = target.filter((id) => !origin.includes(id));
        const removing = origin.filter((id) => !target.includes(id));
        if (adding.length === 0 && removing.length === 0 && target.every((id, i) => id === origin[i])) {
          p.replicas = origin;
          delete p.target;
          p.adding = [];
          p.removing = [];
          continue;
        }
        p.target = target;
        p.adding = adding;
        p.removing = removing;
        p.replicas = [...target, ...removing];
        for (const id of p.copied) if (!adding.includes(id)) p.copied.delete(id);
        model.record(c, {
          type: 'reassignment-started',
          topic: topic.name,
          partition: p.partition,
          detail: `${origin.join(',')} -> ${target.join(',')}`,
        });
        for (const id of adding) if (!p.copied.has(id)) copy(c, topic, p, id, target);
      }
      model.settle(c);
    },

    reassignments(c: SimCluster): Reassignment[] {
      return [...c.topics.values()].flatMap((topic) =>
        topic.partitions
          .filter((p) => p.target !== undefined)
          .map((p) => ({
            topic: topic.name,
            partition: p.partition,
            replicas: [...p.replicas],
            adding: [...p.adding],
            removing: [...p.removing],
          })),
      );
    },

    alterBrokerConfig(c: SimCluster, broker: number, config: Record<string, string>): void {
      const node = c.nodes.get(broker);
      if (node === undefined || !node.registered)
        throw new KafkaAdminError('KAFKA_REQUEST', `${named(c)}: broker ${broker} is not registered`);
      const readOnly = Object.keys(config).filter((key) => !isDynamicBrokerConfig(key));
      if (readOnly.length > 0)
        throw new KafkaAdminError(
          'KAFKA_INVALID_CONFIG',
          `${named(c)} broker ${broker}: cannot update ${readOnly.join(', ')} dynamically; change the brokers' config and roll them`,
        );
      Object.assign(node.config, config);
      model.record(c, { type: 'broker-config', node: broker, detail: Object.keys(config).join(',') });
      model.settle(c);
    },

    updateMetadataVersion(c: SimCluster, version: string): void {
      const wanted = parseMetadataVersion(version);
      const refuse = (why: string): never => {
        model.record(c, { type: 'refused', detail: `metadata.version ${version}: ${why}` });
        throw new KafkaAdminError(
          'KAFKA_INVALID_UPDATE_VERSION',
          `${named(c)}: metadata.version ${version}: ${why}`,
        );
      };
      if (wanted === undefined) return refuse('not a level like 3.9-IV0');
      const finalized = parseMetadataVersion(c.metadataVersion ?? '');
      if (finalized !== undefined) {
        const order = compareMetadataVersions(wanted, finalized);
        if (order === 0) return;
        if (order < 0) return refuse(`a downgrade from ${c.metadataVersion} is not supported`);
      }
      // The controller checks every registered broker and every voter, running or not.
      for (const node of c.nodes.values()) {
        if (!node.registered && !isController(node)) continue;
        const highest = parseMetadataVersion(highestMetadataVersion(node.version) ?? '');
        if (highest !== undefined && compareMetadataVersions(highest, wanted) < 0)
          refuse(
            `node ${node.id} runs Kafka ${node.version}, which supports up to ${formatMetadataVersion(highest)}`,
          );
      }
      c.metadataVersion = formatMetadataVersion(wanted);
      model.record(c, { type: 'metadata-version', detail: c.metadataVersion });
    },

    /** Unknown or already unregistered brokers are a no-op; a running one is refused. */
    unregisterBroker(c: SimCluster, broker: number): void {
      const node = c.nodes.get(broker);
      if (node === undefined || !node.registered) return;
      if (node.running)
        throw new KafkaAdminError(
          'KAFKA_BROKER_ACTIVE',
          `${named(c)}: broker ${broker} (pod ${node.pod}) still runs; stop its pod before unregistering it`,
        );
      let held = 0;
      for (const topic of c.topics.values())
        for (const p of topic.partitions) if (p.replicas.includes(broker)) held++;
      node.registered = false;
      node.fenced = false;
      if (!isController(node)) c.nodes.delete(broker);
      model.record(c, { type: 'unregistered', node: broker, heldReplicas: held });
      model.settle(c);
    },

    produce(c: SimCluster, name: string, bytes: number, partition?: number): void {
      const topic = topicOf(c, name);
      const targets = partition === undefined ? topic.partitions : [topic.partitions[partition]];
      const min = minIsrOf(c, topic);
      for (const p of targets) {
        if (p === undefined)
          throw new KafkaAdminError('KAFKA_UNKNOWN_TOPIC', `topic ${name} has no partition ${partition}`);
        if (p.leader === -1)
          throw new KafkaAdminError(
            'KAFKA_UNREACHABLE',
            `${name}-${p.partition} in ${named(c)} has no leader`,
          );
        if (p.isr.length < min)
          throw new KafkaAdminError(
            'KAFKA_NOT_ENOUGH_REPLICAS',
            `${name}-${p.partition} in ${named(c)}: ${p.isr.length} in-sync replicas, min.insync.replicas is ${min}`,
          );
      }
      for (const p of targets) if (p !== undefined) p.bytes += Math.round(bytes / targets.length);
    },
  };
}
