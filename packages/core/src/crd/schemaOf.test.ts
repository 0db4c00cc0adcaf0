import { describe, expect, test } from '@jest/globals';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsDate,
  IsEnum,
  IsInt,
  IsNotIn,
  IsObject,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { CustomResourceError } from '../decorators/customResourceError.js';
import {
  Cel,
  Description,
  MapOf,
  Nullable,
  PreserveUnknownFields,
  PrinterColumn,
  Schema,
} from '../decorators/fields.js';
import { PostgresSpec } from './postgresCluster.fixture.js';
import { schemaOf, schemaWithColumns } from './schemaOf.js';

function failureOf(fn: () => unknown): CustomResourceError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CustomResourceError) return error;
    throw error;
  }
  throw new Error('expected a CustomResourceError');
}

describe('schemaOf on a PostgresCluster-like spec', () => {
  const schema = schemaOf(PostgresSpec);
  const props = schema.properties ?? {};

  test('instances: an integer from 1 to 9, default 1, not required', () => {
    expect(props['instances']).toEqual({ type: 'integer', minimum: 1, maximum: 9, default: 1 });
    expect(schema.required).not.toContain('instances');
  });

  test('version and syncMode: string enums', () => {
    expect(props['version']).toEqual({ type: 'string', enum: ['15', '16', '17'] });
    expect(props['syncMode']).toEqual({ type: 'string', enum: ['async', 'sync'], default: 'async' });
  });

  test('storage: a nested object, inlined, whose size is required and patterned', () => {
    expect(props['storage']).toEqual({
      type: 'object',
      properties: {
        size: {
          type: 'string',
          pattern: '^[0-9]+(Mi|Gi|Ti)$',
          description: 'Volume size per instance, like "10Gi".',
        },
        storageClassName: { type: 'string' },
      },
      required: ['size'],
    });
  });

  test('parameters: a map of strings', () => {
    expect(props['parameters']).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
  });

  test('users: a bounded array of objects whose roles are strings', () => {
    expect(props['users']).toEqual({
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', maxLength: 63 },
          roles: { type: 'array', items: { type: 'string' } },
        },
        required: ['name'],
      },
    });
  });

  test('required fields and the class-level CEL rule', () => {
    expect(schema.required).toEqual(['version', 'storage']);
    expect(schema['x-kubernetes-validations']).toEqual([
      {
        rule: 'self.instances >= 2 || self.syncMode != "sync"',
        message: 'synchronous replication needs at least 2 instances',
      },
    ]);
  });

  test('no $ref and a type on every node', () => {
    const untyped: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if ('$ref' in n) untyped.push(`${path} has a $ref`);
      if (('properties' in n || 'items' in n || 'enum' in n) && !('type' in n)) untyped.push(path);
      for (const [key, value] of Object.entries(n)) walk(value, `${path}/${key}`);
    };
    walk(schema, '');
    expect(untyped).toEqual([]);
  });

  test('printer columns carry JSON paths from the class', () => {
    expect(schemaWithColumns(PostgresSpec).columns).toEqual([
      { name: 'Instances', type: 'integer', jsonPath: '.instances' },
      { name: 'Version', type: 'string', jsonPath: '.version' },
    ]);
  });
});

