/**
 * End to end: PostgresDatabase creates the role, the database and the credentials Secret on the
 * primary; deleting it keeps the data unless `reclaimPolicy: Delete`.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin } from '@steward/core';
import { databases, names, startPostgresEnv } from './support/postgresEnv.js';
import type { PostgresEnv } from './support/postgresEnv.js';

let pg: PostgresEnv;
beforeEach(async () => {
  pg = await startPostgresEnv();
});
afterEach(() => pg.stop());

const decode = (data: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

async function createDatabase(name: string, reclaimPolicy?: 'Retain' | 'Delete'): Promise<void> {
  await pg.env.client.create(databases, {
    metadata: { name, namespace: pg.namespace },
    spec: {
      cluster: 'pg',
      owner: `${name}_owner`,
      ...(reclaimPolicy === undefined ? {} : { reclaimPolicy }),
    },
  });
}

test('a database, its owner and a credentials Secret; deletion keeps or drops the data per reclaimPolicy', async () => {
  await pg.create('pg', { instances: 2 });
  await pg.healthy('pg', 2);
  await createDatabase('app');
  await createDatabase('scratch', 'Delete');
  const ns = { namespace: pg.namespace };

  const secret = await pg.until(
    () => pg.env.client.get(builtin.secrets, names.credentials('pg', 'app'), ns),
    'the credentials Secret',
  );
  const creds = decode(secret['data'] as Record<string, string>);
  expect(creds).toMatchObject({
    user: 'app_owner',
    dbname: 'app',
    port: '5432',
    host: `pg-rw.${pg.namespace}.svc`,
  });
  expect(creds['uri']).toBe(`postgresql://app_owner:${creds['password']}@pg-rw.${pg.namespace}.svc:5432/app`);

  await pg.until(
    () => pg.sim.instance('pg-1', pg.namespace)?.databases['scratch'] === 'scratch_owner',
    'scratch',
  );
  const primary = pg.sim.instance('pg-1', pg.namespace);
  expect(primary?.databases['app']).toBe('app_owner');
  expect(primary?.roles).toEqual(expect.arrayContaining(['app_owner', 'scratch_owner']));
  await pg.until(async () => {
    const db = await pg.env.client.get(databases, 'app', ns);
    return (db['status'] as { conditions?: { type: string; status: string }[] }).conditions?.some(
      (c) => c.type === 'Ready' && c.status === 'True',
    );
  }, 'app Ready');

  // Retain (the default): the resource and its Secret go, the data stays.
  await pg.env.client.delete(databases, 'app', ns);
  // Delete: the database is dropped before the resource goes.
  await pg.env.client.delete(databases, 'scratch', ns);
  await pg.until(
    async () => (await pg.env.client.list(databases, ns)).items.length === 0,
    'both resources gone',
  );
  expect(pg.sim.instance('pg-1', pg.namespace)?.databases['app']).toBe('app_owner');
  expect(pg.sim.instance('pg-1', pg.namespace)?.databases['scratch']).toBeUndefined();
  await pg.until(async () => {
    const secrets = (await pg.env.client.list(builtin.secrets, ns)).items.map((s) => s.metadata.name);
    return !secrets.includes(names.credentials('pg', 'app'));
  }, 'the credentials Secret collected with its owner');
});
