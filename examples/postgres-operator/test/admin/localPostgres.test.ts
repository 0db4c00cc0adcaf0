/**
 * localPostgres(): the simulated cluster's pods backed by real PostgreSQL 15 processes. First by hand
 * (bootstrap, clone, a deleted primary, promotion and rejoin, checked with real SQL), then the
 * operator's whole path: a PostgresCluster and a PostgresDatabase end in real servers and a real
 * database. Skips where the binaries are absent.
 */
import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { builtin, resourceRefOf, type KubeObject } from '@steward/core';
import { runManager, startTestEnv, waitFor, type TestEnv } from '@steward/testing';
import { Client } from 'pg';
import { localPostgres, type LocalPostgres } from '../../src/admin/localPostgres.js';
import { postgresMissing } from '../../src/admin/localServers.js';
import { PostgresCluster } from '../../src/api/postgresCluster.js';
import { PostgresDatabase } from '../../src/api/postgresDatabase.js';
import { postgresOperator } from '../../src/operator.js';

const missing = postgresMissing();
if (missing !== undefined) console.warn(`skipping localPostgres tests: ${missing}`);
const describeReal = missing === undefined ? describe : describe.skip;

const password = 'local-secret';
let env: TestEnv;
let local: LocalPostgres;
let ns: string;

beforeEach(async () => {
  env = await startTestEnv({
    crds: [PostgresCluster, PostgresDatabase],
    namespace: true,
    simulate: { kubelet: { startDelayMs: 10, readyDelayMs: 10, probeIntervalMs: 50 }, volumes: true },
  });
  ns = env.namespace;
  local = localPostgres({
    selector: { namespace: ns, labelSelector: 'postgres.steward.dev/cluster' },
    secret: async (namespace, name, key) => {
      const secret = await env.client.get(builtin.secrets, name, { namespace }).catch(() => undefined);
      const value = (secret?.['data'] as Record<string, string> | undefined)?.[key];
      return value === undefined ? undefined : Buffer.from(value, 'base64').toString();
    },
  });
  env.simulation!.kubelet!.attach(local.dataPlane);
}, 30_000);
afterEach(async () => {
  await env.stop();
  await local.stop();
}, 30_000);

async function pod(name: string): Promise<KubeObject> {
  return env.client.get(builtin.pods, name, { namespace: ns });
}
const ready = async (name: string): Promise<boolean> =>
  (
    (await pod(name))['status'] as { conditions?: { type: string; status: string }[] } | undefined
  )?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const waitReady = (name: string) =>
  waitFor(() => ready(name), {
    description: `${name} Ready`,
    timeout: 20_000,
    state: () => local.bootstrapError(name, ns),
  });
const su = { user: 'postgres', password };

async function sql(name: string, text: string, credentials = su): Promise<Record<string, unknown>[]> {
  const server = local.server(name, ns);
  if (server === undefined) throw new Error(`no server for ${name}`);
  const client = new Client({ host: '127.0.0.1', port: server.port, ...credentials, database: 'postgres' });
  await client.connect();
  try {
    return (await client.query(text)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

async function createInstance(name: string, bootstrap: 'initdb' | 'clone', source?: string): Promise<void> {
  const labels = { 'postgres.steward.dev/cluster': 'pg' };
  await env.client
    .create(builtin.persistentvolumeclaims, {
      metadata: { name, namespace: ns, labels },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    })
    .catch(() => undefined);
  const podEnv = [
    { name: 'PG_BOOTSTRAP', value: bootstrap },
    ...(source === undefined ? [] : [{ name: 'PG_SOURCE', value: source }]),
    { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'pg-superuser', key: 'password' } } },
  ];
  await env.client.create(builtin.pods, {
    metadata: { name, namespace: ns, labels },
    spec: {
      containers: [{ name: 'postgres', image: 'postgres:15', env: podEnv }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: name } }],
    },
  });
}

