import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { builtin } from '@steward/core';
import { statefulSetSimulation } from './statefulSets.js';
import { markReady, record, startSim } from './statefulSets/simHarness.fixture.js';
import type { Sim } from './statefulSets/simHarness.fixture.js';
import type { Pod, StatefulSet } from './statefulSets/statefulSetPods.js';
import { waitFor } from '../waitFor.js';

const ns = 'default';
let sim: Sim;
beforeEach(async () => {
  sim = await startSim([statefulSetSimulation()]);
});
afterEach(async () => {
  await sim.stop();
});

function webSet(replicas: number, extra: Record<string, unknown> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
      ...extra,
    },
  };
}

const pods = async (): Promise<Pod[]> => (await sim.client.list<Pod>(builtin.pods, { namespace: ns })).items;
const podNames = async (): Promise<string[]> => (await pods()).map((p) => p.metadata.name ?? '').sort();
const claimNames = async (): Promise<string[]> =>
  (await sim.client.list(builtin.persistentvolumeclaims, { namespace: ns })).items
    .map((c) => c.metadata.name ?? '')
    .sort();
const getSet = (): Promise<StatefulSet> =>
  sim.client.get<StatefulSet>(builtin.statefulsets, 'web', { namespace: ns });
const patchSet = (patch: unknown) => sim.client.patch(builtin.statefulsets, 'web', patch, { namespace: ns });

async function image(name: string): Promise<string | undefined> {
  const p = (await pods()).find((x) => x.metadata.name === name);
  return (p?.spec as { containers?: { image?: string }[] } | undefined)?.containers?.[0]?.image;
}

/** Marks every Pod Ready as it appears (what the kubelet part does), until closed. */
function autoReady() {
  return record(sim.client, builtin.pods, ns, async (e) => {
    if (e.type === 'ADDED') await markReady(sim.client, ns, e.name).catch(() => {});
  });
}

async function readyReplicas(n: number, description: string): Promise<StatefulSet> {
  return waitFor(
    async () => {
      const set = await getSet();
      const s = set.status as { readyReplicas?: number; replicas?: number } | undefined;
      return s?.readyReplicas === n && s.replicas === n ? set : undefined;
    },
    { description },
  );
}

