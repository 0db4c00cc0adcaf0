import { describe, expect, test } from '@jest/globals';
import { resourcesOfCrd, validateCustomResourceDefinition } from './index.js';

function crd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'postgresclusters.postgres.steward.dev' },
    spec: {
      group: 'postgres.steward.dev',
      scope: 'Namespaced',
      names: {
        plural: 'postgresclusters',
        kind: 'PostgresCluster',
        shortNames: ['pgc'],
        categories: ['all'],
      },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          subresources: {
            status: {},
            scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
          },
          additionalPrinterColumns: [{ name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }],
          selectableFields: [{ jsonPath: '.spec.version' }],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: { replicas: { type: 'integer', default: 1 }, version: { type: 'string' } },
                  'x-kubernetes-validations': [{ rule: 'self.replicas >= 0' }],
                },
                status: { type: 'object', properties: { replicas: { type: 'integer' } } },
              },
            },
          },
        },
        { name: 'v1beta1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
  };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('validateCustomResourceDefinition', () => {
  test('a good CRD has no causes', () => {
    expect(validateCustomResourceDefinition(crd())).toEqual([]);
  });

  test('name must be <plural>.<group>', () => {
    const c = crd() as Json;
    c['metadata'].name = 'wrong.postgres.steward.dev';
    expect(validateCustomResourceDefinition(c)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: 'Invalid value: "wrong.postgres.steward.dev": must be spec.names.plural+"."+spec.group',
      },
    ]);
  });

  test('structural schema: missing types, additionalProperties with properties, metadata restrictions', () => {
    const c = crd() as Json;
    const root = c['spec'].versions[0].schema.openAPIV3Schema;
    root.properties.spec.properties.untyped = {};
    root.properties.spec.properties.both = {
      type: 'object',
      properties: { a: { type: 'string' } },
      additionalProperties: { type: 'string' },
    };
    root.properties.metadata = { type: 'object', properties: { labels: { type: 'object' } } };
    const causes = validateCustomResourceDefinition(c);
    const p = 'spec.versions[0].schema.openAPIV3Schema';
    expect(causes).toContainEqual({
      reason: 'FieldValueRequired',
      field: `${p}.properties[spec].properties[untyped].type`,
      message: 'Required value: must not be empty for specified object fields',
    });
    expect(causes).toContainEqual({
      reason: 'FieldValueForbidden',
      field: `${p}.properties[spec].properties[both].additionalProperties`,
      message: 'Forbidden: additionalProperties and properties are mutual exclusive',
    });
    expect(causes).toContainEqual({
      reason: 'FieldValueForbidden',
      field: `${p}.properties[metadata]`,
      message:
        'Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified',
    });
  });

  test('versions: exactly one storage version, schema required', () => {
    const c = crd() as Json;
    c['spec'].versions[1].storage = true;
    delete c['spec'].versions[1].schema;
    const causes = validateCustomResourceDefinition(c);
    expect(causes.map((x) => x.field)).toEqual(['spec.versions[1].schema.openAPIV3Schema', 'spec.versions']);
    expect(causes[1]?.message).toMatch(/must have exactly one version marked as storage version$/);
  });

  test('scope, group, names and conversion', () => {
    const c = crd() as Json;
    c['spec'].scope = 'Global';
    c['spec'].group = 'nodot';
    c['metadata'].name = 'postgresclusters.nodot';
    c['spec'].names.plural = 'PostgresClusters';
    c['metadata'].name = 'PostgresClusters.nodot';
    c['spec'].conversion = { strategy: 'Webhook' };
    const fields = validateCustomResourceDefinition(c).map((x) => `${x.field}: ${x.reason}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'spec.scope: FieldValueNotSupported',
        'spec.group: FieldValueInvalid',
        'spec.names.plural: FieldValueInvalid',
        'spec.conversion.strategy: FieldValueNotSupported',
        'metadata.name: FieldValueInvalid',
      ]),
    );
  });

  test('CEL rules that do not compile are rejected with the rule path', () => {
    const c = crd() as Json;
    c['spec'].versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] = [
      { rule: 'self.replicas >' },
    ];
    const causes = validateCustomResourceDefinition(c);
    expect(causes).toHaveLength(1);
    expect(causes[0]?.field).toBe(
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule',
    );
    expect(causes[0]?.message).toMatch(/^Invalid value: \{"rule":"self.replicas >"\}: compilation failed: /);
  });

  test('defaults must validate against their schema', () => {
    const c = crd() as Json;
    c['spec'].versions[0].schema.openAPIV3Schema.properties.spec.properties.replicas.default = 'one';
    const causes = validateCustomResourceDefinition(c);
    expect(causes).toHaveLength(1);
    expect(causes[0]?.field).toBe(
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[replicas].default',
    );
  });

  test('scope is immutable on update', () => {
    const old = crd();
    const c = crd() as Json;
    c['spec'].scope = 'Cluster';
    expect(validateCustomResourceDefinition(c, old)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.scope',
        message: 'Invalid value: "Cluster": field is immutable',
      },
    ]);
  });
});

describe('resourcesOfCrd', () => {
  test('one ResourceInfo per served version, with defaults for singular and listKind', () => {
    const infos = resourcesOfCrd(crd());
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({
      group: 'postgres.steward.dev',
      version: 'v1alpha1',
      kind: 'PostgresCluster',
      listKind: 'PostgresClusterList',
      plural: 'postgresclusters',
      singular: 'postgrescluster',
      namespaced: true,
      shortNames: ['pgc'],
      categories: ['all'],
      subresources: {
        status: true,
        scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
      },
      printerColumns: [{ name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }],
      crdName: 'postgresclusters.postgres.steward.dev',
      storage: true,
      selectableFields: { 'spec.version': '.spec.version' },
    });
    expect(infos[0]?.schema?.type).toBe('object');
    expect(infos[0]?.verbs).toEqual(
      expect.arrayContaining([
        'create',
        'get',
        'list',
        'watch',
        'patch',
        'update',
        'delete',
        'deletecollection',
      ]),
    );
  });
});
