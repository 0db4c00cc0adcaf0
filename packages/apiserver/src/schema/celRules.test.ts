import { describe, expect, test } from '@jest/globals';
import type { JSONSchemaProps } from '../registry/types.js';
import { compileSchema } from './index.js';

function withSpec(spec: JSONSchemaProps): JSONSchemaProps {
  return { type: 'object', properties: { metadata: { type: 'object' }, spec } };
}

const obj = (spec: Record<string, unknown>) => ({ metadata: { name: 'x' }, spec });

describe('x-kubernetes-validations', () => {
  const schema = withSpec({
    type: 'object',
    'x-kubernetes-validations': [
      { rule: 'self.size <= 5 || self.mode == "b"' },
      {
        rule: 'self.minReplicas <= self.maxReplicas',
        message: 'minReplicas cannot be larger than maxReplicas',
      },
      {
        rule: "!has(self.name) || self.name.matches('^[a-z]+$')",
        messageExpression: "'bad name: ' + self.name",
        fieldPath: '.name',
        reason: 'FieldValueForbidden',
      },
    ],
    properties: {
      size: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self >= 0' }] },
      mode: { type: 'string' },
      name: { type: 'string' },
      minReplicas: { type: 'integer' },
      maxReplicas: { type: 'integer' },
      items: {
        type: 'array',
        items: { type: 'string' },
        'x-kubernetes-validations': [{ rule: 'self.all(x, x.startsWith("p"))' }],
      },
      immutable: {
        type: 'string',
        'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Value is immutable' }],
      },
      ratio: { type: 'number', 'x-kubernetes-validations': [{ rule: 'self < 1.0' }] },
    },
  });
  const s = compileSchema(schema);

  test('passing rules give no causes', () => {
    expect(
      s.validate(obj({ size: 3, mode: 'a', minReplicas: 1, maxReplicas: 2, items: ['p1'], ratio: 0.5 })),
    ).toEqual([]);
  });

  test('default message is "failed rule: <rule>", objects omit their value', () => {
    expect(s.validate(obj({ size: 9, mode: 'a', minReplicas: 1, maxReplicas: 2 }))).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec',
        message: 'Invalid value: failed rule: self.size <= 5 || self.mode == "b"',
      },
    ]);
  });

  test('message, and scalar rules print the value', () => {
    const causes = s.validate(obj({ size: -1, mode: 'b', minReplicas: 3, maxReplicas: 2 }));
    expect(causes).toContainEqual({
      reason: 'FieldValueInvalid',
      field: 'spec',
      message: 'Invalid value: minReplicas cannot be larger than maxReplicas',
    });
    expect(causes).toContainEqual({
      reason: 'FieldValueInvalid',
      field: 'spec.size',
      message: 'Invalid value: -1: failed rule: self >= 0',
    });
  });

  test('messageExpression, fieldPath and reason', () => {
    const causes = s.validate(obj({ size: 1, mode: 'a', minReplicas: 1, maxReplicas: 1, name: 'Bad' }));
    expect(causes).toEqual([
      { reason: 'FieldValueForbidden', field: 'spec.name', message: 'Forbidden: bad name: Bad' },
    ]);
  });

  test('rules on lists and doubles', () => {
    const causes = s.validate(
      obj({ size: 1, minReplicas: 1, maxReplicas: 1, mode: 'a', items: ['q'], ratio: 2.5 }),
    );
    expect(causes).toContainEqual({
      reason: 'FieldValueInvalid',
      field: 'spec.items',
      message: 'Invalid value: failed rule: self.all(x, x.startsWith("p"))',
    });
    expect(causes).toContainEqual({
      reason: 'FieldValueInvalid',
      field: 'spec.ratio',
      message: 'Invalid value: 2.5: failed rule: self < 1.0',
    });
  });

  test('a missing field is an evaluation error, not a crash', () => {
    const causes = s.validate(obj({ size: 1, mode: 'a' }));
    expect(causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec',
        message:
          'Invalid value: "object": no such key: minReplicas evaluating rule: minReplicas cannot be larger than maxReplicas',
      },
    ]);
  });

  test('transition rules run only on update', () => {
    const base = { size: 1, mode: 'a', minReplicas: 1, maxReplicas: 1 };
    expect(s.validate(obj({ ...base, immutable: 'a' }))).toEqual([]);
    expect(s.validate(obj({ ...base, immutable: 'b' }), obj({ ...base, immutable: 'a' }))).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.immutable',
        message: 'Invalid value: "b": Value is immutable',
      },
    ]);
    expect(s.validate(obj({ ...base, immutable: 'a' }), obj({ ...base, immutable: 'a' }))).toEqual([]);
  });

  test('schema errors block CEL rules', () => {
    const causes = s.validate(obj({ size: 'big', mode: 'a', minReplicas: 1, maxReplicas: 1 }));
    expect(causes).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.size',
        message: 'Invalid value: "string": spec.size in body must be of type integer: "string"',
      },
      {
        reason: 'FieldValueInvalid',
        field: '<nil>',
        message:
          'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
      },
    ]);
  });

  test('a rule that does not compile becomes a cause at validation time', () => {
    const bad = compileSchema(
      withSpec({ type: 'object', 'x-kubernetes-validations': [{ rule: 'self.a +' }] }),
    );
    const causes = bad.validate(obj({}));
    expect(causes).toHaveLength(1);
    expect(causes[0]?.message).toMatch(/^Invalid value: "object": rule compile error: compilation failed/);
  });

  test('map values and map-list items correlate with their old values', () => {
    const sch = compileSchema(
      withSpec({
        type: 'object',
        properties: {
          byName: {
            type: 'object',
            additionalProperties: {
              type: 'string',
              'x-kubernetes-validations': [{ rule: 'self == oldSelf' }],
            },
          },
          list: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                v: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self >= oldSelf' }] },
              },
            },
          },
        },
      }),
    );
    const old = obj({ byName: { a: 'x' }, list: [{ name: 'a', v: 2 }] });
    const causes = sch.validate(
      obj({
        byName: { a: 'y', b: 'z' },
        list: [
          { name: 'b', v: 0 },
          { name: 'a', v: 1 },
        ],
      }),
      old,
    );
    expect(causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.byName[a]',
        message: 'Invalid value: "y": failed rule: self == oldSelf',
      },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.list[1].v',
        message: 'Invalid value: 1: failed rule: self >= oldSelf',
      },
    ]);
  });
});
