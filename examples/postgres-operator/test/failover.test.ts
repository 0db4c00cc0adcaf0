/**
 * End to end: failover when the primary pod goes, switchover on request, and pause. The invariants
 * watch every event: never two pods labelled primary, never `-rw` selecting two pods.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin, PAUSED_ANNOTATION } from '@steward/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { PostgresAdminError } from '../src/admin/adminErrors.js';
import { lsnValue } from '../src/controllers/planning.js';
import { ANNOTATIONS, byText, LABELS, names, startPostgresEnv } from './support/postgresEnv.js';
import type { PostgresEnv } from './support/postgresEnv.js';

let pg: PostgresEnv;
beforeEach(async () => {
  pg = await startPostgresEnv({ failoverDelaySeconds: 0 });
});
afterEach(() => pg.stop());

async function eventReasons(): Promise<string[]> {
  const events = (await pg.env.client.list(builtin.events, { namespace: pg.namespace })).items;
  return events.map((e) => String(e['reason']));
}

/**
 * Waits until Events with these reasons exist. The operator records Events fire-and-forget (the
 * recorder never makes a reconcile wait), so the cluster's status can be Healthy before its
 * `SwitchedOver` Event is written: reading them once right after a status wait races with that write.
 */
async function eventsInclude(...reasons: string[]): Promise<void> {
  await pg.until(
    async () => {
      const seen = await eventReasons();
      return reasons.every((r) => seen.includes(r));
    },
    `Events ${reasons.join(', ')}`,
  );
}

test('failover: the primary pod is deleted; it is fenced, the most advanced replica promoted, and it rejoins as a replica', async () => {
  await pg.create('pg', { instances: 3 });
  await pg.healthy('pg', 3);
  const watch = await pg.watchPrimaries('pg');

  // pg-3 stops replaying, then the primary takes writes: pg-2 is now the most advanced replica.
  pg.sim.hold('pg-3', true, pg.namespace);
  pg.sim.write('pg-1', 4096, pg.namespace);
  await pg.env.client.delete(builtin.pods, 'pg-1', { namespace: pg.namespace });

  await pg.until(async () => (await pg.get('pg')).status?.currentPrimary === 'pg-2', 'pg-2 promoted');
  pg.sim.hold('pg-3', false, pg.namespace);
  const cluster = await pg.healthy('pg', 3);
  expect(cluster.status?.currentPrimary).toBe('pg-2');
  expect(await pg.selectedBy(names.readWrite('pg'))).toEqual(['pg-2']);
  // The old primary came back on its own data, as a primary on its old timeline, and was rewound.
  expect(pg.sim.instance('pg-1', pg.namespace)).toMatchObject({ role: 'replica', streamingFrom: 'pg-2' });
  expect(pg.sim.instance('pg-3', pg.namespace)).toMatchObject({ role: 'replica', streamingFrom: 'pg-2' });
  expect(pg.sim.instance('pg-2', pg.namespace)?.timeline).toBe(2);
  await eventsInclude('FailingOver', 'FailedOver', 'RejoinedAsReplica');
  await watch.assertNone();
  await watch.stop();
});

test('failover waits failoverDelaySeconds before promoting', async () => {
  await pg.create('pg', { instances: 2, failoverDelaySeconds: 3600 });
  await pg.healthy('pg', 2);
  await pg.env.client.delete(builtin.pods, 'pg-1', { namespace: pg.namespace });
  await pg.until(async () => {
    const c = await pg.get('pg');
    return c.status?.currentPrimaryFailingSince !== undefined && c.status.phase === 'Degraded';
  }, 'the failover clock started');
  expect((await pg.get('pg')).status?.currentPrimary).toBe('pg-1');
  expect(pg.sim.instance('pg-2', pg.namespace)?.role).toBe('replica');
  // Shortening the delay lets the failover go ahead.
  await pg.patchSpec('pg', { failoverDelaySeconds: 0 });
  await pg.until(async () => (await pg.get('pg')).status?.currentPrimary === 'pg-2', 'pg-2 promoted');
});

