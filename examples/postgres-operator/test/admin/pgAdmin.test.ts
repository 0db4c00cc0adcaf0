/**
 * pgAdmin against real PostgreSQL 15 servers on loopback (test/admin/postgresServers.ts): status,
 * lag, roles and databases, errors, then a failover — promote a replica, re-point the other, rejoin
 * the old primary — with every operation run twice. Tests run in order and share the servers.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Client, type QueryResult } from 'pg';
import { PostgresAdminError } from '../../src/admin/adminErrors.js';
import { pgAdmin, type PgAdmin } from '../../src/admin/pgAdmin.js';
import type { Credentials, InstanceStatus } from '../../src/admin/postgresAdmin.js';
import {
  postgresMissing,
  postgresServers,
  type PostgresServer,
  type PostgresServers,
} from './postgresServers.js';

const missing = postgresMissing();
if (missing !== undefined) console.warn(`skipping pgAdmin tests: ${missing}`);
const describeReal = missing === undefined ? describe : describe.skip;

async function sql(server: PostgresServer, credentials: Credentials, text: string): Promise<QueryResult> {
  const client = new Client({
    host: '127.0.0.1',
    port: server.port,
    ...credentials,
    database: 'postgres',
  });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

const lsnValue = (lsn: string): bigint => {
  const [high = '0', low = '0'] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
};

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`, { cause: last });
}

describeReal('pgAdmin on real PostgreSQL 15', () => {
  let servers: PostgresServers;
  let admin: PgAdmin;
  let pg1: PostgresServer, pg2: PostgresServer, pg3: PostgresServer;
  let su: Credentials;
  const named = (pod: string): PostgresServer => servers.servers.get(pod)!;

  beforeAll(async () => {
    servers = postgresServers();
    su = servers.credentials;
    pg1 = await servers.primary('pg-1');
    [pg2, pg3] = await Promise.all([servers.replica('pg-2', pg1), servers.replica('pg-3', pg1)]);
    admin = pgAdmin({
      waitTimeoutMs: 15_000,
      rejoin: (instance, primary) => servers.rejoin(named(instance.pod), named(primary.pod)),
    });
  }, 60_000);
  afterAll(async () => {
    await admin?.close();
    await servers?.stopAll();
  }, 30_000);

  test('status: a primary on timeline 1, replicas streaming from it', async () => {
    const primary = await admin.status(pg1.instance, su);
    expect(primary).toEqual({
      role: 'primary',
      lsn: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/),
      timeline: 1,
    });
    for (const replica of [pg2, pg3]) {
      await eventually(async () => {
        const status = await admin.status(replica.instance, su);
        return status.streamingFrom === 'pg-1' ? status : undefined;
      }, `${replica.name} streaming`);
      expect(await admin.status(replica.instance, su)).toMatchObject({ role: 'replica', timeline: 1 });
    }
  });

  test('writes on the primary move its LSN; the replicas replay up to it, lag 0', async () => {
    const before = await admin.status(pg1.instance, su);
    await sql(pg1, su, 'CREATE TABLE items (id int); INSERT INTO items SELECT generate_series(1, 5000)');
    const after = await admin.status(pg1.instance, su);
    expect(lsnValue(after.lsn)).toBeGreaterThan(lsnValue(before.lsn));
    for (const replica of [pg2, pg3]) {
      const caughtUp = await eventually(async () => {
        const s = await admin.status(replica.instance, su);
        return lsnValue(s.lsn) >= lsnValue(after.lsn) ? s : undefined;
      }, `${replica.name} replaying to ${after.lsn}`);
      expect(caughtUp.lagBytes).toBe(0);
    }
    expect((await sql(pg2, su, 'SELECT count(*)::int AS n FROM items')).rows[0]).toEqual({ n: 5000 });
  });

  test('roles and databases: created, updated, dropped, every call safe to repeat', async () => {
    const app = { name: 'app "user"', password: "it's secret", login: true };
    await admin.ensureRole(pg1.instance, su, app);
    await admin.ensureRole(pg1.instance, su, app);
    await admin.ensureDatabase(pg1.instance, su, { name: 'app-db', owner: app.name });
    await admin.ensureDatabase(pg1.instance, su, { name: 'app-db', owner: app.name });
    const login = new Client({
      host: '127.0.0.1',
      port: pg1.port,
      user: app.name,
      password: app.password,
      database: 'app-db',
    });
    await login.connect();
    await login.end();
    // A new password replaces the old one.
    await admin.ensureRole(pg1.instance, su, { ...app, password: 'rotated' });
    await expect(sql(pg1, { user: app.name, password: app.password }, 'SELECT 1')).rejects.toThrow(
      /password/,
    );
    // The owner follows the spec.
    await admin.ensureRole(pg1.instance, su, { name: 'other', password: 'x', login: false });
    await admin.ensureDatabase(pg1.instance, su, { name: 'app-db', owner: 'other' });
    const owner = await sql(
      pg1,
      su,
      "SELECT pg_get_userbyid(datdba) AS o FROM pg_database WHERE datname = 'app-db'",
    );
    expect(owner.rows[0]).toEqual({ o: 'other' });
    await admin.dropDatabase(pg1.instance, su, 'app-db');
    await admin.dropDatabase(pg1.instance, su, 'app-db');
    expect((await sql(pg1, su, "SELECT 1 FROM pg_database WHERE datname = 'app-db'")).rowCount).toBe(0);
  });

  test('writes sent to a replica, a wrong password and a dead port fail clearly', async () => {
    const onReplica = admin.ensureRole(pg2.instance, su, { name: 'x', password: 'y' });
    await expect(onReplica).rejects.toMatchObject({ code: 'PG_READ_ONLY', retryable: true });
    await expect(onReplica).rejects.toThrow(/local\/pg-2 .* is a replica/);
    const wrong = admin.status(pg1.instance, { user: su.user, password: 'wrong' });
    await expect(wrong).rejects.toBeInstanceOf(PostgresAdminError);
    await expect(wrong).rejects.toMatchObject({ code: 'PG_AUTH', retryable: false });
    await expect(wrong).rejects.toThrow(
      /local\/pg-1 \(127\.0\.0\.1:\d+\) rejected user "postgres".*superuser Secret/,
    );
    const gone = { ...pg1.instance, pod: 'pg-9', port: 1 };
    await expect(admin.status(gone, su)).rejects.toMatchObject({ code: 'PG_UNREACHABLE', retryable: true });
  });

  test('stopWrites: open sessions end, new writes are refused, the replicas replay up to the position it returns; resumeWrites undoes it', async () => {
    // An application's session, inside a read-write transaction when the switchover begins.
    const app = new Client({ host: '127.0.0.1', port: pg1.port, ...su, database: 'postgres' });
    app.on('error', () => {});
    await app.connect();
    await app.query('BEGIN');
    await app.query('INSERT INTO items VALUES (0)');

    const stoppedAt = await admin.stopWrites!(pg1.instance, su);
    expect(lsnValue(await admin.stopWrites!(pg1.instance, su))).toBeGreaterThanOrEqual(lsnValue(stoppedAt));
    await expect(app.query('COMMIT')).rejects.toThrow(/terminat|connection/);
    await app.end().catch(() => {});
    await expect(sql(pg1, su, 'INSERT INTO items VALUES (0)')).rejects.toThrow(/read-only transaction/);
    await expect(admin.ensureRole(pg1.instance, su, { name: 'late', password: 'x' })).rejects.toMatchObject({
      code: 'PG_READ_ONLY',
    });
    expect(await admin.status(pg1.instance, su)).toMatchObject({ role: 'primary', writesStopped: true });
    // Nothing commits past that position, so a replica that reached it holds every commit.
    await eventually(async () => {
      const s = await admin.status(pg2.instance, su);
      return lsnValue(s.lsn) >= lsnValue(stoppedAt) ? s : undefined;
    }, `pg-2 replaying to ${stoppedAt}`);
    expect((await sql(pg2, su, 'SELECT count(*)::int AS n FROM items WHERE id = 0')).rows[0]).toEqual({
      n: 0,
    });

    await admin.resumeWrites!(pg1.instance, su);
    await admin.resumeWrites!(pg1.instance, su);
    await eventually(async () => {
      await sql(pg1, su, 'INSERT INTO items VALUES (0); DELETE FROM items WHERE id = 0');
      return true;
    }, 'pg-1 taking writes again');
    expect((await admin.status(pg1.instance, su)).writesStopped).toBeUndefined();
  });

  test('failover: promote pg-2 (timeline 2, repeat is a no-op), pg-3 follows it', async () => {
    await pg1.stop('immediate');
    await admin.promote(pg2.instance, su);
    const promoted: InstanceStatus = await admin.status(pg2.instance, su);
    expect(promoted).toMatchObject({ role: 'primary', timeline: 2 });
    await admin.promote(pg2.instance, su);
    expect(await admin.status(pg2.instance, su)).toMatchObject({ role: 'primary', timeline: 2 });

    await sql(pg2, su, 'INSERT INTO items VALUES (-2)');
    await admin.follow(pg3.instance, pg2.instance, su);
    await admin.follow(pg3.instance, pg2.instance, su);
    const target = await admin.status(pg2.instance, su);
    const follower = await eventually(async () => {
      const s = await admin.status(pg3.instance, su);
      return lsnValue(s.lsn) >= lsnValue(target.lsn) ? s : undefined;
    }, 'pg-3 replaying the new primary');
    expect(follower).toMatchObject({ role: 'replica', timeline: 2, streamingFrom: 'pg-2' });
    expect((await sql(pg3, su, 'SELECT count(*)::int AS n FROM items WHERE id = -2')).rows[0]).toEqual({
      n: 1,
    });
  });

  test('the old primary comes back on timeline 1; follow rewinds it (rejoin hook) onto pg-2', async () => {
    await pg1.start();
    expect(await admin.status(pg1.instance, su)).toMatchObject({ role: 'primary', timeline: 1 });
    // A write the old primary took after the failover: the rewind must throw it away.
    await sql(pg1, su, 'INSERT INTO items VALUES (-1)');
    const sqlOnly = pgAdmin();
    await expect(sqlOnly.follow(pg1.instance, pg2.instance, su)).rejects.toMatchObject({
      code: 'PG_REJOIN_REQUIRED',
      message: expect.stringMatching(/local\/pg-1 .* is a primary.*pg_rewind/),
    });

    await admin.follow(pg1.instance, pg2.instance, su);
    expect(await admin.status(pg1.instance, su)).toMatchObject({
      role: 'replica',
      timeline: 2,
      streamingFrom: 'pg-2',
    });
    const rows = await sql(pg1, su, 'SELECT id FROM items WHERE id < 0 ORDER BY id');
    expect(rows.rows).toEqual([{ id: -2 }]);
    await admin.follow(pg1.instance, pg2.instance, su);
  });
});
