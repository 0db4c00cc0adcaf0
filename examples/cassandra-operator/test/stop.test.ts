import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin, findCondition, isConditionTrue, NotFoundError, PAUSED_ANNOTATION } from '@steward/core';
import { waitFor } from '@steward/testing';
import { byText, datacenters, startCassandraEnv } from './cassandraEnv.js';
import type { CassandraEnv } from './cassandraEnv.js';

// stopped: true drains and scales to zero keeping the volumes; false brings the same nodes back.
// A node failing mid-scale-up holds the joins until it is back. The pause annotation stops all writes.
// Deleting the datacenter removes its claims once its pods are gone.
let c: CassandraEnv;
beforeEach(async () => {
  c = await startCassandraEnv();
});
afterEach(() => c.stop());

const ns = (): { namespace: string } => ({ namespace: c.namespace });
const racks = [{ name: 'r1' }, { name: 'r2' }, { name: 'r3' }];

async function create(size: number): Promise<void> {
  await c.env.client.create(datacenters, {
    metadata: { name: 'dc1', namespace: c.namespace },
    spec: { clusterName: 'demo', size, racks },
  });
  await c.ready();
}

test('stopped drains every node and scales to zero keeping the claims; un-stopping brings the same nodes back', async () => {
  await create(3);
  const hostIds = (await c.dc()).status?.nodes;
  const claims = (await c.env.client.list(builtin.persistentvolumeclaims, ns())).items.map(
    (x) => x.metadata.uid,
  );
  await c.env.client.patch(datacenters, 'dc1', { spec: { stopped: true } }, ns());
  await waitFor(async () => isConditionTrue((await c.dc()).status?.conditions, 'Stopped'), {
    description: 'Stopped=True',
    state: () => c.dc(),
  });
  expect(await c.pods()).toEqual([]);
  const drained = c.ring.history().filter((e) => e.namespace === c.namespace && e.kind === 'drained');
  expect(drained.map((e) => e.pod).sort(byText)).toEqual(['dc1-r1-0', 'dc1-r2-0', 'dc1-r3-0']);
  const kept = (await c.env.client.list(builtin.persistentvolumeclaims, ns())).items.map(
    (x) => x.metadata.uid,
  );
  expect(kept.sort(byText)).toEqual([...claims].sort(byText));
  expect(findCondition((await c.dc()).status?.conditions, 'Ready')?.reason).toBe('Stopped');

  await c.env.client.patch(datacenters, 'dc1', { spec: { stopped: false } }, ns());
  const dc = await c.ready();
  expect(dc.status?.nodes).toEqual(hostIds);
  expect(c.ring.history().filter((e) => e.namespace === c.namespace && e.kind === 'refused')).toEqual([]);
  await c.invariants.assertNone();
}, 60_000);

test('a node failing in the middle of a scale-up holds the next join until it recovers', async () => {
  await create(3);
  await c.env.client.patch(datacenters, 'dc1', { spec: { size: 6 } }, ns());
  // Fail an existing node as soon as the first new node has joined.
  await waitFor(
    () =>
      c.ring
        .history()
        .some((e) => e.namespace === c.namespace && e.kind === 'joined' && e.pod.endsWith('-1')),
    { description: 'a new node joined' },
  );
  const failedAt = Date.now();
  c.ring.failNode({ namespace: c.namespace, name: 'dc1-r1-0' });
  const joinsWhileDown = (): number =>
    c.ring.history().filter((e) => e.namespace === c.namespace && e.kind === 'joining' && e.at > failedAt)
      .length;
  await new Promise((resolve) => setTimeout(resolve, 800));
  expect(joinsWhileDown()).toBeLessThanOrEqual(1); // at most the join already under way
  expect(isConditionTrue((await c.dc()).status?.conditions, 'Ready')).toBe(false);

  c.ring.recoverNode({ namespace: c.namespace, name: 'dc1-r1-0' });
  const dc = await c.ready('dc1', 30_000);
  expect(dc.status?.readyNodes).toBe(6);
  await c.invariants.assertNone();
}, 60_000);

test('a paused datacenter gets no writes: a size change waits for the annotation to go', async () => {
  await create(3);
  await c.env.client.patch(
    datacenters,
    'dc1',
    { metadata: { annotations: { [PAUSED_ANNOTATION]: 'true' } } },
    ns(),
  );
  await c.env.client.patch(datacenters, 'dc1', { spec: { size: 4 } }, ns());
  await new Promise((resolve) => setTimeout(resolve, 600));
  const set = await c.env.client.get(builtin.statefulsets, 'dc1-r1', ns());
  expect((set['spec'] as { replicas: number }).replicas).toBe(1);

  await c.env.client.patch(
    datacenters,
    'dc1',
    { metadata: { annotations: { [PAUSED_ANNOTATION]: null } } },
    ns(),
  );
  const dc = await c.ready();
  expect(dc.status?.readyNodes).toBe(4);
}, 60_000);

test('deleting the datacenter scales its racks to zero, then deletes its claims, then it goes', async () => {
  await create(3);
  await c.env.client.delete(datacenters, 'dc1', ns());
  // Claims seen after the datacenter was gone: its finalizer must hold it until they are deleted.
  const claimsAfterDatacenter = new Set<string>();
  await waitFor(
    async () => {
      const gone = await c.dc().then(
        () => false,
        (error: unknown) => error instanceof NotFoundError,
      );
      const claims = await c.env.client.list(builtin.persistentvolumeclaims, ns());
      if (gone) for (const claim of claims.items) claimsAfterDatacenter.add(claim.metadata.name ?? '');
      return gone && claims.items.length === 0 && (await c.pods()).length === 0;
    },
    { description: 'datacenter, pods and claims gone', state: () => c.pods() },
  );
  await expect(c.dc()).rejects.toBeInstanceOf(NotFoundError);
  expect(await c.pods()).toEqual([]);
  expect((await c.env.client.list(builtin.persistentvolumeclaims, ns())).items).toEqual([]);
  expect([...claimsAfterDatacenter]).toEqual([]);
  // The pods went before their claims: noClaimDeletedWhilePodExists saw every deletion.
  await c.invariants.assertNone();
}, 60_000);
