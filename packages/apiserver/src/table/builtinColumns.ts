/**
 * Printer columns of built-in kinds, like kube-apiserver's printers (`pkg/printers/internalversion`):
 * Pods show Ready, Status, Restarts, Age; Services Type, Cluster-IP, External-IP, Port(s), Age; and so on.
 * Start with {@link builtinColumns}; the Name column is added by the Table builder, not here.
 */
import { age } from './humanDuration.js';

type Json = Record<string, unknown>;

export interface BuiltinColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  /** 0 is shown by default; 1 only with `-o wide`. */
  priority?: number;
  cell(obj: Record<string, unknown>, now: Date): unknown;
}

function o(x: unknown): Json {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Json) : {};
}
function a(x: unknown): Json[] {
  return Array.isArray(x) ? x.map(o) : [];
}
function s(x: unknown): string {
  return typeof x === 'string' ? x : '';
}
function n(x: unknown): number {
  return typeof x === 'number' ? x : 0;
}
function orNone(x: string): string {
  return x === '' ? '<none>' : x;
}

const spec = (obj: Json): Json => o(obj['spec']);
const status = (obj: Json): Json => o(obj['status']);
const meta = (obj: Json): Json => o(obj['metadata']);

const AGE: BuiltinColumn = { name: 'Age', type: 'string', cell: (obj, now) => age(meta(obj)['creationTimestamp'], now) };

