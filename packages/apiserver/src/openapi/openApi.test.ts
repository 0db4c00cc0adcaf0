import { describe, expect, test } from '@jest/globals';
import { samplePostgresInfo } from '../registry/sampleResource.fixture.js';
import type { ResourceInfo } from '../registry/types.js';
import { definitionName, openApiV2, openApiV3GroupVersion, openApiV3Index } from './index.js';

const pg = samplePostgresInfo({
  schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        description: 'Desired state.',
        properties: { replicas: { type: 'integer', nullable: true } },
      },
    },
  },
});
const pod: ResourceInfo = {
  ...pg,
  group: '',
  version: 'v1',
  kind: 'Pod',
  listKind: 'PodList',
  plural: 'pods',
  singular: 'pod',
};
delete (pod as Partial<ResourceInfo>).crdName;
delete (pod as Partial<ResourceInfo>).schema;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('definition names', () => {
  test('CRDs reverse the group; built-ins use io.k8s.api.<group>', () => {
    expect(definitionName(pg)).toBe('dev.steward.postgres.v1alpha1.PostgresCluster');
    expect(definitionName(pod)).toBe('io.k8s.api.core.v1.Pod');
    expect(definitionName({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' })).toBe(
      'io.k8s.api.coordination.v1.Lease',
    );
  });
});

describe('openApiV3GroupVersion', () => {
  const doc = openApiV3GroupVersion([pg, pod], 'postgres.steward.dev', 'v1alpha1') as Json;

  test('schemas carry GVK, apiVersion/kind, and ObjectMeta by $ref (which resolves)', () => {
    const s = doc['components'].schemas['dev.steward.postgres.v1alpha1.PostgresCluster'];
    expect(s['x-kubernetes-group-version-kind']).toEqual([
      { group: 'postgres.steward.dev', kind: 'PostgresCluster', version: 'v1alpha1' },
    ]);
    expect(s.properties.spec.description).toBe('Desired state.');
    const ref: string = s.properties.metadata.allOf[0].$ref;
    expect(ref).toBe('#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(doc['components'].schemas[ref.slice('#/components/schemas/'.length)].properties.name.type).toBe(
      'string',
    );
    expect(
      doc['components'].schemas['dev.steward.postgres.v1alpha1.PostgresClusterList'][
        'x-kubernetes-group-version-kind'
      ][0].kind,
    ).toBe('PostgresClusterList');
    expect(doc['components'].schemas['io.k8s.api.core.v1.Pod']).toBeUndefined();
  });

  test('every $ref in the document resolves', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) {
      const name = r.slice('"$ref":"#/components/schemas/'.length, -1);
      expect(doc['components'].schemas[name]).toBeDefined();
    }
  });

  test('the PATCH operation names the GVK and takes fieldValidation (kubectl checks this)', () => {
    const patch =
      doc['paths']['/apis/postgres.steward.dev/v1alpha1/namespaces/{namespace}/postgresclusters/{name}']
        .patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'postgres.steward.dev',
      version: 'v1alpha1',
      kind: 'PostgresCluster',
    });
    expect(patch.parameters.some((p: Json) => p['name'] === 'fieldValidation' && p['in'] === 'query')).toBe(
      true,
    );
    expect(Object.keys(patch.requestBody.content)).not.toContain('application/strategic-merge-patch+json');
    expect(
      doc['paths'][
        '/apis/postgres.steward.dev/v1alpha1/namespaces/{namespace}/postgresclusters/{name}/status'
      ],
    ).toBeDefined();
  });
});

describe('openApiV2 and the v3 index', () => {
  test('v2 has definitions for every kind; built-ins without schema get a permissive object', () => {
    const doc = openApiV2([pg, pod]) as Json;
    expect(doc['swagger']).toBe('2.0');
    expect(doc['definitions']['io.k8s.api.core.v1.Pod']).toMatchObject({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    });
    const s = doc['definitions']['dev.steward.postgres.v1alpha1.PostgresCluster'];
    expect(s.properties.metadata.$ref).toBe('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(s.properties.spec.properties.replicas.nullable).toBeUndefined();
    expect(doc['paths']['/api/v1/namespaces/{namespace}/pods/{name}'].patch.consumes).toContain(
      'application/strategic-merge-patch+json',
    );
  });

  test('index lists each group-version with a hash that changes with the document', () => {
    const idx = openApiV3Index([pg, pod]) as Json;
    expect(Object.keys(idx['paths'])).toEqual(['api/v1', 'apis/postgres.steward.dev/v1alpha1']);
    const url: string = idx['paths']['api/v1'].serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
    const other = openApiV3Index([pg, { ...pod, plural: 'podz' }]) as Json;
    expect(other['paths']['api/v1'].serverRelativeURL).not.toBe(url);
  });
});