test('switchover on request: the named replica becomes primary, the old primary follows it, the request is consumed', async () => {
  await pg.create('pg', { instances: 3 });
  await pg.healthy('pg', 3);
  const watch = await pg.watchPrimaries('pg');
  await pg.annotate('pg', { [ANNOTATIONS.switchoverTo]: 'pg-3' });
  await pg.until(async () => {
    const c = await pg.get('pg');
    return (
      c.status?.currentPrimary === 'pg-3' && c.metadata.annotations?.[ANNOTATIONS.switchoverTo] === undefined
    );
  }, 'switchover to pg-3 done');
  await pg.healthy('pg', 3);
  expect(await pg.selectedBy(names.readWrite('pg'))).toEqual(['pg-3']);
  expect(pg.sim.instance('pg-1', pg.namespace)).toMatchObject({ role: 'replica', streamingFrom: 'pg-3' });
  await eventsInclude('SwitchoverStarted', 'SwitchedOver');

  // A request naming no replica is refused with a Warning and consumed; nothing moves.
  await pg.annotate('pg', { [ANNOTATIONS.switchoverTo]: 'pg-9' });
  await pg.until(async () => (await eventReasons()).includes('SwitchoverRefused'), 'the refusal');
  await pg.until(
    async () => (await pg.get('pg')).metadata.annotations?.[ANNOTATIONS.switchoverTo] === undefined,
    'request consumed',
  );
  expect((await pg.get('pg')).status?.currentPrimary).toBe('pg-3');
  await watch.assertNone();
  await watch.stop();
});

test('switchover to a lagging replica: the primary stops taking writes first, and the target is promoted only once it has replayed them', async () => {
  await pg.create('pg', { instances: 3 });
  await pg.healthy('pg', 3);
  const watch = await pg.watchPrimaries('pg');
  // pg-3 stops replaying, then the primary commits: promoting pg-3 now would lose that commit.
  pg.sim.hold('pg-3', true, pg.namespace);
  const lastCommit = pg.sim.write('pg-1', 4096, pg.namespace);
  await pg.annotate('pg', { [ANNOTATIONS.switchoverTo]: 'pg-3' });

  await pg.until(() => pg.sim.instance('pg-1', pg.namespace)?.writesStopped, 'pg-1 writes stopped');
  expect(() => pg.sim.write('pg-1', 100, pg.namespace)).toThrow(/writes stopped/);
  expect(await pg.selectedBy(names.readWrite('pg'))).toEqual([]);
  await sleep(1000); // ten polls of pg-3's position: it must not be promoted meanwhile
  expect(pg.sim.instance('pg-3', pg.namespace)?.role).toBe('replica');
  expect((await pg.get('pg')).status?.currentPrimary).toBe('pg-1');

  pg.sim.hold('pg-3', false, pg.namespace);
  await pg.until(async () => (await pg.get('pg')).status?.currentPrimary === 'pg-3', 'pg-3 promoted');
  // Timeline 2 began after the last commit of timeline 1 (promoted at its held position, it would begin before).
  const promoted = pg.sim.instance('pg-3', pg.namespace);
  expect(promoted).toMatchObject({ role: 'primary', timeline: 2 });
  expect(lsnValue(promoted?.lsn)).toBeGreaterThan(lsnValue(lastCommit));
  await pg.healthy('pg', 3);
  expect(pg.sim.instance('pg-1', pg.namespace)).toMatchObject({ role: 'replica', streamingFrom: 'pg-3' });
  expect(() => pg.sim.write('pg-3', 100, pg.namespace)).not.toThrow();
  await eventsInclude('SwitchoverStarted', 'SwitchedOver');
  await watch.assertNone();
  await watch.stop();
});

test('switchover to a replica that never catches up: aborted after the timeout, not promoted, the primary takes writes again', async () => {
  await pg.stop();
  pg = await startPostgresEnv({ failoverDelaySeconds: 0, switchoverTimeoutSeconds: 1 });
  await pg.create('pg', { instances: 2 });
  await pg.healthy('pg', 2);
  pg.sim.hold('pg-2', true, pg.namespace);
  pg.sim.write('pg-1', 4096, pg.namespace);
  await pg.annotate('pg', { [ANNOTATIONS.switchoverTo]: 'pg-2' });

  await eventsInclude('SwitchoverStarted', 'SwitchoverAborted');
  const cluster = await pg.until(async () => {
    const c = await pg.get('pg');
    return c.metadata.annotations?.[ANNOTATIONS.switchoverTo] === undefined ? c : undefined;
  }, 'request consumed');
  expect(cluster.status?.currentPrimary).toBe('pg-1');
  expect(cluster.status?.conditions?.find((c) => c.type === 'Switchover')).toMatchObject({
    status: 'False',
    reason: 'TargetBehind',
  });
  expect(pg.sim.instance('pg-2', pg.namespace)).toMatchObject({ role: 'replica', timeline: 1 });
  expect(pg.sim.instance('pg-1', pg.namespace)?.writesStopped).toBeUndefined();
  expect(() => pg.sim.write('pg-1', 100, pg.namespace)).not.toThrow();
  expect(await pg.selectedBy(names.readWrite('pg'))).toEqual(['pg-1']);
  expect(await eventReasons()).not.toContain('SwitchedOver');
});

