/**
 * End to end: rolling changes. Replicas are replaced one at a time, each back and streaming before the
 * next; then a switchover to an updated replica; the old primary last. With `supervised`, the
 * operator stops before the primary and waits for the user's switchover.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin } from '@steward/core';
import { invariant } from '@steward/testing';
import type { InvariantWatch } from '@steward/testing';
import { watchInvariants } from '@steward/testing';
import { ANNOTATIONS, LABELS, startPostgresEnv, byText } from './support/postgresEnv.js';
import type { PostgresEnv } from './support/postgresEnv.js';

let pg: PostgresEnv;
beforeEach(async () => {
  pg = await startPostgresEnv();
});
afterEach(() => pg.stop());

/** Records each instance pod deletion with the role label it had, and fails if a primary is deleted. */
async function recordDeletions(): Promise<{ deleted: string[]; watch: InvariantWatch }> {
  const deleted: string[] = [];
  const watch = await watchInvariants(pg.env.client, {
    namespace: pg.namespace,
    invariants: [
      invariant(
        'no pod deleted while it is labelled primary',
        (_s, e) => {
          if (e.type !== 'delete' || e.object === undefined) return undefined;
          const role = e.object.metadata.labels?.[LABELS.role];
          deleted.push(e.object.metadata.name ?? '');
          return role === 'primary' ? `${e.object.metadata.name} deleted as the primary` : undefined;
        },
        { kinds: [builtin.pods] },
      ),
    ],
  });
  return { deleted, watch };
}

const hashes = async (): Promise<Map<string, string>> =>
  new Map(
    (await pg.pods('pg')).map((p) => [
      p.metadata.name ?? '',
      p.metadata.annotations?.[ANNOTATIONS.specHash] ?? '',
    ]),
  );

test('a parameter change rolls replicas first, one at a time, then switches over, then the old primary', async () => {
  await pg.create('pg', { instances: 3 });
  await pg.healthy('pg', 3);
  const before = await hashes();
  const { deleted, watch } = await recordDeletions();

  await pg.patchSpec('pg', { parameters: { shared_buffers: '256MB' } });
  await pg.until(async () => {
    const now = await hashes();
    return now.size === 3 && [...now.values()].every((h) => h !== before.get('pg-1'));
  }, 'every pod on the new spec');
  const cluster = await pg.healthy('pg', 3);

  // Replicas first (pg-2, pg-3 in some order), the old primary last, after a switchover.
  expect(deleted).toHaveLength(3);
  expect(deleted.slice(0, 2).sort(byText)).toEqual(['pg-2', 'pg-3']);
  expect(deleted[2]).toBe('pg-1');
  expect(cluster.status?.currentPrimary).not.toBe('pg-1');
  const args = (await pg.pods('pg')).map(
    (p) => (p['spec'] as { containers: { args: string[] }[] }).containers[0]?.args,
  );
  expect(args).toEqual([
    ['-c', 'shared_buffers=256MB'],
    ['-c', 'shared_buffers=256MB'],
    ['-c', 'shared_buffers=256MB'],
  ]);
  await watch.assertNone();
  await watch.stop();
});

test('supervised: replicas are updated, then the primary waits for the user’s switchover', async () => {
  await pg.create('pg', { instances: 2, primaryUpdateStrategy: 'supervised' });
  await pg.healthy('pg', 2);
  const { deleted, watch } = await recordDeletions();

  await pg.patchSpec('pg', { parameters: { work_mem: '8MB' } });
  const waiting = await pg.until(async () => {
    const c = await pg.get('pg');
    return c.status?.phase === 'WaitingForUser' ? c : undefined;
  }, 'WaitingForUser');
  expect(deleted).toEqual(['pg-2']);
  expect(waiting.status?.currentPrimary).toBe('pg-1');
  expect(waiting.status?.conditions?.find((c) => c.type === 'Progressing')?.message).toMatch(
    /waits for a switchover/,
  );

  await pg.annotate('pg', { [ANNOTATIONS.switchoverTo]: 'pg-2' });
  await pg.until(async () => {
    const c = await pg.get('pg');
    return c.status?.phase === 'Healthy' && c.status.instances?.every((i) => i.updated === true);
  }, 'the old primary updated after the switchover');
  expect(deleted).toEqual(['pg-2', 'pg-1']);
  expect((await pg.get('pg')).status?.currentPrimary).toBe('pg-2');
  await watch.assertNone();
  await watch.stop();
});

test('a rolling change whose switchover was aborted (the target never caught up) waits before stopping the primary’s writes again', async () => {
  await pg.stop();
  pg = await startPostgresEnv({ switchoverTimeoutSeconds: 1 });
  await pg.create('pg', { instances: 2 });
  await pg.healthy('pg', 2);
  // pg-2 keeps its claim (and so the hold) across its replacement: it streams, but replays nothing.
  pg.sim.hold('pg-2', true, pg.namespace);
  await pg.patchSpec('pg', { parameters: { shared_buffers: '256MB' } });
  await pg.until(async () => {
    const pod = (await pg.pods('pg')).find((p) => p.metadata.name === 'pg-2');
    return pod?.metadata.annotations?.[ANNOTATIONS.specHash] !== (await hashes()).get('pg-1');
  }, 'pg-2 replaced');
  pg.sim.write('pg-1', 4096, pg.namespace);

  const waiting = await pg.until(async () => {
    const c = await pg.get('pg');
    const progressing = c.status?.conditions?.find((x) => x.type === 'Progressing');
    return /switchover was aborted.*trying pg-2 again/.test(progressing?.message ?? '') ? c : undefined;
  }, 'the rollout waiting after the abort');
  expect(waiting.status?.switchoverAbortedAt).toBeDefined();
  expect(waiting.status?.currentPrimary).toBe('pg-1');
  // Several reconcile periods: without the wait, each would stop pg-1's writes for another second.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const started = (await pg.env.client.list(builtin.events, { namespace: pg.namespace })).items
    .filter((e) => e['reason'] === 'SwitchoverStarted')
    .reduce((n, e) => n + Number(e['count'] ?? 1), 0);
  expect(started).toBe(1);
  expect(() => pg.sim.write('pg-1', 100, pg.namespace)).not.toThrow();
  expect(pg.sim.instance('pg-2', pg.namespace)?.role).toBe('replica');
});