describe('schemaOf conversions', () => {
  test('a range before its type decorator still gives an integer', () => {
    class A {
      @Min(0)
      @IsInt()
      n!: number;
    }
    expect(schemaOf(A).properties?.['n']).toEqual({ type: 'integer', minimum: 0 });
  });

  test('numeric enums lose their reverse mappings', () => {
    enum Level {
      Low = 1,
      High = 2,
    }
    class A {
      @IsEnum(Level)
      level!: Level;
    }
    expect(schemaOf(A).properties?.['level']).toEqual({ type: 'integer', enum: [1, 2] });
  });

  test('OpenAPI v3.0 bounds, dates, unknown formats, negations', () => {
    class A {
      @IsPositive()
      p!: number;
      @IsDate()
      at!: Date;
      @IsUrl()
      url!: string;
      @IsNotIn(['postgres'])
      @IsString()
      user!: string;
    }
    const props = schemaOf(A).properties ?? {};
    expect(props['p']).toEqual({ type: 'number', minimum: 0, exclusiveMinimum: true });
    expect(props['at']).toEqual({ type: 'string', format: 'date-time' });
    expect(props['url']).toEqual({ type: 'string' });
    expect(props['user']).toEqual({ type: 'string', not: { enum: ['postgres'] } });
  });

  test('field extras: nullable, preserved objects, schema overrides, descriptions, CEL on a field', () => {
    @Description('An A.')
    class A {
      @IsOptional()
      @IsString()
      @Nullable()
      note?: string | null;
      @IsOptional()
      @PreserveUnknownFields()
      extra?: Record<string, unknown>;
      @IsString()
      @Schema({ format: 'password' })
      @Cel('self.size() >= 8')
      secret!: string;
    }
    const schema = schemaOf(A);
    expect(schema.description).toBe('An A.');
    expect(schema.properties).toEqual({
      note: { type: 'string', nullable: true },
      extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      secret: {
        type: 'string',
        format: 'password',
        'x-kubernetes-validations': [{ rule: 'self.size() >= 8' }],
      },
    });
  });

  test('maps: @MapOf alone, of classes and of integers', () => {
    class Limit {
      @IsInt()
      max!: number;
    }
    class A {
      @IsOptional()
      @MapOf(Limit)
      limits?: Record<string, Limit>;
      @MapOf(Number)
      @Schema({ additionalProperties: { type: 'integer' } })
      weights!: Record<string, number>;
    }
    expect(schemaOf(A)).toEqual({
      type: 'object',
      properties: {
        limits: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            properties: { max: { type: 'integer' } },
            required: ['max'],
          },
        },
        weights: { type: 'object', additionalProperties: { type: 'integer' } },
      },
    });
  });

  test('a subclass adds fields without changing its parent', () => {
    class Base {
      @IsString()
      a!: string;
    }
    class Derived extends Base {
      @IsOptional()
      @IsInt()
      @PrinterColumn()
      b?: number;
    }
    expect(Object.keys(schemaOf(Derived).properties ?? {}).sort()).toEqual(['a', 'b']);
    expect(Object.keys(schemaOf(Base).properties ?? {})).toEqual(['a']);
    expect(schemaWithColumns(Base).columns).toEqual([]);
  });
});

describe('schemaOf refuses what is not structural, naming the field', () => {
  test('an array without an item type', () => {
    class A {
      @IsArray()
      tags!: string[];
    }
    const error = failureOf(() => schemaOf(A));
    expect(error.code).toBe('CUSTOM_RESOURCE_INVALID');
    expect(error.field).toBe('tags');
    expect(error.message).toMatch(/each: true/);
  });

  test('a free-form object', () => {
    class A {
      @IsObject()
      labels!: Record<string, string>;
    }
    expect(failureOf(() => schemaOf(A)).message).toMatch(/A labels: .*@MapOf/);
  });

  test('a field typed with a union alias: metadata says Object, and the message says what to add', () => {
    type Phase = 'Pending' | 'Ready';
    class S {
      @IsOptional()
      phase?: Phase;
    }
    expect(failureOf(() => schemaOf(S)).message).toMatch(/S phase: .*type alias.*@IsString\(\)\/@IsIn/);
  });

  test('a class that contains itself', () => {
    class Node {
      @IsOptional()
      @ValidateNested()
      @Type(() => Node)
      next?: Node;
    }
    expect(failureOf(() => schemaOf(Node)).field).toBe('next');
  });

  test('a pattern with flags RE2 cannot carry', () => {
    class A {
      @Matches(/^[a-z]+$/i)
      name!: string;
    }
    expect(failureOf(() => schemaOf(A)).message).toMatch(/flags "i"/);
  });

  test('a printer column inside an array', () => {
    class Item {
      @IsString()
      @PrinterColumn()
      name!: string;
    }
    class A {
      @ValidateNested({ each: true })
      @Type(() => Item)
      items!: Item[];
    }
    expect(failureOf(() => schemaOf(A)).field).toBe('items[].name');
  });
});
