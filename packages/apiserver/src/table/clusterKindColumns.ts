/**
 * Printer columns of StorageClass, ControllerRevision and EndpointSlice as kube-apiserver v1.37.2's
 * printers show them (`pkg/printers/internalversion`), and the default StorageClass's name suffix.
 * Start with {@link CLUSTER_KIND_COLUMNS}; the Name column is added by the Table builder.
 */
import { a, AGE, meta, o, s } from './cells.js';
import type { BuiltinColumn, Json } from './cells.js';

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';

/** A default StorageClass is listed as `<name> (default)`, as kubectl shows it. */
export function storageClassRowName(obj: Json): string {
  const annotations = o(meta(obj)['annotations']);
  const name = s(meta(obj)['name']);
  const isDefault = annotations[DEFAULT_CLASS] === 'true' || annotations[BETA_DEFAULT_CLASS] === 'true';
  return isDefault ? `${name} (default)` : name;
}

/** `metav1.GetControllerOf` shown as `<kind>.<group>/<name>` (lower-cased kind), `<none>` without one. */
function controllerOf(obj: Json): string {
  const ref = a(meta(obj)['ownerReferences']).find((r) => r['controller'] === true);
  if (!ref) return '<none>';
  const apiVersion = s(ref['apiVersion']);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = group === '' ? s(ref['kind']) : `${s(ref['kind'])}.${group}`;
  return `${kind.toLowerCase()}/${s(ref['name'])}`;
}

export const CLUSTER_KIND_COLUMNS: Record<string, BuiltinColumn[]> = {
  'storage.k8s.io/StorageClass': [
    {
      name: 'Provisioner',
      type: 'string',
      description: 'provisioner indicates the type of the provisioner.',
      cell: (v) => s(v['provisioner']),
    },
    {
      name: 'ReclaimPolicy',
      type: 'string',
      description:
        'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.',
      cell: (v) => s(v['reclaimPolicy']) || 'Delete',
    },
    {
      name: 'VolumeBindingMode',
      type: 'string',
      description:
        'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.',
      cell: (v) => s(v['volumeBindingMode']) || 'Immediate',
    },
    {
      name: 'AllowVolumeExpansion',
      type: 'string',
      description: 'allowVolumeExpansion shows whether the storage class allow volume expand.',
      cell: (v) => v['allowVolumeExpansion'] === true,
    },
    AGE,
  ],
  'apps/ControllerRevision': [
    { name: 'Controller', type: 'string', description: 'Controller of the object', cell: controllerOf },
    {
      name: 'Revision',
      type: 'string',
      description: 'Revision indicates the revision of the state represented by Data.',
      // The column says string, yet the cell is the int64 itself, as the real printer writes it.
      cell: (v) => (typeof v['revision'] === 'number' ? v['revision'] : 0),
    },
    AGE,
  ],
};