describe('OrderedReady', () => {
  test('creates ordinals in order, each only once every lower one is Running and Ready', async () => {
    const ready = new Set<string>();
    const readyWhenCreated: Record<string, string[]> = {};
    const created = record(sim.client, builtin.pods, ns, (e) => {
      if (e.type === 'ADDED') readyWhenCreated[e.name] = [...ready].sort();
    });
    await sim.client.create(builtin.statefulsets, webSet(3));
    for (const name of ['web-0', 'web-1', 'web-2']) {
      await waitFor(() => created.names('ADDED').includes(name), { description: `${name} created` });
      // Not Ready yet: nothing more may be created meanwhile.
      await new Promise((r) => setTimeout(r, 150));
      expect(created.names('ADDED')).toEqual(['web-0', 'web-1', 'web-2'].slice(0, ready.size + 1));
      await markReady(sim.client, ns, name);
      ready.add(name);
    }
    await readyReplicas(3, 'three ready replicas');
    created.close();
    expect(readyWhenCreated).toEqual({ 'web-0': [], 'web-1': ['web-0'], 'web-2': ['web-0', 'web-1'] });

    const pod = (await pods()).find((p) => p.metadata.name === 'web-1');
    const set = await getSet();
    expect(pod?.metadata.labels).toMatchObject({
      app: 'web',
      'statefulset.kubernetes.io/pod-name': 'web-1',
      'apps.kubernetes.io/pod-index': '1',
      'controller-revision-hash': set.status?.updateRevision,
    });
    expect(set.status?.updateRevision).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(pod?.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true }),
    ]);
    expect(pod?.spec).toMatchObject({
      hostname: 'web-1',
      subdomain: 'web',
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-1' } }],
    });
    const status = set.status as Record<string, unknown>;
    expect(status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: set.status?.updateRevision,
      observedGeneration: set.metadata.generation,
    });
  });

  test('each claim exists before its Pod, labelled with the selector', async () => {
    const claimsSeen = new Set<string>();
    const claimsBeforePod: Record<string, boolean> = {};
    const claims = record(sim.client, builtin.persistentvolumeclaims, ns, (e) => void claimsSeen.add(e.name));
    const created = record(sim.client, builtin.pods, ns, async (e) => {
      if (e.type !== 'ADDED') return;
      const claim = `data-${e.name}`;
      claimsBeforePod[e.name] = await sim.client
        .get(builtin.persistentvolumeclaims, claim, { namespace: ns })
        .then(
          () => true,
          () => false,
        );
      await markReady(sim.client, ns, e.name);
    });
    await sim.client.create(builtin.statefulsets, webSet(2));
    await readyReplicas(2, 'two ready replicas');
    created.close();
    claims.close();
    expect(claimsBeforePod).toEqual({ 'web-0': true, 'web-1': true });
    const claim = await sim.client.get(builtin.persistentvolumeclaims, 'data-web-0', { namespace: ns });
    expect(claim.metadata.labels).toEqual({ app: 'web' });
    expect(claim.metadata.ownerReferences).toBeUndefined(); // Retain/Retain: nobody owns it
    expect(claim['spec']).toMatchObject({ resources: { requests: { storage: '1Gi' } } });
  });

  test('scales down highest first, one at a time, keeping the claims; scale-up reuses them', async () => {
    const ready = autoReady();
    await sim.client.create(builtin.statefulsets, webSet(4));
    await readyReplicas(4, 'four ready replicas');
    const claimUids = new Map(
      (await sim.client.list(builtin.persistentvolumeclaims, { namespace: ns })).items.map((c) => [
        c.metadata.name,
        c.metadata.uid,
      ]),
    );
    await patchSet({ spec: { replicas: 1 } });
    await waitFor(async () => (await podNames()).length === 1, { description: 'one pod left' });
    expect(ready.names('DELETED')).toEqual(['web-3', 'web-2', 'web-1']);
    expect(await claimNames()).toEqual(['data-web-0', 'data-web-1', 'data-web-2', 'data-web-3']);

    await patchSet({ spec: { replicas: 3 } });
    await readyReplicas(3, 'three ready replicas again');
    ready.close();
    const again = await sim.client.list(builtin.persistentvolumeclaims, { namespace: ns });
    for (const c of again.items) expect(c.metadata.uid).toBe(claimUids.get(c.metadata.name));
    const pod2 = (await pods()).find((p) => p.metadata.name === 'web-2');
    expect(pod2?.spec?.['volumes']).toEqual([
      { name: 'data', persistentVolumeClaim: { claimName: 'data-web-2' } },
    ]);
  });

  test('does not scale down while a lower Pod is not Ready', async () => {
    const ready = autoReady();
    await sim.client.create(builtin.statefulsets, webSet(3));
    await readyReplicas(3, 'three ready replicas');
    ready.close();
    await sim.client.patchStatus(
      builtin.pods,
      'web-0',
      { status: { phase: 'Pending', conditions: [] } },
      { namespace: ns },
    );
    await patchSet({ spec: { replicas: 2 } });
    await new Promise((r) => setTimeout(r, 400));
    expect(await podNames()).toEqual(['web-0', 'web-1', 'web-2']);
    await markReady(sim.client, ns, 'web-0');
    await waitFor(async () => (await podNames()).length === 2, { description: 'web-2 deleted' });
    expect(await podNames()).toEqual(['web-0', 'web-1']);
  });
});

test('Parallel creates every Pod at once, none Ready', async () => {
  await sim.client.create(builtin.statefulsets, webSet(3, { podManagementPolicy: 'Parallel' }));
  await waitFor(async () => (await podNames()).length === 3, { description: 'three pods' });
  expect(await podNames()).toEqual(['web-0', 'web-1', 'web-2']);
  expect(await claimNames()).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
  expect((await pods()).every((p) => p.status?.phase === 'Pending')).toBe(true);
  await patchSet({ spec: { replicas: 0 } });
  await waitFor(async () => (await podNames()).length === 0, { description: 'all pods gone' });
});

test('a deleted Pod is recreated with the same name and claim', async () => {
  const ready = autoReady();
  await sim.client.create(builtin.statefulsets, webSet(2));
  await readyReplicas(2, 'two ready replicas');
  const before = (await pods()).find((p) => p.metadata.name === 'web-1');
  await sim.client.delete(builtin.pods, 'web-1', { namespace: ns });
  const after = await waitFor(async () => {
    const p = (await pods()).find((x) => x.metadata.name === 'web-1');
    return p && p.metadata.uid !== before?.metadata.uid ? p : undefined;
  });
  ready.close();
  expect(after.spec?.['volumes']).toEqual([
    { name: 'data', persistentVolumeClaim: { claimName: 'data-web-1' } },
  ]);
  expect(await claimNames()).toEqual(['data-web-0', 'data-web-1']);
});

