/**
 * Printer columns of built-in kinds, like kube-apiserver's printers (`pkg/printers/internalversion`):
 * Pods show Ready, Status, Restarts, Age; Services Type, Cluster-IP, External-IP, Port(s), Age; and so on.
 * Start with {@link builtinColumns}; the Name column is added by the Table builder, not here.
 */
import { a, AGE, conditionStatus, formatLabels, meta, n, o, orNone, s, spec, status } from './cells.js';
import type { BuiltinColumn, Json } from './cells.js';
import { age } from './humanDuration.js';
import { CLUSTER_KIND_COLUMNS, storageClassRowName } from './clusterKindColumns.js';
import { POD_COLUMNS } from './podColumns.js';
import { WORKLOAD_COLUMNS } from './workloadColumns.js';

export type { BuiltinColumn } from './cells.js';

function servicePorts(svc: Json): string {
  const ports = a(spec(svc)['ports']).map((p) => {
    const node = p['nodePort'] !== undefined ? `:${n(p['nodePort'])}` : '';
    return `${n(p['port'])}${node}/${s(p['protocol']) || 'TCP'}`;
  });
  return orNone(ports.join(','));
}

function externalIp(svc: Json): string {
  const type = s(spec(svc)['type']) || 'ClusterIP';
  const external = (spec(svc)['externalIPs'] as string[] | undefined) ?? [];
  if (type === 'ExternalName') return s(spec(svc)['externalName']);
  if (type === 'LoadBalancer') {
    const ingress = a(o(status(svc)['loadBalancer'])['ingress']).map((i) => s(i['ip']) || s(i['hostname']));
    const all = [...ingress, ...external];
    return all.length > 0 ? all.join(',') : '<pending>';
  }
  return external.length > 0 ? external.join(',') : '<none>';
}

/** An IntOrString field as the PDB printer shows it; unset is N/A. */
function intOrString(x: unknown): string {
  return typeof x === 'number' || typeof x === 'string' ? String(x) : 'N/A';
}

