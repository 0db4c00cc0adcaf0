/**
 * The PostgresDatabase resource: a database and its owning role inside a PostgresCluster, with a
 * credentials Secret for applications. Start with {@link PostgresDatabase}.
 */
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { Conditions, CustomResource, Default, Description, PrinterColumn } from '@steward/core';
import type { Condition } from '@steward/core';
import { GROUP } from './labels.js';

/** A Postgres identifier the operator may quote safely: lower case, as unquoted SQL folds names. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export class PostgresDatabaseSpec {
  @Description('The PostgresCluster (same namespace) that holds the database.')
  @IsString()
  @PrinterColumn({ name: 'Cluster' })
  cluster!: string;

  @Description('The database name; default: metadata.name.')
  @IsOptional()
  @Matches(IDENTIFIER)
  name?: string;

  @Description('The role that owns the database; created with a generated password.')
  @Matches(IDENTIFIER)
  owner!: string;

  /** `Retain` (default): deleting the resource keeps the data. `Delete`: the database is dropped. */
  @IsOptional() @IsIn(['Retain', 'Delete']) @Default('Retain') reclaimPolicy?: 'Retain' | 'Delete';
}

export class PostgresDatabaseStatus {
  @IsOptional() @Conditions() conditions?: Condition[];
  @IsOptional() @IsString() secretName?: string;
}

@CustomResource({ group: GROUP, version: 'v1alpha1', kind: 'PostgresDatabase', shortNames: ['pgdb'] })
export class PostgresDatabase {
  @ValidateNested() @Type(() => PostgresDatabaseSpec) spec!: PostgresDatabaseSpec;
  @IsOptional() @ValidateNested() @Type(() => PostgresDatabaseStatus) status?: PostgresDatabaseStatus;
}

/** The database a PostgresDatabase names: `spec.name`, else its own name (dashes are not valid). */
export function databaseNameOf(db: { metadata: { name?: string }; spec: PostgresDatabaseSpec }): string {
  return db.spec.name ?? (db.metadata.name ?? '').replaceAll('-', '_');
}
