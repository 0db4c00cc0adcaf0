import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { builtin } from '@steward/core';
import { kubeletSimulation } from './kubelet.js';
import { statefulSetSimulation } from './statefulSets.js';
import { record, startSim } from './statefulSets/simHarness.fixture.js';
import type { Sim } from './statefulSets/simHarness.fixture.js';
import type { Pod, StatefulSet } from './statefulSets/statefulSetPods.js';
import { volumeSimulation } from './volumes.js';
import { waitFor } from '../waitFor.js';

// With the kubelet part, Pods are scheduled, so deletion is graceful: the set must wait for a
// terminating Pod to go before making its successor of the same name.
let sim: Sim;
beforeAll(async () => {
  sim = await startSim([statefulSetSimulation(), volumeSimulation(), kubeletSimulation()]);
});
afterAll(async () => {
  await sim.stop();
});

const ns = 'default';
const getSet = () => sim.client.get<StatefulSet>(builtin.statefulsets, 'kv', { namespace: ns });
const readyCount = async () =>
  ((await getSet()).status as { readyReplicas?: number } | undefined)?.readyReplicas;

test('ordered start, graceful replacement and a rolling update, with kubelet-driven readiness', async () => {
  const events = record(sim.client, builtin.pods, ns);
  await sim.client.create(builtin.statefulsets, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'kv', namespace: ns },
    spec: {
      replicas: 3,
      serviceName: 'kv',
      selector: { matchLabels: { app: 'kv' } },
      template: {
        metadata: { labels: { app: 'kv' } },
        spec: { containers: [{ name: 'kv', image: 'kv:1' }] },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  });
  await waitFor(async () => (await readyCount()) === 3, { description: 'three ready replicas' });
  expect(events.names('ADDED')).toEqual(['kv-0', 'kv-1', 'kv-2']);

  const before = await sim.client.get<Pod>(builtin.pods, 'kv-1', { namespace: ns });
  expect(before.spec?.['nodeName']).toBeDefined();
  await sim.client.delete(builtin.pods, 'kv-1', { namespace: ns });
  await waitFor(
    async () => {
      const p = await sim.client.get<Pod>(builtin.pods, 'kv-1', { namespace: ns });
      return p.metadata.uid !== before.metadata.uid && (await readyCount()) === 3;
    },
    { description: 'kv-1 replaced and ready' },
  );

  await sim.client.patch(
    builtin.statefulsets,
    'kv',
    { spec: { template: { spec: { containers: [{ name: 'kv', image: 'kv:2' }] } } } },
    { namespace: ns },
  );
  const done = await waitFor(
    async () => {
      const s = await getSet();
      const status = s.status as
        { updatedReplicas?: number; readyReplicas?: number; observedGeneration?: number } | undefined;
      if (status?.observedGeneration !== s.metadata.generation) return undefined; // not yet seen
      return status?.updatedReplicas === 3 &&
        status.readyReplicas === 3 &&
        s.status?.currentRevision === s.status?.updateRevision
        ? s
        : undefined;
    },
    { description: 'rolling update complete', timeout: 20_000 },
  );
  events.close();
  expect(done.status?.currentRevision).toBe(done.status?.updateRevision);
  // The update replaced kv-2, then kv-1, then kv-0 (kv-1's earlier deletion was ours).
  const deletedAfterUpdate = events.events.filter((e) => e.type === 'DELETED').map((e) => e.name);
  expect(deletedAfterUpdate).toEqual(['kv-1', 'kv-2', 'kv-1', 'kv-0']);
  const claims = (await sim.client.list(builtin.persistentvolumeclaims, { namespace: ns })).items;
  expect(claims.map((c) => c.metadata.name ?? '').sort()).toEqual(['data-kv-0', 'data-kv-1', 'data-kv-2']);
});
