/**
 * What an external provisioner and the PersistentVolume controller do together, as two reconciles: a
 * Pending claim of a simulated class gets a PV `pvc-<uid>` bound both ways; a PV whose claim is gone
 * is Released, or deleted when its reclaim policy is Delete. Start with {@link reconcileClaim}.
 */
import { AlreadyExistsError, builtin, NotFoundError } from '@steward/core';
import type { KubeObject, ReconcileContext } from '@steward/core';
import { isDefaultClass, storageClasses } from './storageClasses.js';
import type { StorageClass } from './storageClasses.js';

export const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const SELECTED_NODE = 'volume.kubernetes.io/selected-node';

export interface Claim extends KubeObject {
  spec?: {
    storageClassName?: string | null;
    volumeName?: string;
    accessModes?: string[];
    volumeMode?: string;
    resources?: { requests?: { storage?: string } };
  };
  status?: { phase?: string };
}

export interface Volume extends KubeObject {
  spec?: {
    claimRef?: { apiVersion?: string; kind?: string; namespace?: string; name?: string; uid?: string };
    persistentVolumeReclaimPolicy?: string;
    [field: string]: unknown;
  };
  status?: { phase?: string };
}

export interface ProvisionerConfig {
  provisioner: string;
  source: 'hostPath' | 'csi';
}

export const volumeNameOf = (claim: KubeObject): string => `pvc-${claim.metadata.uid ?? ''}`;

function newVolume(claim: Claim, klass: StorageClass, config: ProvisionerConfig): Volume {
  const name = volumeNameOf(claim);
  const source =
    config.source === 'csi'
      ? { csi: { driver: config.provisioner, volumeHandle: name, fsType: 'ext4' } }
      : { hostPath: { path: `/tmp/steward-sim-volumes/${name}`, type: 'DirectoryOrCreate' } };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [PROVISIONED_BY]: config.provisioner } },
    spec: {
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '1Gi' },
      accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
      persistentVolumeReclaimPolicy: klass.reclaimPolicy ?? 'Delete',
      storageClassName: klass.metadata.name ?? '',
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: claim.metadata.namespace ?? '',
        name: claim.metadata.name ?? '',
        uid: claim.metadata.uid ?? '',
      },
      ...source,
    },
  };
}

/**
 * A claim: without a class it gets the default one (as the PV controller assigns it retroactively);
 * of a simulated class and not bound, it gets its PV, then `volumeName` and phase Bound.
 */
export async function reconcileClaim(
  claim: Claim,
  ctx: ReconcileContext<Claim>,
  config: ProvisionerConfig,
): Promise<void> {
  if (claim.metadata.deletionTimestamp) return;
  const namespace = claim.metadata.namespace ?? '';
  const className = claim.spec?.storageClassName;
  if (className === undefined || className === null) {
    const fallback = (await ctx.reader.list<StorageClass>(storageClasses)).find(isDefaultClass);
    if (!fallback?.metadata.name) return;
    await ctx.client.patch(
      builtin.persistentvolumeclaims,
      ctx.name,
      { spec: { storageClassName: fallback.metadata.name } },
      { namespace },
    );
    return;
  }
  const klass = await ctx.reader.get<StorageClass>(storageClasses, className);
  if (klass?.provisioner !== config.provisioner) return;
  const bound = claim.spec?.volumeName;
  if (bound && bound !== volumeNameOf(claim)) return; // pre-bound to another volume: not ours
  if (klass.volumeBindingMode === 'WaitForFirstConsumer' && !claim.metadata.annotations?.[SELECTED_NODE])
    return;

  const name = volumeNameOf(claim);
  const volume = await ctx.reader.get<Volume>(builtin.persistentvolumes, name);
  if (!volume) {
    await ctx.client
      .create(builtin.persistentvolumes, newVolume(claim, klass, config))
      .catch((e: unknown) => {
        if (!(e instanceof AlreadyExistsError)) throw e;
      });
  }
  if (!bound) {
    const annotations = {
      [STORAGE_PROVISIONER]: config.provisioner,
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
    };
    const patch = { metadata: { annotations }, spec: { volumeName: name } };
    await ctx.client.patch(builtin.persistentvolumeclaims, ctx.name, patch, { namespace });
  }
  if (claim.status?.phase !== 'Bound') {
    const status = {
      phase: 'Bound',
      accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '1Gi' },
    };
    await ctx.client.patchStatus(builtin.persistentvolumeclaims, ctx.name, { status }, { namespace });
  }
}

/** A PV this provisioner made: Bound while its claim lives; once the claim is gone, Released or deleted. */
export async function reconcileVolume(
  volume: Volume,
  ctx: ReconcileContext<Volume>,
  config: ProvisionerConfig,
): Promise<void> {
  if (volume.metadata.annotations?.[PROVISIONED_BY] !== config.provisioner) return;
  if (volume.metadata.deletionTimestamp) return;
  const ref = volume.spec?.claimRef;
  if (!ref?.name) return;
  const claim = await ctx.reader.get<Claim>(builtin.persistentvolumeclaims, ref.name, {
    namespace: ref.namespace ?? '',
  });
  const phase = volume.status?.phase;
  if (claim && claim.metadata.uid === ref.uid) {
    if (phase !== 'Bound')
      await ctx.client.patchStatus(builtin.persistentvolumes, ctx.name, { status: { phase: 'Bound' } });
    return;
  }
  if (volume.spec?.persistentVolumeReclaimPolicy === 'Delete') {
    await ctx.client.delete(builtin.persistentvolumes, ctx.name).catch((e: unknown) => {
      if (!(e instanceof NotFoundError)) throw e;
    });
  } else if (phase !== 'Released') {
    await ctx.client.patchStatus(builtin.persistentvolumes, ctx.name, { status: { phase: 'Released' } });
  }
}
