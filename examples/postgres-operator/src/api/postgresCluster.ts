/**
 * The PostgresCluster resource: what a user asks for (instances, version, storage, parameters, how the
 * primary is updated) and what the operator reports back (who is primary, per-instance role and WAL
 * position, conditions). Start with {@link PostgresCluster}; the CRD is `crdFor(PostgresCluster)`.
 */
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Cel, Conditions, CustomResource, Default, Description, MapOf, PrinterColumn } from '@steward/core';
import type { Condition } from '@steward/core';
import { GROUP } from './labels.js';

/**
 * postgresql.conf settings the operator sets itself: replication and the listening port only work
 * when every instance agrees with what the operator wired (Services, probes, streaming).
 */
export const OPERATOR_OWNED_PARAMETERS = [
  'port',
  'listen_addresses',
  'wal_level',
  'hot_standby',
  'primary_conninfo',
  'primary_slot_name',
  'recovery_target',
  'restore_command',
  'archive_mode',
  'archive_command',
  'data_directory',
  'hba_file',
  'ident_file',
  'max_wal_senders',
  // A switchover stops the primary's writes with it (ALTER SYSTEM), which a `-c` setting would override.
  'default_transaction_read_only',
] as const;

const deniedList = OPERATOR_OWNED_PARAMETERS.map((p) => `'${p}'`).join(', ');

export class StorageSpec {
  @Description('Size of each instance volume, e.g. 1Gi. Volumes are never shrunk.')
  @Matches(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi)?$/)
  size!: string;

  @IsOptional() @IsString() storageClassName?: string;
}

export class ResourceRequirements {
  @IsOptional() @MapOf(String) requests?: Record<string, string>;
  @IsOptional() @MapOf(String) limits?: Record<string, string>;
}

export class PostgresClusterSpec {
  @Description('Number of Postgres instances: one primary, the rest streaming replicas.')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(9)
  @Default(1)
  @PrinterColumn({ name: 'Instances' })
  instances!: number;

  /**
   * The Postgres version (image tag `postgres:<version>`). A major upgrade needs pg_upgrade, which a
   * restart cannot do: the transition rule refuses it at the API, before any pod is touched.
   */
  @Description('Postgres version: a major ("16") or major.minor ("16.4"). The major cannot change.')
  @Matches(/^[0-9]+(\.[0-9]+)?$/)
  @Cel(
    "self.split('.')[0] == oldSelf.split('.')[0]",
    'the major version cannot change in place (it needs pg_upgrade); create a new cluster and migrate, or change only the minor version',
  )
  version!: string;

  @ValidateNested() @Type(() => StorageSpec) storage!: StorageSpec;

  @IsOptional() @ValidateNested() @Type(() => ResourceRequirements) resources?: ResourceRequirements;

  @Description(`postgresql.conf settings. The operator owns: ${OPERATOR_OWNED_PARAMETERS.join(', ')}.`)
  @IsOptional()
  @MapOf(String)
  @Cel(
    `self.all(k, !(k in [${deniedList}]))`,
    `these settings are managed by the operator and cannot be set: ${OPERATOR_OWNED_PARAMETERS.join(', ')}`,
  )
  parameters?: Record<string, string>;

  /**
   * `unsupervised`: after the replicas of a rolling change, the operator switches over to an updated
   * replica and updates the old primary. `supervised`: it waits for the user's switchover request.
   */
  @IsOptional() @IsIn(['unsupervised', 'supervised']) @Default('unsupervised') primaryUpdateStrategy?:
    'unsupervised' | 'supervised';

  @Description('Seconds the primary may be gone or not ready before the operator fails over.')
  @IsOptional()
  @IsInt()
  @Min(0)
  failoverDelaySeconds?: number;
}

export class InstanceReport {
  @IsString() name!: string;
  @IsIn(['primary', 'replica', 'unknown']) role!: 'primary' | 'replica' | 'unknown';
  @IsBoolean() ready!: boolean;
  @IsOptional() @IsString() lsn?: string;
  @IsOptional() @IsInt() timeline?: number;
  @IsOptional() @IsInt() lagBytes?: number;
  @IsOptional() @IsString() streamingFrom?: string;
  @IsOptional() @IsBoolean() updated?: boolean;
}

export const PHASES = [
  'Bootstrapping',
  'Healthy',
  'Scaling',
  'FailingOver',
  'Switchover',
  'Upgrading',
  'WaitingForUser',
  'Degraded',
] as const;
// Spelled out (not `(typeof PHASES)[number]`) so the emitted design type is String.
export type Phase =
  | 'Bootstrapping'
  | 'Healthy'
  | 'Scaling'
  | 'FailingOver'
  | 'Switchover'
  | 'Upgrading'
  | 'WaitingForUser'
  | 'Degraded';

export class PostgresClusterStatus {
  @IsOptional()
  @IsString()
  @IsIn([...PHASES])
  @PrinterColumn({ name: 'Phase', type: 'string' })
  phase?: Phase;
  @IsOptional() @IsString() @PrinterColumn({ name: 'Primary' }) currentPrimary?: string;
  @IsOptional() @IsInt() @PrinterColumn({ name: 'Ready' }) readyInstances?: number;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => InstanceReport) instances?: InstanceReport[];
  /** When the current primary was first seen gone or not ready (RFC 3339): the failover clock. */
  @IsOptional() @IsString() currentPrimaryFailingSince?: string;
  /**
   * When a switchover was last aborted (its target did not catch up; RFC 3339): a rolling change
   * waits a while before it stops the primary's writes again. Cleared by a completed switchover.
   */
  @IsOptional() @IsString() switchoverAbortedAt?: string;
  /** The highest serial ever given out: serials only grow, so a name is never reused for new data. */
  @IsOptional() @IsInt() latestSerial?: number;
  @IsOptional() @IsInt() observedGeneration?: number;
  @IsOptional() @Conditions() conditions?: Condition[];
}

@CustomResource({ group: GROUP, version: 'v1alpha1', kind: 'PostgresCluster', shortNames: ['pgc'] })
export class PostgresCluster {
  @ValidateNested() @Type(() => PostgresClusterSpec) spec!: PostgresClusterSpec;
  @IsOptional() @ValidateNested() @Type(() => PostgresClusterStatus) status?: PostgresClusterStatus;
}
