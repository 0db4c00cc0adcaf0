/**
 * A realistic custom resource for the CRD tests: a PostgresCluster with a bounded, defaulted instance
 * count, a version enum, required storage with a size pattern, a parameters map, nested objects,
 * arrays of objects, CEL rules and printer columns. Used by `schemaOf.test.ts` and `crdFor.test.ts`.
 */
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CustomResource } from '../decorators/customResource.js';
import { Cel, Default, Description, MapOf, PrinterColumn } from '../decorators/fields.js';

export enum SyncMode {
  Async = 'async',
  Sync = 'sync',
}

export class Storage {
  @Matches(/^[0-9]+(Mi|Gi|Ti)$/)
  @Description('Volume size per instance, like "10Gi".')
  size!: string;

  @IsOptional()
  @IsString()
  storageClassName?: string;
}

export class User {
  @IsString()
  @MaxLength(63)
  name!: string;

  @IsOptional()
  @IsString({ each: true })
  @IsArray()
  roles?: string[];
}

export class Backup {
  @IsBoolean()
  @Default(false)
  enabled!: boolean;

  @IsOptional()
  @IsString()
  schedule?: string;
}

@Cel('self.instances >= 2 || self.syncMode != "sync"', 'synchronous replication needs at least 2 instances')
export class PostgresSpec {
  @IsInt()
  @Min(1)
  @Max(9)
  @IsOptional()
  @Default(1)
  @PrinterColumn()
  instances!: number;

  @IsIn(['15', '16', '17'])
  @PrinterColumn({ name: 'Version' })
  version!: string;

  @IsOptional()
  @IsEnum(SyncMode)
  @Default(SyncMode.Async)
  syncMode?: SyncMode;

  @ValidateNested()
  @Type(() => Storage)
  storage!: Storage;

  @IsOptional()
  @IsObject()
  @MapOf(String)
  parameters?: Record<string, string>;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => User)
  users?: User[];

  @IsOptional()
  @ValidateNested()
  @Type(() => Backup)
  backup?: Backup;
}

export class PostgresStatus {
  @IsOptional()
  @IsInt()
  readyInstances?: number;

  @IsOptional()
  @IsString()
  @PrinterColumn()
  phase?: string;
}

@CustomResource({
  group: 'postgres.steward.dev',
  version: 'v1alpha1',
  kind: 'PostgresCluster',
  shortNames: ['pgc'],
  categories: ['steward'],
  subresources: {
    scale: { specReplicasPath: '.spec.instances', statusReplicasPath: '.status.readyInstances' },
  },
  validations: [{ rule: 'self.metadata.name.size() <= 40', message: 'name must be at most 40 characters' }],
})
export class PostgresCluster {
  @ValidateNested()
  @Type(() => PostgresSpec)
  spec!: PostgresSpec;

  @IsOptional()
  @ValidateNested()
  @Type(() => PostgresStatus)
  status?: PostgresStatus;
}