const TABLES: Record<string, BuiltinColumn[]> = {
  '/Pod': POD_COLUMNS,
  '/Service': [
    { name: 'Type', type: 'string', cell: (v) => s(spec(v)['type']) || 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (v) => orNone(s(spec(v)['clusterIP'])) },
    { name: 'External-IP', type: 'string', cell: (v) => externalIp(v) },
    { name: 'Port(s)', type: 'string', cell: (v) => servicePorts(v) },
    AGE,
    {
      name: 'Selector',
      type: 'string',
      priority: 1,
      cell: (v) => formatLabels(o(spec(v)['selector'])),
    },
  ],
  '/Namespace': [{ name: 'Status', type: 'string', cell: (v) => s(status(v)['phase']) || 'Active' }, AGE],
  '/ConfigMap': [
    {
      name: 'Data',
      type: 'integer',
      cell: (v) => Object.keys(o(v['data'])).length + Object.keys(o(v['binaryData'])).length,
    },
    AGE,
  ],
  '/Secret': [
    { name: 'Type', type: 'string', cell: (v) => s(v['type']) || 'Opaque' },
    { name: 'Data', type: 'integer', cell: (v) => Object.keys(o(v['data'])).length },
    AGE,
  ],
  '/ServiceAccount': [{ name: 'Secrets', type: 'integer', cell: (v) => a(v['secrets']).length }, AGE],
  '/Endpoints': [
    {
      name: 'Endpoints',
      type: 'string',
      cell: (v) =>
        orNone(
          a(v['subsets'])
            .flatMap((ss) =>
              a(ss['addresses']).flatMap((ad) =>
                a(ss['ports']).length > 0
                  ? a(ss['ports']).map((p) => `${s(ad['ip'])}:${n(p['port'])}`)
                  : [s(ad['ip'])],
              ),
            )
            .join(','),
        ),
    },
    AGE,
  ],
  '/Node': [
    {
      name: 'Status',
      type: 'string',
      cell: (v) =>
        (conditionStatus(v, 'Ready') === 'True' ? 'Ready' : 'NotReady') +
        (spec(v)['unschedulable'] ? ',SchedulingDisabled' : ''),
    },
    {
      name: 'Roles',
      type: 'string',
      cell: (v) =>
        orNone(
          Object.keys(o(meta(v)['labels']))
            .filter((k) => k.startsWith('node-role.kubernetes.io/'))
            .map((k) => k.slice(24))
            .join(','),
        ),
    },
    AGE,
    { name: 'Version', type: 'string', cell: (v) => s(o(status(v)['nodeInfo'])['kubeletVersion']) },
  ],
  '/PersistentVolumeClaim': [
    { name: 'Status', type: 'string', cell: (v) => s(status(v)['phase']) || 'Pending' },
    { name: 'Volume', type: 'string', cell: (v) => s(spec(v)['volumeName']) },
    { name: 'Capacity', type: 'string', cell: (v) => s(o(status(v)['capacity'])['storage']) },
    {
      name: 'Access Modes',
      type: 'string',
      cell: (v) =>
        ((status(v)['accessModes'] as string[] | undefined) ?? [])
          .map(
            (m) =>
              ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' })[
                m
              ] ?? m,
          )
          .join(','),
    },
    { name: 'StorageClass', type: 'string', cell: (v) => orNone(s(spec(v)['storageClassName'])) },
    {
      name: 'VolumeAttributesClass',
      type: 'string',
      cell: (v) => orNone(s(spec(v)['volumeAttributesClassName'])),
    },
    AGE,
  ],
  '/PersistentVolume': [
    { name: 'Capacity', type: 'string', cell: (v) => s(o(spec(v)['capacity'])['storage']) },
    { name: 'Reclaim Policy', type: 'string', cell: (v) => s(spec(v)['persistentVolumeReclaimPolicy']) },
    { name: 'Status', type: 'string', cell: (v) => s(status(v)['phase']) },
    {
      name: 'Claim',
      type: 'string',
      cell: (v) => {
        const c = o(spec(v)['claimRef']);
        return c['name'] ? `${s(c['namespace'])}/${s(c['name'])}` : '';
      },
    },
    { name: 'StorageClass', type: 'string', cell: (v) => s(spec(v)['storageClassName']) },
    AGE,
  ],
  '/Event': [
    {
      name: 'Last Seen',
      type: 'string',
      cell: (v, now) => age(v['lastTimestamp'] ?? v['eventTime'] ?? meta(v)['creationTimestamp'], now),
    },
    { name: 'Type', type: 'string', cell: (v) => s(v['type']) },
    { name: 'Reason', type: 'string', cell: (v) => s(v['reason']) },
    {
      name: 'Object',
      type: 'string',
      cell: (v) => `${s(o(v['involvedObject'])['kind']).toLowerCase()}/${s(o(v['involvedObject'])['name'])}`,
    },
    { name: 'Message', type: 'string', cell: (v) => s(v['message']) },
  ],
  ...WORKLOAD_COLUMNS,
  ...CLUSTER_KIND_COLUMNS,
  'policy/PodDisruptionBudget': [
    { name: 'Min Available', type: 'string', cell: (v) => intOrString(spec(v)['minAvailable']) },
    { name: 'Max Unavailable', type: 'string', cell: (v) => intOrString(spec(v)['maxUnavailable']) },
    { name: 'Allowed Disruptions', type: 'integer', cell: (v) => n(status(v)['disruptionsAllowed']) },
    AGE,
  ],
  'coordination.k8s.io/Lease': [
    { name: 'Holder', type: 'string', cell: (v) => s(spec(v)['holderIdentity']) },
    AGE,
  ],
  'apiextensions.k8s.io/CustomResourceDefinition': [
    { name: 'Created At', type: 'date', cell: (v) => s(meta(v)['creationTimestamp']) },
  ],
  'events.k8s.io/Event': [
    {
      name: 'Last Seen',
      type: 'string',
      cell: (v, now) => age(v['eventTime'] ?? meta(v)['creationTimestamp'], now),
    },
    { name: 'Type', type: 'string', cell: (v) => s(v['type']) },
    { name: 'Reason', type: 'string', cell: (v) => s(v['reason']) },
    {
      name: 'Object',
      type: 'string',
      cell: (v) => `${s(o(v['regarding'])['kind']).toLowerCase()}/${s(o(v['regarding'])['name'])}`,
    },
    { name: 'Message', type: 'string', cell: (v) => s(v['note']) },
  ],
};

/**
 * Default printer columns for built-in kinds, like the real server's printers. Kinds without a printer
 * get the server's default table (Name, then Created At), so this returns `Created At` for them.
 */
export function builtinColumns(group: string, kind: string): BuiltinColumn[] {
  return (
    TABLES[`${group}/${kind}`] ?? [
      {
        name: 'Created At',
        type: 'date',
        description:
          'CreationTimestamp is a timestamp representing the server time when this object was created.',
        cell: (v) => s(meta(v)['creationTimestamp']),
      },
    ]
  );
}

/** The Name cell of a built-in's row: the object's name, but a default StorageClass says so. */
export function builtinRowName(group: string, kind: string, obj: Json): string {
  if (group === 'storage.k8s.io' && kind === 'StorageClass') return storageClassRowName(obj);
  return s(meta(obj)['name']);
}
