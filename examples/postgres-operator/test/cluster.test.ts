/**
 * End to end on the embedded API server: bootstrap, scaling, services and secrets of a
 * PostgresCluster, with a simulated Postgres in every pod.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { LABELS, names, startPostgresEnv, byText } from './support/postgresEnv.js';
import type { PostgresEnv } from './support/postgresEnv.js';

let pg: PostgresEnv;
beforeEach(async () => {
  pg = await startPostgresEnv();
});
afterEach(() => pg.stop());

const envOf = (pod: KubeObject | undefined): Record<string, string> => {
  const c = (
    (pod?.['spec'] ?? { containers: [] }) as { containers: { env: { name: string; value?: string }[] }[] }
  ).containers[0];
  return Object.fromEntries(
    (c?.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value ?? '']),
  );
};

test('bootstrap: the first instance initialises, the others clone it and stream; -rw selects the primary', async () => {
  await pg.create('pg', { instances: 3 });
  const cluster = await pg.healthy('pg', 3);
  expect(cluster.status?.currentPrimary).toBe('pg-1');

  const pods = await pg.pods('pg');
  const byName = new Map(pods.map((p) => [p.metadata.name, p]));
  expect(envOf(byName.get('pg-1'))).toMatchObject({ PG_BOOTSTRAP: 'initdb', PG_CLUSTER: 'pg' });
  expect(envOf(byName.get('pg-2'))).toMatchObject({ PG_BOOTSTRAP: 'clone', PG_SOURCE: 'pg-1' });
  expect(envOf(byName.get('pg-3'))).toMatchObject({ PG_BOOTSTRAP: 'clone', PG_SOURCE: 'pg-1' });
  expect(
    pods.filter((p) => p.metadata.labels?.[LABELS.role] === 'primary').map((p) => p.metadata.name),
  ).toEqual(['pg-1']);

  expect(await pg.selectedBy(names.readWrite('pg'))).toEqual(['pg-1']);
  expect((await pg.selectedBy(names.readOnly('pg'))).sort(byText)).toEqual(['pg-2', 'pg-3']);
  for (const replica of ['pg-2', 'pg-3']) {
    expect(pg.sim.instance(replica, pg.namespace)).toMatchObject({ role: 'replica', streamingFrom: 'pg-1' });
  }

  const ns = { namespace: pg.namespace };
  const claims = (await pg.env.client.list(builtin.persistentvolumeclaims, ns)).items.map(
    (c) => c.metadata.name,
  );
  expect(claims.sort(byText)).toEqual(['pg-1', 'pg-2', 'pg-3']);
  const secret = await pg.env.client.get(builtin.secrets, names.superuser('pg'), ns);
  expect(Object.keys(secret['data'] as object).sort(byText)).toEqual(['password', 'username']);
  const pdbs = (await pg.env.client.list(builtin.poddisruptionbudgets, ns)).items;
  expect(
    pdbs
      .map((p) => [p.metadata.name ?? '', (p['spec'] as { minAvailable: number }).minAvailable] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  ).toEqual([
    ['pg-primary', 1],
    ['pg-replicas', 1],
  ]);
  const conditions = Object.fromEntries((cluster.status?.conditions ?? []).map((c) => [c.type, c.status]));
  expect(conditions).toEqual({ Ready: 'True', Progressing: 'False', Degraded: 'False' });
});

test('scale up adds streaming replicas; scale down removes the newest replica and its volume, never the primary', async () => {
  await pg.create('pg', { instances: 1 });
  await pg.healthy('pg', 1);
  const ns = { namespace: pg.namespace };
  const password = (await pg.env.client.get(builtin.secrets, names.superuser('pg'), ns))['data'];

  await pg.patchSpec('pg', { instances: 3 });
  await pg.healthy('pg', 3);
  expect(pg.sim.instance('pg-3', pg.namespace)).toMatchObject({ role: 'replica', streamingFrom: 'pg-1' });

  await pg.patchSpec('pg', { instances: 2 });
  await pg.healthy('pg', 2);
  expect((await pg.pods('pg')).map((p) => p.metadata.name).sort(byText)).toEqual(['pg-1', 'pg-2']);
  await pg.until(async () => {
    const claims = (await pg.env.client.list(builtin.persistentvolumeclaims, ns)).items;
    return claims.length === 2;
  }, 'the removed instance’s claim deleted');

  // Make pg-2 the primary, then scale to one: the old primary pg-1 (now a replica) goes, pg-2 stays.
  await pg.annotate('pg', { 'postgres.steward.dev/switchover-to': 'pg-2' });
  await pg.until(async () => (await pg.get('pg')).status?.currentPrimary === 'pg-2', 'switchover to pg-2');
  await pg.patchSpec('pg', { instances: 1 });
  const one = await pg.healthy('pg', 1);
  expect(one.status?.currentPrimary).toBe('pg-2');
  expect((await pg.pods('pg')).map((p) => p.metadata.name)).toEqual(['pg-2']);

  // Scaling up again gives a new serial: names are never reused for new data.
  await pg.patchSpec('pg', { instances: 2 });
  await pg.healthy('pg', 2);
  expect((await pg.pods('pg')).map((p) => p.metadata.name).sort(byText)).toEqual(['pg-2', 'pg-4']);
  expect((await pg.env.client.get(builtin.secrets, names.superuser('pg'), ns))['data']).toEqual(password);
});
