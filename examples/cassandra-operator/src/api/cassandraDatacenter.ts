/**
 * The `CassandraDatacenter` custom resource (`cassandra.steward.dev/v1alpha1`): one Cassandra
 * datacenter, its racks, and what the operator reports back. Start with {@link CassandraDatacenter};
 * the invalid specs the API server rejects are the `@Cel` rules on {@link CassandraDatacenterSpec}.
 */
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Cel, Conditions, CustomResource, Default, Description, MapOf, PrinterColumn } from '@steward/core';
import type { Condition, KubeObject } from '@steward/core';

/** The Cassandra versions the management-API image is published for. */
export const SERVER_VERSIONS = ['4.0.17', '4.1.8', '5.0.4'] as const;
export const DEFAULT_SERVER_VERSION = '4.1.8';

/** A rack: one StatefulSet, ideally pinned to one zone, so a zone outage takes one replica of each range. */
export class Rack {
  @IsString()
  @MinLength(1)
  @MaxLength(16)
  @Matches(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
  @Description('Rack name: names the StatefulSet and is the rack Cassandra sees (a DNS label)')
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(63)
  @Description('Zone (topology.kubernetes.io/zone) the rack pods are scheduled in')
  zone?: string;
}

export class StorageSpec {
  @IsString()
  @Matches(/^[0-9]+(Mi|Gi|Ti)$/)
  @Default('10Gi')
  @Description('Size of each node data volume (the claim server-data-<statefulset>-<ordinal>)')
  size!: string;
}

@Cel({
  rule: 'self.size >= size(self.racks)',
  message: 'size must be at least the number of racks (every rack needs a node)',
  fieldPath: '.size',
  reason: 'FieldValueInvalid',
})
@Cel({
  // Resizing and re-racking at once would move nodes between racks while they join or leave; the
  // operator does one topology change at a time, so the API says so up front.
  rule: 'self.size == oldSelf.size || self.racks == oldSelf.racks',
  message: 'change size and racks in separate edits: a size change together with a rack change is refused',
  fieldPath: '.racks',
  reason: 'FieldValueForbidden',
})
export class CassandraDatacenterSpec {
  @IsString()
  @MinLength(1)
  @MaxLength(48)
  @Description('Cassandra cluster name; datacenters of one cluster share it')
  @PrinterColumn({ name: 'Cluster' })
  clusterName!: string;

  @IsOptional()
  @IsIn([...SERVER_VERSIONS])
  @Default(DEFAULT_SERVER_VERSION)
  @Description('Cassandra version; a change rolls the datacenter rack by rack')
  @PrinterColumn({ name: 'Version' })
  serverVersion?: string;

  @IsInt()
  @Min(1)
  @Max(100)
  @Description('Number of Cassandra nodes, spread evenly across the racks')
  @PrinterColumn({ name: 'Size' })
  size!: number;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => Rack)
  @Default([{ name: 'rack1' }])
  @Cel({
    rule: 'self.all(r, self.filter(s, s.name == r.name).size() == 1)',
    // No reason: FieldValueDuplicate would print "Duplicate value" and drop the message.
    message: 'rack names must be unique',
  })
  racks?: Rack[];

  @IsOptional()
  @ValidateNested()
  @Type(() => StorageSpec)
  @Default({ size: '10Gi' })
  storage?: StorageSpec;

  @IsOptional()
  @MapOf(String)
  @Description('cassandra.yaml settings (key: value), e.g. num_tokens: "16"; a change rolls the datacenter')
  config?: Record<string, string>;

  @IsOptional()
  @IsBoolean()
  @Default(false)
  @Description(
    'true drains every node and scales to zero, keeping the volumes; false brings the same nodes back',
  )
  @PrinterColumn({ name: 'Stopped', priority: 1 })
  stopped?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Description(
    'Set to a new value (a timestamp) to request a rolling restart, as kubectl rollout restart does',
  )
  restartRequestedAt?: string;
}

/** One node as the ring sees it. */
export class NodeStatus {
  @IsString() hostId!: string;
  @IsString() rack!: string;
  @IsString() @Description('nodetool status state: UN, UJ, UL, DN, LEFT, …') state!: string;
}

export class CassandraDatacenterStatus {
  @IsOptional() @Conditions() conditions?: Condition[];

  @IsOptional() @MapOf(NodeStatus) @Description('Per pod: its hostId, rack and ring state') nodes?: Record<
    string,
    NodeStatus
  >;

  @IsOptional() @IsInt() @Min(0) @PrinterColumn({ name: 'Ready' }) readyNodes?: number;

  @IsOptional() @IsInt() observedGeneration?: number;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @Description('Pods that still need nodetool cleanup after a scale-up')
  pendingCleanup?: string[];

  @IsOptional()
  @IsString()
  @Description('The restartRequestedAt whose rolling restart has completed')
  lastRollingRestart?: string;
}

@CustomResource({
  group: 'cassandra.steward.dev',
  version: 'v1alpha1',
  kind: 'CassandraDatacenter',
  shortNames: ['cassdc'],
  categories: ['cassandra'],
})
export class CassandraDatacenter {
  @ValidateNested() @Type(() => CassandraDatacenterSpec) spec!: CassandraDatacenterSpec;
  @IsOptional() @ValidateNested() @Type(() => CassandraDatacenterStatus) status?: CassandraDatacenterStatus;
}

/** A CassandraDatacenter as read from the API server (metadata included). */
export type Datacenter = CassandraDatacenter & KubeObject;

/** The spec with its server-side defaults filled in. */
export interface ResolvedSpec {
  clusterName: string;
  serverVersion: string;
  size: number;
  racks: Rack[];
  storage: StorageSpec;
  config: Record<string, string> | undefined;
  stopped: boolean;
  restartRequestedAt: string | undefined;
}

/** The spec with its defaults, for code that may see an object written before defaulting. */
export function specOf(dc: CassandraDatacenter): ResolvedSpec {
  const s = dc.spec;
  return {
    clusterName: s.clusterName,
    serverVersion: s.serverVersion ?? DEFAULT_SERVER_VERSION,
    size: s.size,
    racks: s.racks ?? [{ name: 'rack1' }],
    storage: s.storage ?? { size: '10Gi' },
    config: s.config,
    stopped: s.stopped ?? false,
    restartRequestedAt: s.restartRequestedAt,
  };
}
