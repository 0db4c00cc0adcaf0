/**
 * The `KafkaTopic` custom resource (`kafka.steward.dev/v1alpha1`): one topic of a KafkaCluster in the
 * same namespace, named after the resource. Start with {@link KafkaTopic}. What the schema cannot
 * know (the cluster's broker count, the topic's current partitions) the controller checks and reports
 * as a condition.
 */
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Cel, Conditions, CustomResource, Description, MapOf, PrinterColumn } from '@steward/core';
import type { Condition, KubeObject } from '@steward/core';

/** The condition types and reasons a KafkaTopic reports. */
export const TOPIC_REASONS = {
  created: 'TopicReady',
  clusterMissing: 'ClusterNotFound',
  kafkaUnavailable: 'KafkaUnavailable',
  partitionDecrease: 'PartitionDecreaseRefused',
  tooManyReplicas: 'ReplicationFactorTooHigh',
  reassigning: 'Reassigning',
} as const;

// A topic whose min.insync.replicas exceeds its replicas can never acknowledge an acks=all write.
@Cel({
  rule: "!has(self.config) || !('min.insync.replicas' in self.config) || int(self.config['min.insync.replicas']) <= self.replicas",
  message: 'config[min.insync.replicas] must not exceed replicas: no acks=all write could succeed',
  fieldPath: ".config['min.insync.replicas']",
  reason: 'FieldValueInvalid',
})
export class KafkaTopicSpec {
  @IsString()
  @MaxLength(63)
  @Matches(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
  @Description('Name of the KafkaCluster (same namespace) the topic lives in')
  @PrinterColumn({ name: 'Cluster' })
  cluster!: string;

  @IsInt()
  @Min(1)
  @Max(10000)
  @Description('Partition count; it can only grow (Kafka cannot merge partitions)')
  @PrinterColumn({ name: 'Partitions' })
  partitions!: number;

  @IsInt()
  @Min(1)
  @Max(32)
  @Description('Replication factor; at most the number of brokers; a change is a reassignment')
  @PrinterColumn({ name: 'Replicas' })
  replicas!: number;

  @IsOptional()
  @MapOf(String)
  @Description('Topic configs (retention.ms, cleanup.policy, min.insync.replicas, …), applied live')
  config?: Record<string, string>;
}

export class KafkaTopicStatus {
  @IsOptional() @Conditions() conditions?: Condition[];
  @IsOptional() @IsInt() @Description('Partitions the topic has in Kafka') partitions?: number;
  @IsOptional() @IsInt() @Description('Replication factor the topic has in Kafka') replicas?: number;
  @IsOptional() @IsInt() observedGeneration?: number;
}

@CustomResource({
  group: 'kafka.steward.dev',
  version: 'v1alpha1',
  kind: 'KafkaTopic',
  shortNames: ['kt'],
  categories: ['kafka'],
  printerColumns: [
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  ],
})
export class KafkaTopic {
  @ValidateNested() @Type(() => KafkaTopicSpec) spec!: KafkaTopicSpec;
  @IsOptional() @ValidateNested() @Type(() => KafkaTopicStatus) status?: KafkaTopicStatus;
}

/** A KafkaTopic as read from the API server (metadata included). */
export type Topic = KafkaTopic & KubeObject;
