import { afterEach, describe, expect, test } from '@jest/globals';
import { builtin } from '@steward/core';
import { statefulSetSimulation } from './statefulSets.js';
import { markReady, record, startSim } from './statefulSets/simHarness.fixture.js';
import type { Sim } from './statefulSets/simHarness.fixture.js';
import { DEFAULT_PROVISIONER, volumeSimulation } from './volumes.js';
import type { Claim, Volume } from './volumes/provisioner.js';
import { DEFAULT_CLASS_ANNOTATION, storageClasses } from './volumes/storageClasses.js';
import type { StorageClass } from './volumes/storageClasses.js';
import { volumeCases } from './volumes/volumeCases.fixture.js';
import { waitFor } from '../waitFor.js';

const claimBody = (name: string): Claim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
});

describe('volume cases on the embedded server', () => {
  volumeCases(async () => {
    const sim = await startSim([volumeSimulation()]);
    return {
      client: sim.client,
      namespace: 'default',
      provisioner: DEFAULT_PROVISIONER,
      stop: () => sim.stop(),
    };
  });
});

describe('on the embedded server', () => {
  let sim: Sim | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });
  test('uses the built-in StorageClass (no CRD) and creates `standard`, marked default', async () => {
    sim = await startSim([volumeSimulation()]);
    const crds = (await sim.client.list(builtin.customresourcedefinitions)).items.map((c) => c.metadata.name);
    expect(crds).not.toContain('storageclasses.storage.k8s.io');
    const classes = (await sim.client.list<StorageClass>(storageClasses)).items;
    expect(classes).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({
          name: 'standard',
          annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' },
        }),
        provisioner: DEFAULT_PROVISIONER,
        reclaimPolicy: 'Delete',
      }),
    ]);
  });

  test('a claim without a class gets the default class, then a volume', async () => {
    sim = await startSim([volumeSimulation({ source: 'csi' })]);
    const client = sim.client;
    await client.create(builtin.persistentvolumeclaims, claimBody('orphan'));
    const claim = await waitFor(async () => {
      const c = await client.get<Claim>(builtin.persistentvolumeclaims, 'orphan', { namespace: 'default' });
      return c.status?.phase === 'Bound' ? c : undefined;
    });
    expect(claim.spec?.storageClassName).toBe('standard');
    const volume = await client.get<Volume>(builtin.persistentvolumes, claim.spec?.volumeName ?? '');
    expect(volume.spec).toMatchObject({
      csi: { driver: DEFAULT_PROVISIONER, volumeHandle: volume.metadata.name },
      storageClassName: 'standard',
    });
  });

  test('no class is created when one is already default, and `defaultClass: false` creates none', async () => {
    sim = await startSim([volumeSimulation({ defaultClass: 'fast' })]);
    await volumeSimulation({ defaultClass: 'other', name: 'second' }).install(sim.manager); // sees `fast`
    const names = (await sim.client.list(storageClasses)).items.map((c) => c.metadata.name);
    expect(names).toEqual(['fast']);
    await sim.stop();
    sim = await startSim([volumeSimulation({ defaultClass: false })]);
    expect((await sim.client.list(storageClasses)).items).toEqual([]); // served, and empty
  });

  test('a StatefulSet’s claims are bound before its Pods run', async () => {
    sim = await startSim([statefulSetSimulation(), volumeSimulation()]);
    const client = sim.client;
    const ready = record(client, builtin.pods, 'default', async (e) => {
      if (e.type === 'ADDED') await markReady(client, 'default', e.name);
    });
    await client.create(builtin.statefulsets, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: { containers: [{ name: 'db', image: 'pg' }] },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
          },
        ],
      },
    });
    const claims = await waitFor(async () => {
      const items = (await client.list<Claim>(builtin.persistentvolumeclaims, { namespace: 'default' }))
        .items;
      return items.length === 2 && items.every((c) => c.status?.phase === 'Bound') ? items : undefined;
    });
    ready.close();
    expect(claims.map((c) => c.metadata.name ?? '').sort()).toEqual(['data-db-0', 'data-db-1']);
    const volumes = (await client.list<Volume>(builtin.persistentvolumes)).items;
    expect(volumes.map((v) => v.spec?.claimRef?.name ?? '').sort()).toEqual(['data-db-0', 'data-db-1']);
  });
});
