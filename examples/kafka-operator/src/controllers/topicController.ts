/**
 * The KafkaTopic controller: creates the topic in its cluster, raises its partitions, sets its
 * config and changes its replication factor through the Admin API, and deletes it behind a finalizer.
 * Start with {@link TopicController.reconcile}.
 *
 * Flow: find the cluster → describe the topic → create it, or refuse (partitions decrease, more
 * replicas than brokers) and change nothing, or apply partitions → config → reassignment → status.
 * Guarantees: partitions never decrease; a refused spec changes nothing in Kafka; the topic is deleted
 * in Kafka before the resource goes (unless its cluster went first). Assumptions: the topic name is
 * the resource's name. Errors: Kafka unreachable → Ready=False (KafkaUnavailable), looked at again
 * after the poll interval; other admin errors fail the reconcile and retry with backoff.
 */
import { Controller, resourceRefOf } from '@steward/core';
import type { ContextOf, ReconcileResult } from '@steward/core';
import type { KafkaAdmin } from '../admin/kafkaAdmin.js';
import { KafkaAdminError } from '../admin/kafkaErrors.js';
import { clusterSpecOf, KafkaCluster } from '../api/kafkaCluster.js';
import type { Cluster } from '../api/kafkaCluster.js';
import { KafkaTopic, TOPIC_REASONS } from '../api/kafkaTopic.js';
import type { Topic } from '../api/kafkaTopic.js';
import { nodeIds } from '../resources/labels.js';
import { addressOf } from './observe.js';
import { topicChanges } from './topicPlan.js';

type Ctx = ContextOf<Topic>;
const clusters = resourceRefOf(KafkaCluster);

export interface TopicControllerOptions {
  admin: KafkaAdmin;
  /** How often to look again while the cluster is missing or a reassignment runs (default 2 s). */
  pollIntervalMs?: number;
  /**
   * How often to look at a Ready topic (default 30 s): Kafka sends no Kubernetes events, so a topic
   * deleted or changed with Kafka's own tools is only noticed by looking.
   */
  resyncIntervalMs?: number;
}

@Controller({ for: KafkaTopic, name: 'kafkatopic', finalizer: 'kafka.steward.dev/topic' })
export class TopicController {
  private readonly admin: KafkaAdmin;
  private readonly pollMs: number;
  private readonly resyncMs: number;

  constructor(options: TopicControllerOptions) {
    this.admin = options.admin;
    this.pollMs = options.pollIntervalMs ?? 2000;
    this.resyncMs = options.resyncIntervalMs ?? 30_000;
  }

  async reconcile(topic: Topic, ctx: Ctx): Promise<ReconcileResult> {
    const namespace = topic.metadata.namespace ?? '';
    const name = topic.metadata.name ?? '';
    const notReady = (reason: string, message: string): ReconcileResult => {
      ctx.status.setCondition({ type: 'Ready', status: 'False', reason, message });
      return { requeueAfter: this.pollMs };
    };
    const cluster = await ctx.reader.get<Cluster>(clusters, topic.spec.cluster, { namespace });
    if (cluster === undefined)
      return notReady(
        TOPIC_REASONS.clusterMissing,
        `spec.cluster: KafkaCluster ${namespace}/${topic.spec.cluster} not found`,
      );
    const address = addressOf(namespace, topic.spec.cluster);
    try {
      // The brokers the cluster is meant to have, not those Kafka lists now: it lists only unfenced
      // brokers, and a broker restarting must not make a 3-replica topic look too wide.
      const brokers = nodeIds('broker', clusterSpecOf(cluster).brokers);
      const current = await this.admin.describeTopic(address, name);
      if (current === undefined) {
        if (topic.spec.replicas > brokers.length)
          return notReady(
            TOPIC_REASONS.tooManyReplicas,
            `spec.replicas: ${topic.spec.replicas} replicas but the cluster has ${brokers.length} brokers`,
          );
        await this.admin.createTopic(address, {
          name,
          partitions: topic.spec.partitions,
          replicas: topic.spec.replicas,
          ...(topic.spec.config === undefined ? {} : { config: topic.spec.config }),
        });
        void ctx.events.normal(
          'TopicCreated',
          `created ${name}: ${topic.spec.partitions} partitions × ${topic.spec.replicas} replicas`,
        );
        return this.ready(ctx, topic.spec.partitions, topic.spec.replicas);
      }
      const inFlight = (await this.admin.listReassignments(address)).filter((r) => r.topic === name);
      ctx.status.set({
        partitions: current.partitions.length,
        replicas: current.partitions[0]?.replicas.length,
      });
      if (inFlight.length > 0)
        return notReady(TOPIC_REASONS.reassigning, `${inFlight.length} partitions moving`);
      const changes = topicChanges(topic.spec, current, brokers, await this.admin.listTopics(address));
      if (changes.refused !== undefined) {
        void ctx.events.warning(changes.refused.reason, changes.refused.message);
        ctx.status.setCondition({ type: 'Ready', status: 'False', ...changes.refused });
        return undefined; // nothing to retry: the spec must change
      }
      if (changes.partitions !== undefined) {
        await this.admin.createPartitions(address, name, changes.partitions);
        void ctx.events.normal(
          'PartitionsAdded',
          `${name}: ${current.partitions.length} → ${changes.partitions} partitions`,
        );
      }
      if (changes.config !== undefined) {
        await this.admin.alterTopicConfig(address, name, changes.config);
        void ctx.events.normal('ConfigChanged', `${name}: set ${Object.keys(changes.config).join(', ')}`);
      }
      if (changes.moves !== undefined) {
        await this.admin.reassignPartitions(address, changes.moves);
        void ctx.events.normal('ReplicasChanging', `${name}: reassigning to ${topic.spec.replicas} replicas`);
        return notReady(TOPIC_REASONS.reassigning, `moving to ${topic.spec.replicas} replicas`);
      }
      return this.ready(ctx, topic.spec.partitions, topic.spec.replicas);
    } catch (error) {
      if (error instanceof KafkaAdminError && error.retryable)
        return notReady(TOPIC_REASONS.kafkaUnavailable, error.message);
      throw error;
    }
  }

  /**
   * Deletes the topic in Kafka. If the cluster resource is gone or going, so is Kafka's data: there is
   * nothing left to delete, and waiting for it would hold the topic resource forever.
   */
  async cleanup(topic: Topic, ctx: Ctx): Promise<ReconcileResult> {
    const namespace = topic.metadata.namespace ?? '';
    const cluster = await ctx.reader.get<Cluster>(clusters, topic.spec.cluster, { namespace });
    if (cluster === undefined || cluster.metadata.deletionTimestamp !== undefined) return undefined;
    try {
      await this.admin.deleteTopic(addressOf(namespace, topic.spec.cluster), topic.metadata.name ?? '');
    } catch (error) {
      if (!(error instanceof KafkaAdminError && error.code === 'KAFKA_UNKNOWN_TOPIC')) throw error;
    }
    void ctx.events.normal('TopicDeleted', `deleted ${topic.metadata.name ?? ''} from ${topic.spec.cluster}`);
    return undefined;
  }

  private ready(ctx: Ctx, partitions: number, replicas: number): ReconcileResult {
    ctx.status.set({ partitions, replicas });
    ctx.status.setCondition({ type: 'Ready', status: 'True', reason: TOPIC_REASONS.created, message: '' });
    return { requeueAfter: this.resyncMs };
  }
}
