import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin } from '@steward/core';
import { LABELS, NODE_STATES } from '../src/resources/labels.js';
import { datacenters, startCassandraEnv } from './cassandraEnv.js';
import type { CassandraEnv } from './cassandraEnv.js';

// Bootstrap of a three-rack datacenter: one StatefulSet per rack, nodes joining one at a time,
// racks balanced, seeds spread across racks, the seed Service and the PDB.
let c: CassandraEnv;
beforeEach(async () => {
  c = await startCassandraEnv();
});
afterEach(() => c.stop());

const threeRacks = [
  { name: 'r1', zone: 'zone-a' },
  { name: 'r2', zone: 'zone-b' },
  { name: 'r3', zone: 'zone-c' },
];

test('a 3-rack datacenter of 6 nodes bootstraps one node at a time, racks balanced, seeds spread', async () => {
  const { env, namespace } = c;
  await env.client.create(datacenters, {
    metadata: { name: 'dc1', namespace },
    spec: { clusterName: 'demo', size: 6, racks: threeRacks, storage: { size: '1Gi' } },
  });
  const dc = await c.ready();

  const sets = await env.client.list(builtin.statefulsets, { namespace });
  expect(
    sets.items
      .map((s) => [s.metadata.name, (s['spec'] as { replicas: number }).replicas])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  ).toEqual([
    ['dc1-r1', 2],
    ['dc1-r2', 2],
    ['dc1-r3', 2],
  ]);
  const pods = await c.pods();
  expect(pods.map((p) => p.metadata.labels?.[LABELS.nodeState])).toEqual(Array(6).fill(NODE_STATES.started));
  expect(dc.status?.readyNodes).toBe(6);
  expect(Object.values(dc.status?.nodes ?? {}).map((n) => n.state)).toEqual(Array(6).fill('UN'));

  // Joins never overlapped: each node joined before the next one started joining, and Cassandra
  // never refused a start for a range movement under way.
  const history = c.ring.history().filter((e) => e.namespace === namespace);
  expect(history.filter((e) => e.kind === 'refused')).toEqual([]);
  let joining = 0;
  for (const e of history) {
    if (e.kind === 'joining') joining++;
    if (e.kind === 'joined') joining = Math.max(0, joining - 1);
    expect(joining).toBeLessThanOrEqual(1);
  }
  // Racks filled evenly: among the first three nodes to start, one from each rack.
  const firstRacks = history
    .filter((e) => e.kind === 'joined')
    .slice(0, 3)
    .map((e) => e.pod.split('-')[1]);
  expect(new Set(firstRacks)).toEqual(new Set(['r1', 'r2', 'r3']));

  // Three seeds, one per rack.
  const seeds = pods.filter((p) => p.metadata.labels?.[LABELS.seed] === 'true');
  expect(new Set(seeds.map((p) => p.metadata.labels?.[LABELS.rack]))).toEqual(new Set(['r1', 'r2', 'r3']));
  const seedService = await env.client.get(builtin.services, 'dc1-seed-service', { namespace });
  expect(seedService['spec']).toMatchObject({
    selector: { [LABELS.datacenter]: 'dc1', [LABELS.seed]: 'true' },
  });
  const pdb = await env.client.get(builtin.poddisruptionbudgets, 'dc1-pdb', { namespace });
  expect(pdb['spec']).toMatchObject({ minAvailable: 5 });

  // Each rack's pods landed in its zone.
  for (const pod of pods) {
    const nodeName = (pod['spec'] as { nodeName: string }).nodeName;
    const node = await env.client.get(builtin.nodes, nodeName);
    const zone = threeRacks.find((r) => r.name === pod.metadata.labels?.[LABELS.rack])?.zone;
    expect(node.metadata.labels?.['topology.kubernetes.io/zone']).toBe(zone);
  }
  await c.invariants.assertNone();
}, 60_000);