test('a primary left with its writes stopped (a switchover that did not finish) takes writes again', async () => {
  await pg.create('pg', { instances: 2 });
  await pg.healthy('pg', 2);
  const secret = await pg.env.client.get(builtin.secrets, names.superuser('pg'), { namespace: pg.namespace });
  const data = secret['data'] as Record<string, string>;
  const password = Buffer.from(data['password'] ?? '', 'base64').toString();
  const pod1 = { namespace: pg.namespace, pod: 'pg-1', host: 'pg-1', port: 5432 };
  // What an operator that crashed between stopping writes and promoting leaves behind.
  await pg.sim.admin.stopWrites!(pod1, { user: 'postgres', password });
  expect(pg.sim.instance('pg-1', pg.namespace)?.writesStopped).toBe(true);
  await eventsInclude('WritesResumed');
  await pg.until(() => pg.sim.instance('pg-1', pg.namespace)?.writesStopped === undefined, 'writes resumed');
  expect(() => pg.sim.write('pg-1', 100, pg.namespace)).not.toThrow();
});

test('pause: a paused cluster gets no writes (a deleted replica stays deleted) until unpaused', async () => {
  await pg.create('pg', { instances: 2 });
  await pg.healthy('pg', 2);
  await pg.annotate('pg', { [PAUSED_ANNOTATION]: 'true' });
  // The annotation is seen: the controller logs that it skips the paused object.
  await pg.env.client.delete(builtin.pods, 'pg-2', { namespace: pg.namespace });
  await pg.until(async () => (await pg.pods('pg')).length === 1, 'pg-2 gone');
  const before = (await pg.get('pg')).metadata.resourceVersion;
  await sleep(1500); // several reconcile periods (300 ms while busy): nothing may happen meanwhile
  expect((await pg.pods('pg')).map((p) => p.metadata.name)).toEqual(['pg-1']);
  expect((await pg.get('pg')).metadata.resourceVersion).toBe(before); // not even a status write

  await pg.annotate('pg', { [PAUSED_ANNOTATION]: null });
  await pg.until(async () => (await pg.pods('pg')).length === 2, 'pg-2 recreated');
  await pg.healthy('pg', 2);
  expect((await pg.pods('pg')).find((p) => p.metadata.name === 'pg-2')?.metadata.labels?.[LABELS.role]).toBe(
    'replica',
  );
});

test('a former primary that nothing can rewind (pgAdmin without a rejoin hook) leaves the cluster Degraded: RejoinRequired, and is fenced out of -ro', async () => {
  await pg.stop();
  // What pgAdmin() does without a `rejoin` hook: SQL cannot turn a primary into a standby.
  pg = await startPostgresEnv({
    failoverDelaySeconds: 0,
    wrapAdmin: (admin) => ({
      ...admin,
      async follow(instance, primary, credentials) {
        if ((await admin.status(instance, credentials)).role === 'primary')
          throw new PostgresAdminError('PG_REJOIN_REQUIRED', `${instance.pod} must be rewound`);
        return admin.follow(instance, primary, credentials);
      },
    }),
  });
  await pg.create('pg', { instances: 3 });
  await pg.healthy('pg', 3);
  expect((await pg.selectedBy(names.readOnly('pg'))).sort(byText)).toEqual(['pg-2', 'pg-3']);
  await pg.env.client.delete(builtin.pods, 'pg-1', { namespace: pg.namespace });
  const degraded = await pg.until(async () => {
    const c = await pg.get('pg');
    const condition = c.status?.conditions?.find((x) => x.type === 'Degraded');
    return c.status?.currentPrimary === 'pg-2' && condition?.reason === 'RejoinRequired'
      ? condition
      : undefined;
  }, 'Degraded: RejoinRequired');
  expect(degraded.status).toBe('True');
  expect(degraded.message).toMatch(/former primary pg-1 cannot rejoin.*pg_rewind/);
  expect(await pg.selectedBy(names.readWrite('pg'))).toEqual(['pg-2']);
  expect(pg.sim.instance('pg-1', pg.namespace)?.role).toBe('primary'); // untouched, fenced
  expect(await eventReasons()).toContain('RejoinRequired');
  // Its timeline diverged: reads there could see writes the cluster lost, so -ro must not select it.
  // It is labelled fenced; -ro selects pg-3 alone, once pg-3 streams from the new primary.
  const pod1 = await pg.env.client.get(builtin.pods, 'pg-1', { namespace: pg.namespace });
  expect(pod1.metadata.labels?.[LABELS.role]).toBe('fenced');
  await pg.until(async () => {
    const selected = await pg.selectedBy(names.readOnly('pg'));
    return selected.length === 1 && selected[0] === 'pg-3';
  }, '-ro selects pg-3 alone');
  expect(pg.sim.instance('pg-3', pg.namespace)).toMatchObject({ role: 'replica', streamingFrom: 'pg-2' });
});
