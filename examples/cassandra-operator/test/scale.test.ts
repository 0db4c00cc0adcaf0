import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin, findCondition } from '@steward/core';
import { invariant, waitFor, watchInvariants } from '@steward/testing';
import type { InvariantWatch } from '@steward/testing';
import { LABELS, NODE_STATES } from '../src/resources/labels.js';
import { byText, datacenters, startCassandraEnv } from './cassandraEnv.js';
import type { CassandraEnv } from './cassandraEnv.js';

// Scale up (one join at a time, then cleanup on the existing nodes) and scale down (one node at a
// time: decommission, LEFT, then the rack shrinks and the claim goes; refused without capacity).
let c: CassandraEnv;
beforeEach(async () => {
  c = await startCassandraEnv();
});
afterEach(() => c.stop());

const racks = [{ name: 'r1' }, { name: 'r2' }, { name: 'r3' }];

async function create(size: number, rackList = racks): Promise<void> {
  await c.env.client.create(datacenters, {
    metadata: { name: 'dc1', namespace: c.namespace },
    spec: { clusterName: 'demo', size, racks: rackList, storage: { size: '1Gi' } },
  });
  await c.ready();
}

const resize = (size: number): Promise<unknown> =>
  c.env.client.patch(datacenters, 'dc1', { spec: { size } }, { namespace: c.namespace });

/** No pod or claim goes before the ring has seen its node leave (checked on every event). */
async function leftBeforeRemoved(): Promise<InvariantWatch> {
  const leftPods = (): Set<string> =>
    new Set(
      c.ring
        .history()
        .filter((e) => e.namespace === c.namespace && e.kind === 'left')
        .map((e) => e.pod),
    );
  return watchInvariants(c.env.client, {
    namespace: c.namespace,
    invariants: [
      invariant(
        'no pod or claim removed before its node left the ring',
        (_s, event) => {
          if (event.type !== 'delete' || event.object === undefined) return undefined;
          const name = event.object.metadata.name ?? '';
          const pod = event.ref?.kind === 'PersistentVolumeClaim' ? name.replace(/^server-data-/, '') : name;
          return leftPods().has(pod)
            ? undefined
            : `${event.ref?.kind ?? ''} ${name} removed while its node is in the ring`;
        },
        { kinds: [builtin.pods, builtin.persistentvolumeclaims] },
      ),
    ],
  });
}

test('scale up adds nodes one at a time, then runs cleanup on the nodes that were there', async () => {
  await create(3);
  await resize(6);
  const dc = await c.ready();
  expect(dc.status?.readyNodes).toBe(6);
  expect(dc.status?.pendingCleanup).toBeUndefined();
  expect(findCondition(dc.status?.conditions, 'ScalingUp')?.status).toBe('False');

  const history = c.ring.history().filter((e) => e.namespace === c.namespace);
  expect(history.filter((e) => e.kind === 'refused')).toEqual([]);
  const cleaned = history.filter((e) => e.kind === 'cleaned').map((e) => e.pod);
  expect(new Set(cleaned)).toEqual(new Set(['dc1-r1-0', 'dc1-r2-0', 'dc1-r3-0']));
  // Cleanup ran only after the last new node joined.
  const lastJoin = Math.max(...history.filter((e) => e.kind === 'joined').map((e) => e.at));
  expect(Math.min(...history.filter((e) => e.kind === 'cleaned').map((e) => e.at))).toBeGreaterThanOrEqual(
    lastJoin,
  );
  await c.invariants.assertNone();
}, 60_000);

test('scale down decommissions one node at a time, shrinks its rack after LEFT, then deletes its claim', async () => {
  await create(5);
  const watch = await leftBeforeRemoved();
  await resize(3);
  const dc = await c.ready();
  expect(dc.status?.readyNodes).toBe(3);
  const pods = await c.pods();
  expect(pods.map((p) => p.metadata.name).sort(byText)).toEqual(['dc1-r1-0', 'dc1-r2-0', 'dc1-r3-0']);
  const claims = await c.env.client.list(builtin.persistentvolumeclaims, { namespace: c.namespace });
  await waitFor(
    async () => {
      const names = (await c.env.client.list(builtin.persistentvolumeclaims, { namespace: c.namespace }))
        .items;
      return names.length === 3;
    },
    { description: 'two claims deleted', state: () => claims.items.map((x) => x.metadata.name) },
  );
  // The two leaves did not overlap (ties between racks go in spec order).
  const history = c.ring.history().filter((e) => e.namespace === c.namespace);
  const leaving = history
    .filter((e) => e.kind === 'leaving' || e.kind === 'left')
    .map((e) => `${e.kind} ${e.pod}`);
  expect(leaving).toEqual(['leaving dc1-r1-1', 'left dc1-r1-1', 'leaving dc1-r2-1', 'left dc1-r2-1']);
  expect(findCondition(dc.status?.conditions, 'ScalingDown')?.status).toBe('False');
  await watch.assertNone();
  await watch.stop();
  await c.invariants.assertNone();
}, 60_000);

test('a scale-down the remaining nodes cannot absorb is refused with a condition, and goes ahead once they can', async () => {
  await create(3, [{ name: 'r1' }]);
  const watch = await leftBeforeRemoved();
  // The node that would leave holds more than any other node has free.
  c.ring.setLoad({ namespace: c.namespace, name: 'dc1-r1-2' }, 12 * 2 ** 30);
  await resize(2);
  const refused = await waitFor(
    async () => {
      const dc = await c.dc();
      const condition = findCondition(dc.status?.conditions, 'ScalingDown');
      return condition?.reason === 'InsufficientCapacity' ? condition : undefined;
    },
    { description: 'ScalingDown=False InsufficientCapacity', state: () => c.dc() },
  );
  expect(refused.status).toBe('False');
  expect(refused.message).toContain('dc1-r1-0');
  const pods = await c.pods();
  expect(pods).toHaveLength(3);
  expect(pods.every((p) => p.metadata.labels?.[LABELS.nodeState] === NODE_STATES.started)).toBe(true);

  c.ring.setLoad({ namespace: c.namespace, name: 'dc1-r1-2' }, 2 ** 20);
  await c.ready();
  expect((await c.pods()).map((p) => p.metadata.name).sort(byText)).toEqual(['dc1-r1-0', 'dc1-r1-1']);
  await watch.assertNone();
  await watch.stop();
  await c.invariants.assertNone();
}, 60_000);
