/**
 * `volumeSimulation()`: dynamic provisioning as a simulation part — a default StorageClass, and for
 * each claim of a simulated class a PersistentVolume bound both ways, as an external provisioner and
 * the PV controller would. Works on the embedded server and on a real control plane (which has no
 * provisioner); both serve the built-in StorageClass. Start here;
 * `volumes/provisioner.ts` holds the two reconciles.
 */
import { builtin } from '@steward/core';
import type { Manager } from '@steward/core';
import { reconcileClaim, reconcileVolume, volumeNameOf } from './volumes/provisioner.js';
import type { Claim, Volume } from './volumes/provisioner.js';
import { ensureDefaultStorageClass } from './volumes/storageClasses.js';
import type { SimulationPart } from './simulationTypes.js';

export interface VolumeSimulationOptions {
  /** The provisioner name classes must carry to be simulated (default `sim.steward.dev`). */
  provisioner?: string;
  /** The default class created when none is marked default (default `standard`); `false`: create none. */
  defaultClass?: string | false;
  /** The created class's reclaim policy (default `Delete`, as most clusters' default classes). */
  reclaimPolicy?: 'Delete' | 'Retain';
  /** The PV's volume source: a `hostPath` under /tmp (default) or a `csi` stub naming the provisioner. */
  source?: 'hostPath' | 'csi';
  /** Only claims in this namespace (default all). */
  namespace?: string;
  /** Controller name prefix in logs and metrics (default `volume-simulation`). */
  name?: string;
}

export const DEFAULT_PROVISIONER = 'sim.steward.dev';

/**
 * Claims of a class whose provisioner is `provisioner` get a PV `pvc-<claim uid>` (capacity and access
 * modes from the claim, reclaim policy from the class), then `spec.volumeName`, phase Bound on both; a
 * claim without a class first gets the default class. When the claim goes, its PV is deleted (reclaim
 * Delete) or Released (Retain).
 */
export function volumeSimulation(options: VolumeSimulationOptions = {}): SimulationPart {
  const config = {
    provisioner: options.provisioner ?? DEFAULT_PROVISIONER,
    source: options.source ?? 'hostPath',
  };
  const name = options.name ?? 'volume-simulation';
  return {
    name: 'volumes',
    async install(manager: Manager): Promise<void> {
      const klass = {
        name: options.defaultClass || 'standard',
        provisioner: config.provisioner,
        reclaimPolicy: options.reclaimPolicy ?? 'Delete',
      };
      await ensureDefaultStorageClass(manager.client, options.defaultClass === false ? undefined : klass);
      const namespace = options.namespace !== undefined ? { namespace: options.namespace } : {};
      manager.add<Claim>({
        name: `${name}-claims`,
        for: builtin.persistentvolumeclaims,
        ...namespace,
        watches: [
          {
            ref: builtin.persistentvolumes,
            map: (v: Volume) => {
              const ref = v.spec?.claimRef;
              return ref?.name ? [`${ref.namespace ?? ''}/${ref.name}`] : [];
            },
          },
        ],
        reconcile: (claim, ctx) => reconcileClaim(claim, ctx, config),
      });
      manager.add<Volume>({
        name: `${name}-volumes`,
        for: builtin.persistentvolumes,
        watches: [
          {
            ref: builtin.persistentvolumeclaims,
            map: (c: Claim) => [volumeNameOf(c), ...(c.spec?.volumeName ? [c.spec.volumeName] : [])],
          },
        ],
        reconcile: (volume, ctx) => reconcileVolume(volume, ctx, config),
      });
    },
  };
}