describeReal('localPostgres: real servers behind simulated pods', () => {
  test('bootstrap, clone, a deleted primary, promotion and rejoin — on real Postgres', async () => {
    await env.client.create(builtin.secrets, {
      metadata: { name: 'pg-superuser', namespace: ns },
      stringData: { password },
    });
    await createInstance('pg-1', 'initdb');
    await waitReady('pg-1');
    await createInstance('pg-2', 'clone', 'pg-1');
    await waitReady('pg-2');
    const at = async (name: string) => local.resolveInstance(await pod(name));
    expect(await local.admin.status(await at('pg-1'), su)).toMatchObject({ role: 'primary', timeline: 1 });
    await sql('pg-1', 'CREATE TABLE t AS SELECT 1 AS x');
    await waitFor(() => sql('pg-2', 'SELECT x FROM t'), { description: 'the row on pg-2' });
    expect(await local.admin.status(await at('pg-2'), su)).toMatchObject({
      role: 'replica',
      streamingFrom: 'pg-1',
    });

    const primaryAddress = await at('pg-1');
    await env.client.delete(builtin.pods, 'pg-1', { namespace: ns });
    await waitFor(() => local.server('pg-1', ns)?.running === false, { description: 'pg-1 stopped' });
    await expect(local.admin.status(primaryAddress, su)).rejects.toMatchObject({ code: 'PG_UNREACHABLE' });
    await local.admin.promote(await at('pg-2'), su);
    expect(await local.admin.status(await at('pg-2'), su)).toMatchObject({ role: 'primary', timeline: 2 });

    await waitFor(
      () =>
        pod('pg-1').then(
          () => false,
          () => true,
        ),
      { description: 'pg-1 gone' },
    );
    await createInstance('pg-1', 'initdb');
    await waitReady('pg-1');
    expect(await local.admin.status(await at('pg-1'), su)).toMatchObject({ role: 'primary', timeline: 1 });
    await local.admin.follow(await at('pg-1'), await at('pg-2'), su);
    expect(await local.admin.status(await at('pg-1'), su)).toMatchObject({
      role: 'replica',
      timeline: 2,
      streamingFrom: 'pg-2',
    });
  });

  test('the operator runs a PostgresCluster and a PostgresDatabase on real servers', async () => {
    const { admin, resolveInstance } = local;
    await runManager(env, (m) =>
      postgresOperator({ admin, resolveInstance, failoverDelaySeconds: 0 }).setup(m),
    );
    const clusters = resourceRefOf(PostgresCluster);
    await env.client.create(clusters, {
      metadata: { name: 'pg', namespace: ns },
      spec: { instances: 2, version: '15', storage: { size: '1Gi' } },
    });
    await env.client.create(resourceRefOf(PostgresDatabase), {
      metadata: { name: 'shop', namespace: ns },
      spec: { cluster: 'pg', owner: 'shop' },
    });
    const status = await waitFor(
      async () => {
        const s = (await env.client.get(clusters, 'pg', { namespace: ns }))['status'] as
          { phase?: string; readyInstances?: number; currentPrimary?: string } | undefined;
        return s?.phase === 'Healthy' && s.readyInstances === 2 ? s : undefined;
      },
      { description: 'cluster pg Healthy with 2 instances', timeout: 40_000 },
    );
    const primary = status.currentPrimary!;
    // The operator generated the superuser password; the servers were initialised with it.
    const secret = await env.client.get(builtin.secrets, 'pg-superuser', { namespace: ns });
    const generated = Buffer.from(
      (secret['data'] as Record<string, string>)['password'] ?? '',
      'base64',
    ).toString();
    const asOperator = { user: 'postgres', password: generated };
    const replica = primary === 'pg-1' ? 'pg-2' : 'pg-1';
    expect(await sql(replica, 'SELECT pg_is_in_recovery() AS r', asOperator)).toEqual([{ r: true }]);
    expect(await sql(primary, 'SELECT application_name, state FROM pg_stat_replication', asOperator)).toEqual(
      [expect.objectContaining({ state: 'streaming' })],
    );
    await waitFor(
      () =>
        sql(primary, "SELECT 1 FROM pg_database WHERE datname = 'shop'", asOperator).then(
          (r) => r.length === 1,
        ),
      {
        description: 'database shop on the primary',
        timeout: 20_000,
      },
    );
    expect(
      await sql(
        primary,
        "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = 'shop'",
        asOperator,
      ),
    ).toEqual([{ owner: 'shop' }]);
  }, 60_000);
});
