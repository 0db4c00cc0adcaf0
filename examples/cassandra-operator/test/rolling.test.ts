import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin, findCondition } from '@steward/core';
import { atMostNotReady, waitFor, watchInvariants } from '@steward/testing';
import { LABELS } from '../src/resources/labels.js';
import { imageFor } from '../src/resources/statefulSet.js';
import { datacenters, startCassandraEnv } from './cassandraEnv.js';
import type { CassandraEnv } from './cassandraEnv.js';

// Rolling restarts and version changes: rack by rack, one node at a time, each drained first, and
// only while every other node is up; a node failing mid-restart holds the rollout until it is back.
let c: CassandraEnv;
beforeEach(async () => {
  c = await startCassandraEnv();
  await c.env.client.create(datacenters, {
    metadata: { name: 'dc1', namespace: c.namespace },
    spec: { clusterName: 'demo', size: 3, racks: [{ name: 'r1' }, { name: 'r2' }, { name: 'r3' }] },
  });
  await c.ready();
});
afterEach(() => c.stop());

const ns = (): { namespace: string } => ({ namespace: c.namespace });

/** The drain and restart order the ring saw: `drained dc1-r1-0`, `up dc1-r1-0`, … */
const restarts = (): string[] =>
  c.ring
    .history()
    .filter((e) => e.namespace === c.namespace && (e.kind === 'drained' || e.kind === 'up'))
    .map((e) => `${e.kind} ${e.pod}`);

test('a requested rolling restart drains and restarts each node, rack by rack, one at a time', async () => {
  const selector = `${LABELS.datacenter}=dc1`;
  const watch = await watchInvariants(c.env.client, {
    namespace: c.namespace,
    invariants: [atMostNotReady({ namespace: c.namespace, selector, max: 1 })],
  });
  const before = new Map((await c.pods()).map((p) => [p.metadata.name, p.metadata.uid]));
  await c.env.client.patch(
    datacenters,
    'dc1',
    { spec: { restartRequestedAt: '2026-11-27T10:00:00Z' } },
    ns(),
  );
  await waitFor(async () => (await c.dc()).status?.lastRollingRestart === '2026-11-27T10:00:00Z', {
    description: 'rolling restart recorded as done',
    timeout: 30_000,
    state: () => c.dc(),
  });
  const dc = await c.ready();
  expect(findCondition(dc.status?.conditions, 'RollingRestart')?.status).toBe('False');
  for (const pod of await c.pods()) expect(pod.metadata.uid).not.toBe(before.get(pod.metadata.name));
  expect(restarts()).toEqual([
    'drained dc1-r1-0',
    'up dc1-r1-0',
    'drained dc1-r2-0',
    'up dc1-r2-0',
    'drained dc1-r3-0',
    'up dc1-r3-0',
  ]);
  await watch.assertNone();
  await watch.stop();
  await c.invariants.assertNone();
}, 60_000);

test('a version change rolls the new image out rack by rack, keeping every node its hostId', async () => {
  const hostIds = (await c.dc()).status?.nodes;
  await c.env.client.patch(datacenters, 'dc1', { spec: { serverVersion: '5.0.4' } }, ns());
  await waitFor(
    async () => {
      const pods = await c.pods();
      const images = pods.map((p) => (p['spec'] as { containers: { image: string }[] }).containers[0]?.image);
      return images.length === 3 && images.every((i) => i === imageFor('5.0.4'));
    },
    { description: 'every pod on 5.0.4', timeout: 30_000, state: () => c.pods() },
  );
  const dc = await c.ready();
  expect(dc.status?.nodes).toEqual(hostIds);
  expect(findCondition(dc.status?.conditions, 'Updating')?.status).toBe('False');
  expect(restarts().filter((r) => r.startsWith('drained'))).toEqual([
    'drained dc1-r1-0',
    'drained dc1-r2-0',
    'drained dc1-r3-0',
  ]);
  await c.invariants.assertNone();
}, 60_000);

test('a node failing mid-restart holds the rollout until it recovers', async () => {
  // dc1-r3-0 fails before the restart begins: no node may be restarted while another is down.
  c.ring.failNode({ namespace: c.namespace, name: 'dc1-r3-0' });
  await c.env.client.patch(datacenters, 'dc1', { spec: { restartRequestedAt: 'now' } }, ns());
  await waitFor(
    async () => {
      const ready = findCondition((await c.dc()).status?.conditions, 'Ready');
      return ready?.status === 'False' && (ready.message ?? '').includes('dc1-r3-0');
    },
    { description: 'Ready=False naming the failed node', state: () => c.dc() },
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(restarts().filter((r) => r.startsWith('drained'))).toEqual([]);

  c.ring.recoverNode({ namespace: c.namespace, name: 'dc1-r3-0' });
  await waitFor(async () => (await c.dc()).status?.lastRollingRestart === 'now', {
    description: 'restart done after recovery',
    timeout: 30_000,
    state: () => c.dc(),
  });
  expect(restarts().filter((r) => r.startsWith('drained'))).toHaveLength(3);
  const pods = await c.env.client.list(builtin.pods, ns());
  expect(pods.items).toHaveLength(3);
  await c.invariants.assertNone();
}, 60_000);
