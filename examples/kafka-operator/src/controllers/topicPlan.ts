/**
 * The topic controller's decisions, pure: what to change on a topic that exists (or why not), and the
 * new replica lists of a replication-factor change. Start with {@link topicChanges}.
 */
import type { TopicInfo } from '../admin/kafkaAdmin.js';
import type { KafkaTopicSpec } from '../api/kafkaTopic.js';
import { TOPIC_REASONS } from '../api/kafkaTopic.js';
import type { Move } from './plan.js';

export interface TopicChanges {
  /** Why nothing may change (a condition reason and a message naming the field). */
  refused?: { reason: string; message: string };
  partitions?: number;
  config?: Record<string, string>;
  moves?: Move[];
}

/**
 * New replica lists with `factor` replicas each: growing adds the brokers holding fewest replicas
 * (ties: lowest id); shrinking drops from the end, so the preferred leader (first) stays.
 */
export function resizeReplicas(
  topic: TopicInfo,
  factor: number,
  brokers: number[],
  allTopics: TopicInfo[],
): Move[] {
  const load = new Map<number, number>(brokers.map((b) => [b, 0]));
  for (const t of allTopics)
    for (const p of t.partitions)
      for (const r of p.replicas) if (load.has(r)) load.set(r, (load.get(r) ?? 0) + 1);
  const moves: Move[] = [];
  for (const p of topic.partitions) {
    if (p.replicas.length === factor) continue;
    let replicas = p.replicas.slice(0, factor);
    while (replicas.length < factor) {
      const next = brokers
        .filter((b) => !replicas.includes(b))
        .sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a - b)[0];
      if (next === undefined) break;
      load.set(next, (load.get(next) ?? 0) + 1);
      replicas = [...replicas, next];
    }
    moves.push({ topic: topic.name, partition: p.partition, replicas });
  }
  return moves;
}

// #region topicChanges
/** What to change on an existing topic to match the spec, or why it is refused (then nothing changes). */
export function topicChanges(
  spec: KafkaTopicSpec,
  topic: TopicInfo,
  brokers: number[],
  allTopics: TopicInfo[],
): TopicChanges {
  const current = topic.partitions.length;
  if (spec.partitions < current)
    return {
      refused: {
        reason: TOPIC_REASONS.partitionDecrease,
        message: `spec.partitions: ${spec.partitions} is below the topic's ${current} partitions; Kafka cannot remove partitions (set it back to ${current} or more)`,
      },
    };
  if (spec.replicas > brokers.length)
    return {
      refused: {
        reason: TOPIC_REASONS.tooManyReplicas,
        message: `spec.replicas: ${spec.replicas} replicas but the cluster has ${brokers.length} brokers`,
      },
    };
  const changes: TopicChanges = {};
  if (spec.partitions > current) changes.partitions = spec.partitions;
  const config = Object.fromEntries(
    Object.entries(spec.config ?? {}).filter(([key, value]) => topic.config[key] !== value),
  );
  if (Object.keys(config).length > 0) changes.config = config;
  const moves = resizeReplicas(topic, spec.replicas, brokers, allTopics);
  if (moves.length > 0) changes.moves = moves;
  return changes;
}
// #endregion