function podStatus(pod: Json): string {
  const st = status(pod);
  let reason = s(st['reason']) || s(st['phase']);
  for (const c of a(st['initContainerStatuses'])) {
    const state = o(c['state']);
    const term = o(state['terminated']);
    if (state['terminated'] !== undefined && n(term['exitCode']) === 0) continue;
    if (state['terminated'] !== undefined) return `Init:${s(term['reason']) || `ExitCode:${n(term['exitCode'])}`}`;
    const waiting = s(o(state['waiting'])['reason']);
    if (waiting !== '' && waiting !== 'PodInitializing') return `Init:${waiting}`;
  }
  let running = false;
  for (const c of [...a(st['containerStatuses'])].reverse()) {
    const state = o(c['state']);
    const waiting = s(o(state['waiting'])['reason']);
    const term = o(state['terminated']);
    if (waiting !== '') reason = waiting;
    else if (state['terminated'] !== undefined) reason = s(term['reason']) || (term['signal'] ? `Signal:${n(term['signal'])}` : `ExitCode:${n(term['exitCode'])}`);
    else if (state['running'] !== undefined && c['ready'] === true) running = true;
  }
  if (reason === 'Completed' && running) reason = 'Running';
  if (meta(pod)['deletionTimestamp'] !== undefined) reason = s(st['reason']) === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function podRestarts(pod: Json, now: Date): unknown {
  let restarts = 0;
  let last = '';
  for (const c of a(status(pod)['containerStatuses'])) {
    restarts += n(c['restartCount']);
    const finished = s(o(o(c['lastState'])['terminated'])['finishedAt']);
    if (finished !== '' && (last === '' || Date.parse(finished) > Date.parse(last))) last = finished;
  }
  return last !== '' && restarts > 0 ? `${restarts} (${age(last, now)} ago)` : restarts;
}

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

function conditionStatus(obj: Json, type: string): string | undefined {
  return a(status(obj)['conditions']).find((c) => c['type'] === type)?.['status'] as string | undefined;
}

function selector(x: unknown): string {
  const labels = o(o(x)['matchLabels']);
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${s(v)}`);
  return orNone(parts.join(','));
}

const TABLES: Record<string, BuiltinColumn[]> = {
  '/Pod': [
    { name: 'Ready', type: 'string', cell: (p) => `${a(status(p)['containerStatuses']).filter((c) => c['ready'] === true).length}/${a(spec(p)['containers']).length}` },
    { name: 'Status', type: 'string', cell: (p) => podStatus(p) },
    { name: 'Restarts', type: 'string', cell: (p, now) => podRestarts(p, now) },
    AGE,
    { name: 'IP', type: 'string', priority: 1, cell: (p) => orNone(s(status(p)['podIP'])) },
    { name: 'Node', type: 'string', priority: 1, cell: (p) => orNone(s(spec(p)['nodeName'])) },
  ],
  '/Service': [
    { name: 'Type', type: 'string', cell: (v) => s(spec(v)['type']) || 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (v) => orNone(s(spec(v)['clusterIP'])) },
    { name: 'External-IP', type: 'string', cell: (v) => externalIp(v) },
    { name: 'Port(s)', type: 'string', cell: (v) => servicePorts(v) },
    AGE,
    { name: 'Selector', type: 'string', priority: 1, cell: (v) => orNone(Object.entries(o(spec(v)['selector'])).map(([k, x]) => `${k}=${s(x)}`).join(',')) },
  ],
  '/Namespace': [{ name: 'Status', type: 'string', cell: (v) => s(status(v)['phase']) || 'Active' }, AGE],
  '/ConfigMap': [{ name: 'Data', type: 'integer', cell: (v) => Object.keys(o(v['data'])).length + Object.keys(o(v['binaryData'])).length }, AGE],
  '/Secret': [
    { name: 'Type', type: 'string', cell: (v) => s(v['type']) || 'Opaque' },
    { name: 'Data', type: 'integer', cell: (v) => Object.keys(o(v['data'])).length },
    AGE,
  ],
  '/ServiceAccount': [{ name: 'Secrets', type: 'integer', cell: (v) => a(v['secrets']).length }, AGE],
  '/Endpoints': [
    { name: 'Endpoints', type: 'string', cell: (v) => orNone(a(v['subsets']).flatMap((ss) => a(ss['addresses']).flatMap((ad) =>
      a(ss['ports']).length > 0 ? a(ss['ports']).map((p) => `${s(ad['ip'])}:${n(p['port'])}`) : [s(ad['ip'])])).join(',')) },
    AGE,
  ],
  '/Node': [
    { name: 'Status', type: 'string', cell: (v) => (conditionStatus(v, 'Ready') === 'True' ? 'Ready' : 'NotReady') + (spec(v)['unschedulable'] ? ',SchedulingDisabled' : '') },
    { name: 'Roles', type: 'string', cell: (v) => orNone(Object.keys(o(meta(v)['labels'])).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice(24)).join(',')) },
    AGE,
    { name: 'Version', type: 'string', cell: (v) => s(o(status(v)['nodeInfo'])['kubeletVersion']) },
  ],
  '/PersistentVolumeClaim': [
    { name: 'Status', type: 'string', cell: (v) => s(status(v)['phase']) || 'Pending' },
    { name: 'Volume', type: 'string', cell: (v) => s(spec(v)['volumeName']) },
    { name: 'Capacity', type: 'string', cell: (v) => s(o(status(v)['capacity'])['storage']) },
    { name: 'Access Modes', type: 'string', cell: (v) => ((status(v)['accessModes'] as string[] | undefined) ?? []).map((m) => ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' }[m] ?? m)).join(',') },
    { name: 'StorageClass', type: 'string', cell: (v) => orNone(s(spec(v)['storageClassName'])) },
    { name: 'VolumeAttributesClass', type: 'string', cell: (v) => orNone(s(spec(v)['volumeAttributesClassName'])) },
    AGE,
  ],
  '/PersistentVolume': [
    { name: 'Capacity', type: 'string', cell: (v) => s(o(spec(v)['capacity'])['storage']) },
    { name: 'Reclaim Policy', type: 'string', cell: (v) => s(spec(v)['persistentVolumeReclaimPolicy']) },
    { name: 'Status', type: 'string', cell: (v) => s(status(v)['phase']) },
    { name: 'Claim', type: 'string', cell: (v) => { const c = o(spec(v)['claimRef']); return c['name'] ? `${s(c['namespace'])}/${s(c['name'])}` : ''; } },
    { name: 'StorageClass', type: 'string', cell: (v) => s(spec(v)['storageClassName']) },
    AGE,
  ],
  '/Event': [
    { name: 'Last Seen', type: 'string', cell: (v, now) => age(v['lastTimestamp'] ?? v['eventTime'] ?? meta(v)['creationTimestamp'], now) },
    { name: 'Type', type: 'string', cell: (v) => s(v['type']) },
    { name: 'Reason', type: 'string', cell: (v) => s(v['reason']) },
    { name: 'Object', type: 'string', cell: (v) => `${s(o(v['involvedObject'])['kind']).toLowerCase()}/${s(o(v['involvedObject'])['name'])}` },
    { name: 'Message', type: 'string', cell: (v) => s(v['message']) },
  ],
  'apps/StatefulSet': [
    { name: 'Ready', type: 'string', cell: (v) => `${n(status(v)['readyReplicas'])}/${spec(v)['replicas'] === undefined ? 1 : n(spec(v)['replicas'])}` },
    AGE,
  ],
  'apps/Deployment': [
    { name: 'Ready', type: 'string', cell: (v) => `${n(status(v)['readyReplicas'])}/${spec(v)['replicas'] === undefined ? 1 : n(spec(v)['replicas'])}` },
    { name: 'Up-to-date', type: 'integer', cell: (v) => n(status(v)['updatedReplicas']) },
    { name: 'Available', type: 'integer', cell: (v) => n(status(v)['availableReplicas']) },
    AGE,
  ],
  'apps/ReplicaSet': [
    { name: 'Desired', type: 'integer', cell: (v) => (spec(v)['replicas'] === undefined ? 1 : n(spec(v)['replicas'])) },
    { name: 'Current', type: 'integer', cell: (v) => n(status(v)['replicas']) },
    { name: 'Ready', type: 'integer', cell: (v) => n(status(v)['readyReplicas']) },
    AGE,
  ],
  'batch/Job': [
    { name: 'Status', type: 'string', cell: (v) => (conditionStatus(v, 'Complete') === 'True' ? 'Complete' : conditionStatus(v, 'Failed') === 'True' ? 'Failed' : 'Running') },
    { name: 'Completions', type: 'string', cell: (v) => `${n(status(v)['succeeded'])}/${spec(v)['completions'] === undefined ? 1 : n(spec(v)['completions'])}` },
    { name: 'Duration', type: 'string', cell: (v) => { const st = s(status(v)['startTime']); const end = s(status(v)['completionTime']); return st === '' ? '' : age(st, end === '' ? new Date() : new Date(end)); } },
    AGE,
  ],
  'policy/PodDisruptionBudget': [
    { name: 'Min Available', type: 'string', cell: (v) => String(spec(v)['minAvailable'] ?? 'N/A') },
    { name: 'Max Unavailable', type: 'string', cell: (v) => String(spec(v)['maxUnavailable'] ?? 'N/A') },
    { name: 'Allowed Disruptions', type: 'integer', cell: (v) => n(status(v)['disruptionsAllowed']) },
    AGE,
  ],
  'coordination.k8s.io/Lease': [{ name: 'Holder', type: 'string', cell: (v) => s(spec(v)['holderIdentity']) }, AGE],
  'apiextensions.k8s.io/CustomResourceDefinition': [
    { name: 'Created At', type: 'date', cell: (v) => s(meta(v)['creationTimestamp']) },
  ],
  'events.k8s.io/Event': [
    { name: 'Last Seen', type: 'string', cell: (v, now) => age(v['eventTime'] ?? meta(v)['creationTimestamp'], now) },
    { name: 'Type', type: 'string', cell: (v) => s(v['type']) },
    { name: 'Reason', type: 'string', cell: (v) => s(v['reason']) },
    { name: 'Object', type: 'string', cell: (v) => `${s(o(v['regarding'])['kind']).toLowerCase()}/${s(o(v['regarding'])['name'])}` },
    { name: 'Message', type: 'string', cell: (v) => s(v['note']) },
  ],
};

/**
 * Default printer columns for built-in kinds, like the real server's printers. Kinds without a printer
 * get the server's default table (Name, then Created At), so this returns `Created At` for them.
 */
export function builtinColumns(group: string, kind: string): BuiltinColumn[] {
  return TABLES[`${group}/${kind}`] ?? [
    { name: 'Created At', type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', cell: (v) => s(meta(v)['creationTimestamp']) },
  ];
}
