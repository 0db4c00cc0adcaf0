import { describe, expect, test } from '@jest/globals';
import type { JSONSchemaProps } from '../registry/types.js';
import { compileSchema } from './index.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['version'],
      properties: {
        replicas: { type: 'integer', minimum: 1, maximum: 9, default: 3 },
        version: { type: 'string', pattern: '^[0-9]+$', maxLength: 4 },
        mode: { type: 'string', enum: ['a', 'b'] },
        tags: { type: 'array', maxItems: 2, items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        storage: {
          type: 'object',
          default: {},
          properties: { size: { type: 'string', default: '1Gi' }, className: { type: 'string' } },
        },
        port: { 'x-kubernetes-int-or-string': true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        ratio: { type: 'number', nullable: true },
      },
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
};

function cr(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'x.dev/v1', kind: 'Db', metadata: { name: 'a' }, spec };
}

describe('validate (OpenAPI)', () => {
  const s = compileSchema(schema);

  test('minimum gives the real message', () => {
    expect(s.validate(cr({ version: '1', replicas: 0 }))).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.replicas',
        message: 'Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
      },
    ]);
  });

  test('maximum, type, required, enum, pattern, maxLength, maxItems', () => {
    expect(s.validate(cr({ version: '1', replicas: 10 }))[0]?.message).toBe(
      'Invalid value: 10: spec.replicas in body should be less than or equal to 9',
    );
    expect(s.validate(cr({ version: '1', replicas: 'x' }))).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.replicas',
        message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      },
    ]);
    expect(s.validate(cr({}))).toEqual([
      { reason: 'FieldValueRequired', field: 'spec.version', message: 'Required value' },
    ]);
    expect(s.validate(cr({ version: '1', mode: 'c' }))).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.mode',
        message: 'Unsupported value: "c": supported values: "a", "b"',
      },
    ]);
    expect(s.validate(cr({ version: 'v1' }))[0]?.message).toBe(
      `Invalid value: "v1": spec.version in body should match '^[0-9]+$'`,
    );
    expect(s.validate(cr({ version: '12345' }))[0]).toEqual({
      reason: 'FieldValueTooLong',
      field: 'spec.version',
      message: 'Too long: may not be more than 4 bytes',
    });
    expect(s.validate(cr({ version: '1', tags: ['a', 'b', 'c'] }))[0]).toEqual({
      reason: 'FieldValueTooMany',
      field: 'spec.tags',
      message: 'Too many: 3: must have at most 2 items',
    });
  });

  test('int-or-string, nullable, float for integer, additionalProperties values', () => {
    expect(s.validate(cr({ version: '1', port: 80 }))).toEqual([]);
    expect(s.validate(cr({ version: '1', port: 'http' }))).toEqual([]);
    expect(s.validate(cr({ version: '1', port: true }))[0]?.message).toBe(
      'Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    );
    expect(s.validate(cr({ version: '1', ratio: null }))).toEqual([]);
    expect(s.validate(cr({ version: '1', replicas: 1.5 }))[0]?.message).toBe(
      'Invalid value: "number": spec.replicas in body must be of type integer: "number"',
    );
    expect(s.validate(cr({ version: '1', labels: { a: 1 } }))[0]).toMatchObject({ field: 'spec.labels.a' });
  });

  test('list-type set rejects duplicates', () => {
    expect(s.validate(cr({ version: '1', tags: ['a', 'a'] }))).toEqual([
      { reason: 'FieldValueDuplicate', field: 'spec.tags[1]', message: 'Duplicate value: "a"' },
    ]);
  });
});

describe('applyDefaults', () => {
  const s = compileSchema(schema);

  test('defaults apply where the parent exists, and nested defaults inside a default apply too', () => {
    const obj = cr({ version: '1' });
    s.applyDefaults(obj);
    expect(obj['spec']).toEqual({ version: '1', replicas: 3, storage: { size: '1Gi' } });
  });

  test('no spec, no defaults below it', () => {
    const obj: Record<string, unknown> = { apiVersion: 'x.dev/v1', kind: 'Db', metadata: {} };
    s.applyDefaults(obj);
    expect(obj['spec']).toBeUndefined();
  });

  test('non-nullable null gets the default; without default it is dropped', () => {
    const obj = cr({ version: '1', replicas: null, mode: null, ratio: null });
    s.applyDefaults(obj);
    expect(obj['spec']).toMatchObject({ replicas: 3, ratio: null });
    expect(Object.hasOwn(obj['spec'] as object, 'mode')).toBe(false);
  });

  test('defaults are copies', () => {
    const a = cr({ version: '1' });
    const b = cr({ version: '1' });
    s.applyDefaults(a);
    s.applyDefaults(b);
    ((a['spec'] as Record<string, Record<string, unknown>>)['storage'] ?? {})['size'] = 'x';
    expect((b['spec'] as Record<string, Record<string, unknown>>)['storage']).toEqual({ size: '1Gi' });
  });
});

describe('prune', () => {
  const s = compileSchema(schema);

  test('drops unknown fields, keeps preserved subtrees and root meta, reports sorted paths', () => {
    const obj = cr({ version: '1', foo: 1, extra: { anything: { x: 1 } }, tags: ['a'] });
    (obj['metadata'] as Record<string, unknown>)['bogus'] = true;
    obj['other'] = 1;
    const pruned = s.prune(obj);
    expect(pruned).toEqual(['metadata.bogus', 'other', 'spec.foo']);
    expect(obj).toEqual({
      apiVersion: 'x.dev/v1',
      kind: 'Db',
      metadata: { name: 'a' },
      spec: { version: '1', extra: { anything: { x: 1 } }, tags: ['a'] },
    });
  });

  test('fields inside array items are pruned with indexed paths', () => {
    const sch: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            items: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
          },
        },
      },
    };
    const obj: Record<string, unknown> = { spec: { items: [{ a: 'x', b: 1 }] } };
    expect(compileSchema(sch).prune(obj)).toEqual(['spec.items[0].b']);
  });
});

describe('compileSchema cache', () => {
  test('same schema object gives the same compiled schema', () => {
    expect(compileSchema(schema)).toBe(compileSchema(schema));
  });
});
