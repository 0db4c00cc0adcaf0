/** The CRD schema refuses invalid clusters with field-level messages, before any controller runs. */
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { crdFor, InvalidError, resourceRefOf } from '@steward/core';
import { startTestEnv } from '@steward/testing';
import type { TestEnv } from '@steward/testing';
import type { KubeObject } from '@steward/core';
import { PostgresCluster } from '../src/api/postgresCluster.js';
import { PostgresDatabase } from '../src/api/postgresDatabase.js';

const clusters = resourceRefOf(PostgresCluster);
const databases = resourceRefOf(PostgresDatabase);
let env: TestEnv;

beforeAll(async () => {
  env = await startTestEnv({ crds: [PostgresCluster, PostgresDatabase], namespace: true });
});
afterAll(() => env.stop());

const cluster = (name: string, spec: Record<string, unknown>) => ({
  metadata: { name, namespace: env.namespace },
  spec: { version: '16', storage: { size: '1Gi' }, ...spec },
});

/** The server's refusal: the fields it names and its message. */
async function refusal(create: Promise<unknown>): Promise<string> {
  const error = await create.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidError);
  const invalid = error as InvalidError;
  return [invalid.message, ...(invalid.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`)].join(
    '\n',
  );
}

describe('PostgresCluster schema', () => {
  test('the CRD has printer columns for instances, ready, primary, phase and age', () => {
    const crd = crdFor(PostgresCluster) as {
      spec: { versions: { additionalPrinterColumns?: { name: string }[] }[] };
    };
    const columns = crd.spec.versions[0]?.additionalPrinterColumns?.map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['Instances', 'Ready', 'Primary', 'Phase', 'Age']));
  });

  test('defaults: one instance, unsupervised primary updates', async () => {
    const created = (await env.client.create(clusters, cluster('defaults', {}))) as PostgresCluster &
      KubeObject;
    expect(created.spec.instances).toBe(1);
    expect(created.spec.primaryUpdateStrategy).toBe('unsupervised');
  });

  test('instances out of range', async () => {
    expect(await refusal(env.client.create(clusters, cluster('ten', { instances: 10 })))).toMatch(
      /spec\.instances/,
    );
    expect(await refusal(env.client.create(clusters, cluster('zero', { instances: 0 })))).toMatch(
      /spec\.instances/,
    );
  });

  test('an unknown update strategy', async () => {
    const message = await refusal(
      env.client.create(clusters, cluster('strategy', { primaryUpdateStrategy: 'yolo' })),
    );
    expect(message).toMatch(/spec\.primaryUpdateStrategy/);
    expect(message).toMatch(/supervised/);
  });

  test('operator-owned parameters, naming the field and the settings', async () => {
    for (const parameters of [
      { port: '5433' },
      { wal_level: 'minimal' },
      { shared_buffers: '1GB', hot_standby: 'off' },
    ]) {
      const message = await refusal(env.client.create(clusters, cluster('params', { parameters })));
      expect(message).toMatch(/spec\.parameters/);
      expect(message).toMatch(/managed by the operator/);
    }
    await env.client.create(clusters, cluster('fine-params', { parameters: { shared_buffers: '256MB' } }));
  });

  test('storage size is required', async () => {
    const message = await refusal(
      env.client.create(clusters, {
        metadata: { name: 'nosize', namespace: env.namespace },
        spec: { version: '16', storage: {} },
      }),
    );
    expect(message).toMatch(/spec\.storage\.size/);
  });

  test('a major-version change is refused; a minor one is accepted', async () => {
    await env.client.create(clusters, cluster('upgrade', { version: '16.2' }));
    const options = { namespace: env.namespace };
    await env.client.patch(clusters, 'upgrade', { spec: { version: '16.4' } }, options);
    const message = await refusal(
      env.client.patch(clusters, 'upgrade', { spec: { version: '17' } }, options),
    );
    expect(message).toMatch(/spec\.version/);
    expect(message).toMatch(/major version cannot change/);
  });
});

describe('PostgresDatabase schema', () => {
  test('reclaimPolicy defaults to Retain and accepts only Retain or Delete', async () => {
    const db = { metadata: { name: 'app', namespace: env.namespace }, spec: { cluster: 'pg', owner: 'app' } };
    const created = (await env.client.create(databases, db)) as PostgresDatabase & KubeObject;
    expect(created.spec.reclaimPolicy).toBe('Retain');
    const bad = {
      ...db,
      metadata: { ...db.metadata, name: 'bad' },
      spec: { ...db.spec, reclaimPolicy: 'Shred' },
    };
    expect(await refusal(env.client.create(databases, bad))).toMatch(/spec\.reclaimPolicy/);
  });
});
