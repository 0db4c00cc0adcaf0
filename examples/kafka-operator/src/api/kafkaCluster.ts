/**
 * The `KafkaCluster` custom resource (`kafka.steward.dev/v1alpha1`): a KRaft Kafka cluster — its
 * controller quorum, its brokers, their settings — and what the operator reports back. Start with
 * {@link KafkaCluster}; the invalid specs the API server refuses are the `@Cel` rules below.
 */
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Cel, Conditions, CustomResource, Default, Description, MapOf, PrinterColumn } from '@steward/core';
import type { Condition, KubeObject } from '@steward/core';

/** The Kafka releases the operator knows how to run (KRaft only: ZooKeeper mode is gone in 4.0). */
export const KAFKA_VERSIONS = ['3.8.0', '3.9.0', '4.0.0', '4.1.0'] as const;
export const DEFAULT_KAFKA_VERSION = '3.9.0';

/** The condition types a KafkaCluster reports. */
export const CLUSTER_CONDITIONS = {
  ready: 'Ready',
  scalingDown: 'ScalingDown',
  rollingRestart: 'RollingRestart',
  upgrading: 'Upgrading',
  warning: 'Warning',
} as const;

@Cel({
  rule: 'self.replicas % 2 == 1',
  message:
    'controllers.replicas must be odd: a KRaft quorum of 2n+1 survives n failures, an even one no more',
  fieldPath: '.replicas',
  reason: 'FieldValueInvalid',
})
export class ControllersSpec {
  @IsInt()
  @Min(1)
  @Max(9)
  @Default(3)
  @Description('Size of the KRaft controller quorum (odd); fixed once the cluster is created')
  replicas!: number;
}

export class StorageSpec {
  @IsString()
  @Matches(/^[0-9]+(Mi|Gi|Ti)$/)
  @Description('Size of each broker data volume (the claim data-<cluster>-broker-<id>)')
  size!: string;
}

export class BrokersSpec {
  @IsInt()
  @Min(1)
  @Max(100)
  @Description('Number of brokers; a decrease first moves every partition replica off the brokers that go')
  replicas!: number;

  @ValidateNested()
  @Type(() => StorageSpec)
  storage!: StorageSpec;
}

export class RackSpec {
  @IsString()
  @MaxLength(253)
  @Description('Node label whose value becomes broker.rack (e.g. topology.kubernetes.io/zone)')
  topologyKey!: string;
}

// The quorum cannot be resized by this operator: KRaft's dynamic quorum needs controller
// registration and voter changes one at a time, which it does not carry out.
@Cel({
  rule: 'self.controllers.replicas == oldSelf.controllers.replicas',
  message: 'controllers.replicas cannot change after creation: the KRaft quorum size is fixed',
  fieldPath: '.controllers.replicas',
  reason: 'FieldValueForbidden',
})
// A topic default the brokers cannot satisfy makes every auto-created topic fail.
@Cel({
  rule: "!has(self.config) || !('default.replication.factor' in self.config) || int(self.config['default.replication.factor']) <= self.brokers.replicas",
  message: 'config[default.replication.factor] must not exceed brokers.replicas (replicas above brokers)',
  fieldPath: ".config['default.replication.factor']",
  reason: 'FieldValueInvalid',
})
@Cel({
  rule: "!has(self.config) || !('min.insync.replicas' in self.config) || int(self.config['min.insync.replicas']) <= self.brokers.replicas",
  message:
    'config[min.insync.replicas] must not exceed brokers.replicas: no write could ever be acknowledged',
  fieldPath: ".config['min.insync.replicas']",
  reason: 'FieldValueInvalid',
})
export class KafkaClusterSpec {
  @IsOptional()
  @IsIn([...KAFKA_VERSIONS])
  @Default(DEFAULT_KAFKA_VERSION)
  @Description('Kafka version; a change rolls every node onto it, then raises metadataVersion')
  @PrinterColumn({ name: 'Version' })
  version?: string;

  @IsOptional()
  @Matches(/^[0-9]+\.[0-9]+-IV[0-9]+$/)
  @Description('KRaft metadata.version (e.g. 3.9-IV0); default: the highest the version supports')
  metadataVersion?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => ControllersSpec)
  @Default({ replicas: 3 })
  controllers?: ControllersSpec;

  @ValidateNested()
  @Type(() => BrokersSpec)
  brokers!: BrokersSpec;

  @IsOptional()
  @MapOf(String)
  @Description('Broker settings (server.properties); dynamic ones are applied live, others roll the brokers')
  config?: Record<string, string>;

  @IsOptional()
  @ValidateNested()
  @Type(() => RackSpec)
  rack?: RackSpec;
}

export class KafkaClusterStatus {
  @IsOptional() @Conditions() conditions?: Condition[];

  @IsOptional() @IsString() @Description('The KRaft cluster id') clusterId?: string;

  @IsOptional()
  @IsInt({ each: true })
  @Description('Broker ids registered with the quorum')
  brokerIds?: number[];

  @IsOptional()
  @IsInt()
  @Description('Node id of the active KRaft controller')
  @PrinterColumn({ name: 'Controller', priority: 1 })
  activeController?: number;

  @IsOptional()
  @IsString()
  @Description('The version every node runs (the older one while a roll is under way)')
  kafkaVersion?: string;

  @IsOptional()
  @IsString()
  @Description('The finalized metadata.version')
  @PrinterColumn({ name: 'Metadata' })
  metadataVersion?: string;

  @IsOptional() @IsInt() @Min(0) @PrinterColumn({ name: 'Brokers' }) readyBrokers?: number;

  @IsOptional() @IsInt() observedGeneration?: number;
}

@CustomResource({
  group: 'kafka.steward.dev',
  version: 'v1alpha1',
  kind: 'KafkaCluster',
  shortNames: ['kc'],
  categories: ['kafka'],
  printerColumns: [
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  ],
})
export class KafkaCluster {
  @ValidateNested() @Type(() => KafkaClusterSpec) spec!: KafkaClusterSpec;
  @IsOptional() @ValidateNested() @Type(() => KafkaClusterStatus) status?: KafkaClusterStatus;
}

/** A KafkaCluster as read from the API server (metadata included). */
export type Cluster = KafkaCluster & KubeObject;

/** The spec with its server-side defaults filled in. */
export interface ResolvedClusterSpec {
  version: string;
  metadataVersion: string | undefined;
  controllers: number;
  brokers: number;
  storageSize: string;
  config: Record<string, string>;
  rackTopologyKey: string | undefined;
}

/** The spec with its defaults, for code that may see an object written before defaulting. */
export function clusterSpecOf(cluster: KafkaCluster): ResolvedClusterSpec {
  const s = cluster.spec;
  return {
    version: s.version ?? DEFAULT_KAFKA_VERSION,
    metadataVersion: s.metadataVersion,
    controllers: s.controllers?.replicas ?? 3,
    brokers: s.brokers.replicas,
    storageSize: s.brokers.storage.size,
    config: s.config ?? {},
    rackTopologyKey: s.rack?.topologyKey,
  };
}