describe('updates', () => {
  const newImage = {
    spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:2' }] } } },
  };

  test('RollingUpdate replaces Pods highest ordinal first, down to the partition', async () => {
    const ready = autoReady();
    await sim.client.create(
      builtin.statefulsets,
      webSet(4, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }),
    );
    const first = await readyReplicas(4, 'four ready replicas');
    const oldRevision = first.status?.currentRevision;
    await patchSet(newImage);
    await waitFor(async () => (await image('web-2')) === 'nginx:2' && (await image('web-3')) === 'nginx:2', {
      description: 'web-2 and web-3 updated',
    });
    let set = await readyReplicas(4, 'four ready after the partial update');
    expect(ready.names('DELETED')).toEqual(['web-3', 'web-2']);
    expect(await image('web-0')).toBe('nginx:1');
    expect(await image('web-1')).toBe('nginx:1');
    expect(set.status).toMatchObject({
      currentRevision: oldRevision,
      updatedReplicas: 2,
      currentReplicas: 2,
    });
    expect(set.status?.updateRevision).not.toBe(oldRevision);

    // An old-revision Pod below the partition comes back at the current revision.
    await sim.client.delete(builtin.pods, 'web-0', { namespace: ns });
    await waitFor(async () => ready.names('ADDED').filter((n) => n === 'web-0').length === 2);
    expect(await image('web-0')).toBe('nginx:1');

    await patchSet({ spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    set = await waitFor(
      async () => {
        const s = await getSet();
        const done = s.status?.currentRevision === s.status?.updateRevision;
        return done && (s.status as { readyReplicas?: number }).readyReplicas === 4 ? s : undefined;
      },
      { description: 'rollout complete' },
    );
    ready.close();
    expect(ready.names('DELETED')).toEqual(['web-3', 'web-2', 'web-0', 'web-1', 'web-0']);
    expect(set.status).toMatchObject({ updatedReplicas: 4, currentReplicas: 4 });
    for (const n of ['web-0', 'web-1', 'web-2', 'web-3']) expect(await image(n)).toBe('nginx:2');
  });

  test('a rolling update waits for each replaced Pod to be Ready', async () => {
    const ready = autoReady();
    await sim.client.create(builtin.statefulsets, webSet(3));
    await readyReplicas(3, 'three ready replicas');
    ready.close();
    await patchSet(newImage);
    await waitFor(async () => (await image('web-2')) === 'nginx:2', { description: 'web-2 replaced' });
    await new Promise((r) => setTimeout(r, 400));
    expect(await image('web-1')).toBe('nginx:1');
    await markReady(sim.client, ns, 'web-2');
    await waitFor(async () => (await image('web-1')) === 'nginx:2', { description: 'web-1 replaced' });
  });

  test('OnDelete leaves Pods alone until they are deleted', async () => {
    const ready = autoReady();
    await sim.client.create(builtin.statefulsets, webSet(2, { updateStrategy: { type: 'OnDelete' } }));
    await readyReplicas(2, 'two ready replicas');
    await patchSet(newImage);
    await waitFor(
      async () => (await getSet()).status?.updateRevision !== (await getSet()).status?.currentRevision,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await image('web-1')).toBe('nginx:1');
    await sim.client.delete(builtin.pods, 'web-1', { namespace: ns });
    await waitFor(async () => (await image('web-1')) === 'nginx:2', { description: 'web-1 recreated' });
    ready.close();
    expect(await image('web-0')).toBe('nginx:1');
  });
});

describe('persistentVolumeClaimRetentionPolicy', () => {
  test('whenDeleted: Delete makes the set the claims’ controller owner', async () => {
    const ready = autoReady();
    const policy = { whenDeleted: 'Delete', whenScaled: 'Retain' };
    await sim.client.create(
      builtin.statefulsets,
      webSet(1, { persistentVolumeClaimRetentionPolicy: policy }),
    );
    const set = await readyReplicas(1, 'one ready replica');
    ready.close();
    const claim = await sim.client.get(builtin.persistentvolumeclaims, 'data-web-0', { namespace: ns });
    expect(claim.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true }),
    ]);
  });

  test('whenScaled: Delete hands a scaled-down ordinal’s claim to its Pod before deleting it', async () => {
    const ready = autoReady();
    const policy = { whenDeleted: 'Retain', whenScaled: 'Delete' };
    await sim.client.create(
      builtin.statefulsets,
      webSet(2, { persistentVolumeClaimRetentionPolicy: policy }),
    );
    await readyReplicas(2, 'two ready replicas');
    const pod1 = (await pods()).find((p) => p.metadata.name === 'web-1');
    await patchSet({ spec: { replicas: 1 } });
    await waitFor(async () => (await podNames()).length === 1, { description: 'web-1 deleted' });
    ready.close();
    const claim1 = await sim.client.get(builtin.persistentvolumeclaims, 'data-web-1', { namespace: ns });
    expect(claim1.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Pod', name: 'web-1', uid: pod1?.metadata.uid, controller: true }),
    ]);
    const claim0 = await sim.client.get(builtin.persistentvolumeclaims, 'data-web-0', { namespace: ns });
    expect(claim0.metadata.ownerReferences).toBeUndefined();
  });
});
