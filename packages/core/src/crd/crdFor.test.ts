import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import { IsOptional, IsString } from 'class-validator';
import { CustomResource } from '../decorators/customResource.js';
import { CustomResourceError } from '../decorators/customResourceError.js';
import { crdFor } from './crdFor.js';
import { PostgresCluster } from './postgresCluster.fixture.js';

describe('crdFor', () => {
  const crd = crdFor(PostgresCluster);
  const version = crd.spec.versions[0];

  test('names, scope and one served, stored version', () => {
    expect(crd.metadata.name).toBe('postgresclusters.postgres.steward.dev');
    expect(crd.spec.names).toEqual({
      kind: 'PostgresCluster',
      listKind: 'PostgresClusterList',
      plural: 'postgresclusters',
      singular: 'postgrescluster',
      shortNames: ['pgc'],
      categories: ['steward'],
    });
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.versions).toHaveLength(1);
    expect(version).toMatchObject({ name: 'v1alpha1', served: true, storage: true });
  });

  test('the root schema: object meta fields, spec required, root CEL rule', () => {
    const root = version?.schema.openAPIV3Schema;
    expect(Object.keys(root?.properties ?? {})).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(root?.required).toEqual(['spec']);
    expect(root?.['x-kubernetes-validations']).toEqual([
      { rule: 'self.metadata.name.size() <= 40', message: 'name must be at most 40 characters' },
    ]);
  });

  test('status (from the status field) and scale subresources; field columns, then Age', () => {
    expect(version?.subresources).toEqual({
      status: {},
      scale: { specReplicasPath: '.spec.instances', statusReplicasPath: '.status.readyInstances' },
    });
    expect(version?.additionalPrinterColumns?.map((c) => `${c.name}:${c.type}:${c.jsonPath}`)).toEqual([
      'Instances:integer:.spec.instances',
      'Version:string:.spec.version',
      'Phase:string:.status.phase',
      'Age:date:.metadata.creationTimestamp',
    ]);
  });

  test('no status field, no columns: no subresources, no printer columns; cluster scope', () => {
    @CustomResource({ group: 'example.steward.dev', version: 'v1', kind: 'Policy', scope: 'Cluster' })
    class Policy {
      @IsOptional()
      @IsString()
      spec?: string;
    }
    const plain = crdFor(Policy);
    expect(plain.spec.names.plural).toBe('policies');
    expect(plain.spec.scope).toBe('Cluster');
    expect(plain.spec.versions[0]?.subresources).toBeUndefined();
    expect(plain.spec.versions[0]?.additionalPrinterColumns).toBeUndefined();
  });

  test('a class without @CustomResource is refused', () => {
    class Plain {
      spec?: unknown;
    }
    expect(() => crdFor(Plain)).toThrow(CustomResourceError);
    expect(() => crdFor(Plain)).toThrow(/^Plain: not a custom resource/);
  });
});

/** What the tests read from responses: a created object, or a Status. */
interface Reply {
  spec?: unknown;
  message?: string;
  details?: { causes?: { field?: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

function cluster(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'postgres.steward.dev/v1alpha1', kind: 'PostgresCluster', metadata: { name }, spec };
}

function fieldsOf(reply: Reply): (string | undefined)[] {
  return (reply.details?.causes ?? []).map((c) => c.field);
}

describe('the embedded API server accepts the generated CRD and enforces it', () => {
  let server: Awaited<ReturnType<typeof startApiServer>>;
  const crs = '/apis/postgres.steward.dev/v1alpha1/namespaces/default/postgresclusters';

  async function request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Reply }> {
    const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await fetch(`${server.url}${path}`, init);
    return { status: res.status, json: (await res.json()) as Reply };
  }

  beforeAll(async () => {
    server = await startApiServer({ port: 0 });
    const created = await request(
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      crdFor(PostgresCluster),
    );
    if (created.status !== 201) throw new Error(`CRD refused: ${JSON.stringify(created.json)}`);
    for (let i = 0; ; i++) {
      const { json } = await request(
        'GET',
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/postgresclusters.postgres.steward.dev',
      );
      const conditions = json.status?.conditions ?? [];
      if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (i > 100) throw new Error(`CRD not Established: ${JSON.stringify(json.status)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  afterAll(async () => {
    await server.stop();
  });

  test('a valid resource is created with its defaults applied and unknown fields pruned', async () => {
    const { status, json } = await request(
      'POST',
      crs,
      cluster('main', {
        version: '16',
        storage: { size: '10Gi' },
        backup: {},
        parameters: { max_connections: '200' },
        surprise: 1,
      }),
    );
    expect(status).toBe(201);
    expect(json.spec).toEqual({
      instances: 1,
      version: '16',
      syncMode: 'async',
      storage: { size: '10Gi' },
      backup: { enabled: false },
      parameters: { max_connections: '200' },
    });
  });

  test('an out-of-range instance count is a 422 naming spec.instances', async () => {
    const { status, json } = await request(
      'POST',
      crs,
      cluster('big', { instances: 12, version: '16', storage: { size: '1Gi' } }),
    );
    expect(status).toBe(422);
    expect(fieldsOf(json)).toContain('spec.instances');
  });

  test('a bad storage size and a missing version are 422s naming their fields', async () => {
    const { status, json } = await request('POST', crs, cluster('bad', { storage: { size: 'ten' } }));
    expect(status).toBe(422);
    const fields = fieldsOf(json);
    expect(fields).toEqual(expect.arrayContaining(['spec.storage.size', 'spec.version']));
  });

  test("a CEL violation is a 422 with the rule's message", async () => {
    const { status, json } = await request(
      'POST',
      crs,
      cluster('sync', { version: '16', syncMode: 'sync', storage: { size: '1Gi' } }),
    );
    expect(status).toBe(422);
    expect(json.message).toContain('synchronous replication needs at least 2 instances');
  });

  test('the root CEL rule on metadata.name is enforced', async () => {
    const { status, json } = await request(
      'POST',
      crs,
      cluster('x'.repeat(41), { version: '16', storage: { size: '1Gi' } }),
    );
    expect(status).toBe(422);
    expect(json.message).toContain('name must be at most 40 characters');
  });
});
