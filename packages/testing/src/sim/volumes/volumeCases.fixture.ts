/**
 * The volume simulation's cases, run on the embedded server (`volumes.test.ts`) and on the real
 * control plane (`volumes.integration.test.ts`, where no provisioner runs but the real PV controller
 * does). Each case makes its own StorageClass and claims, and removes them. Start with {@link volumeCases}.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { builtin, NotFoundError } from '@steward/core';
import type { KubeClient } from '@steward/core';
import { waitFor } from '../../waitFor.js';
import { PROVISIONED_BY } from './provisioner.js';
import type { Claim, Volume } from './provisioner.js';
import { storageClasses } from './storageClasses.js';

export interface VolumeEnv {
  /** A client for the test's own reads and writes. */
  client: KubeClient;
  /** A namespace the test may use (created by the env). */
  namespace: string;
  /** The provisioner the running volume simulation serves. */
  provisioner: string;
  stop(): Promise<void>;
}

const suffix = (): string => randomBytes(3).toString('hex');
const gone = (e: unknown): boolean => e instanceof NotFoundError;
const ignoreMissing = (e: unknown): void => {
  if (!(e instanceof NotFoundError)) throw e;
};

export function volumeCases(start: () => Promise<VolumeEnv>, timeout = 10_000): void {
  let env: VolumeEnv;
  const classes: string[] = [];
  const volumes: string[] = [];
  beforeAll(async () => {
    env = await start();
  });
  afterAll(async () => {
    for (const c of classes) await env.client.delete(storageClasses, c).catch(ignoreMissing);
    for (const v of volumes) await env.client.delete(builtin.persistentvolumes, v).catch(ignoreMissing);
    await env.stop();
  });

  async function makeClass(provisioner: string, reclaimPolicy: 'Delete' | 'Retain'): Promise<string> {
    const name = `sim-${reclaimPolicy.toLowerCase()}-${suffix()}`;
    classes.push(name);
    await env.client.create(storageClasses, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name },
      provisioner,
      reclaimPolicy,
      volumeBindingMode: 'Immediate',
    });
    return name;
  }

  async function makeClaim(className: string, storage = '2Gi'): Promise<Claim> {
    const body: Claim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: `data-${suffix()}`, namespace: env.namespace },
      spec: {
        storageClassName: className,
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage } },
      },
    };
    const claim = await env.client.create<Claim>(builtin.persistentvolumeclaims, body);
    volumes.push(`pvc-${claim.metadata.uid ?? ''}`);
    return claim;
  }

  const getClaim = (name: string) =>
    env.client.get<Claim>(builtin.persistentvolumeclaims, name, { namespace: env.namespace });
  const getVolume = (name: string) => env.client.get<Volume>(builtin.persistentvolumes, name);

  async function bound(claim: Claim): Promise<{ claim: Claim; volume: Volume }> {
    const name = claim.metadata.name ?? '';
    return waitFor(
      async () => {
        const c = await getClaim(name);
        const v = c.spec?.volumeName ? await getVolume(c.spec.volumeName) : undefined;
        return c.status?.phase === 'Bound' && v?.status?.phase === 'Bound'
          ? { claim: c, volume: v }
          : undefined;
      },
      { timeout, description: `claim ${env.namespace}/${name} and its volume Bound` },
    );
  }

  test('a claim of a simulated class gets a PV bound both ways', async () => {
    const className = await makeClass(env.provisioner, 'Delete');
    const made = await makeClaim(className, '3Gi');
    const { claim, volume } = await bound(made);
    expect(claim.spec?.volumeName).toBe(`pvc-${made.metadata.uid ?? ''}`);
    expect(claim.status).toMatchObject({ phase: 'Bound', capacity: { storage: '3Gi' } });
    expect(volume.metadata.annotations?.[PROVISIONED_BY]).toBe(env.provisioner);
    expect(volume.spec).toMatchObject({
      capacity: { storage: '3Gi' },
      accessModes: ['ReadWriteOnce'],
      storageClassName: className,
      persistentVolumeReclaimPolicy: 'Delete',
      claimRef: { namespace: env.namespace, name: made.metadata.name, uid: made.metadata.uid },
    });
  });

  test('reclaim Delete: the PV goes with its claim', async () => {
    const { claim, volume } = await bound(await makeClaim(await makeClass(env.provisioner, 'Delete')));
    const volumeName = volume.metadata.name ?? '';
    expect(volume.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
    await env.client.delete(builtin.persistentvolumeclaims, claim.metadata.name ?? '', {
      namespace: env.namespace,
    });
    await waitFor(() => getVolume(volumeName).then(() => false, gone), {
      timeout,
      description: `PV ${volumeName} deleted`,
    });
    await expect(getVolume(volumeName)).rejects.toBeInstanceOf(NotFoundError);
  });

  test('reclaim Retain: the PV is Released and kept', async () => {
    const { claim, volume } = await bound(await makeClaim(await makeClass(env.provisioner, 'Retain')));
    await env.client.delete(builtin.persistentvolumeclaims, claim.metadata.name ?? '', {
      namespace: env.namespace,
    });
    const volumeName = volume.metadata.name ?? '';
    const released = await waitFor(
      async () => {
        const v = await getVolume(volumeName);
        return v.status?.phase === 'Released' ? v : undefined;
      },
      { timeout, description: `PV ${volumeName} Released` },
    );
    expect(released.spec?.claimRef?.uid).toBe(claim.metadata.uid);
  });

  test('a claim of another provisioner’s class is left Pending', async () => {
    const className = await makeClass('example.com/not-simulated', 'Delete');
    const claim = await makeClaim(className);
    const control = await bound(await makeClaim(await makeClass(env.provisioner, 'Delete')));
    expect(control.claim.status?.phase).toBe('Bound'); // the simulation is running, and ignored this one
    const still = await getClaim(claim.metadata.name ?? '');
    expect(still.status?.phase).toBe('Pending');
    expect(still.spec?.volumeName).toBeUndefined();
    await expect(getVolume(`pvc-${claim.metadata.uid ?? ''}`)).rejects.toBeInstanceOf(NotFoundError);
  });
}
