/**
 * `applyBuiltinDefaults()`: the defaulting the real server applies to the built-in kinds that clients
 * notice (Pod spec and status, workload specs, Service, Namespace), following the kinds' SetDefaults_*
 * functions and create strategies.
 *
 * Start with {@link applyBuiltinDefaults}; it mutates the object in place.
 */
import type { KObject } from '../storage/storedObject.js';
import { mergeStringData } from './byteFields.js';
import { defaultEndpointSlice } from './endpointSliceValidation.js';
import { initialPodDisruptionBudgetStatus } from './workloadValidation.js';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

function ensure(parent: Obj, key: string): Obj {
  const v = obj(parent[key]);
  if (v) return v;
  const fresh: Obj = {};
  parent[key] = fresh;
  return fresh;
}

function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined) o[key] = value;
}

function defaultContainer(c: Obj): void {
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  if (c['imagePullPolicy'] === undefined) {
    const image = typeof c['image'] === 'string' ? c['image'] : '';
    const lastPart = image.split('/').pop() ?? '';
    const tag = image.includes('@') ? 'digest' : lastPart.includes(':') ? lastPart.split(':').pop() : '';
    c['imagePullPolicy'] = tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  setDefault(c, 'resources', {});
  const ports = Array.isArray(c['ports']) ? c['ports'] : [];
  for (const p of ports) {
    const port = obj(p);
    if (port) setDefault(port, 'protocol', 'TCP');
  }
}

/** Pod spec defaults (also used inside workload templates). */
export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'enableServiceLinks', true);
  for (const key of ['containers', 'initContainers']) {
    const list = spec[key];
    if (Array.isArray(list)) for (const c of list) if (obj(c)) defaultContainer(c as Obj);
  }
}

function defaultTemplate(spec: Obj): void {
  const template = obj(spec['template']);
  if (!template) return;
  const podSpec = obj(template['spec']);
  if (podSpec) defaultPodSpec(podSpec);
}

/**
 * The Job create strategy's generated selector: the pod template is labelled with the Job's uid and name
 * (new and legacy keys), and the selector matches the uid, which no other Job's pods can carry.
 */
function generateJobSelector(o: KObject, spec: Obj): void {
  const uid = o.metadata?.uid ?? '';
  const name = o.metadata?.name ?? '';
  const template = ensure(spec, 'template');
  const meta = ensure(template, 'metadata');
  const labels: Obj = { ...obj(meta['labels']) };
  // Labels the user set are kept; a conflicting one is then caught by the selector check.
  for (const key of ['batch.kubernetes.io/controller-uid', 'controller-uid']) setDefault(labels, key, uid);
  for (const key of ['batch.kubernetes.io/job-name', 'job-name']) setDefault(labels, key, name);
  meta['labels'] = Object.fromEntries(
    Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const selector = ensure(spec, 'selector');
  const matchLabels = ensure(selector, 'matchLabels');
  setDefault(matchLabels, 'batch.kubernetes.io/controller-uid', uid);
}

const DEFAULTERS: Record<string, (o: KObject, create: boolean) => void> = {
  pods(o, create) {
    const spec = ensure(o, 'spec');
    defaultPodSpec(spec);
    setDefault(spec, 'priority', 0);
    setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
    if (create) {
      const containers = Array.isArray(spec['containers']) ? (spec['containers'] as unknown[]) : [];
      const hasResources = containers.some((c) => {
        const r = obj(obj(c)?.['resources']);
        return r !== undefined && (obj(r['limits']) !== undefined || obj(r['requests']) !== undefined);
      });
      o['status'] = { phase: 'Pending', qosClass: hasResources ? 'Burstable' : 'BestEffort' };
    }
  },
  namespaces(o, create) {
    const name = o.metadata?.name ?? '';
    const meta = ensure(o, 'metadata');
    meta['labels'] = { ...obj(meta['labels']), 'kubernetes.io/metadata.name': name };
    if (create) {
      o['spec'] = { finalizers: ['kubernetes'] };
      o['status'] = { phase: 'Active' };
    }
  },
  services(o, create) {
    const spec = ensure(o, 'spec');
    setDefault(spec, 'type', 'ClusterIP');
    setDefault(spec, 'sessionAffinity', 'None');
    if (spec['type'] !== 'ExternalName') {
      setDefault(spec, 'ipFamilies', ['IPv4']);
      setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
      setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    }
    if (spec['type'] === 'NodePort' || spec['type'] === 'LoadBalancer')
      setDefault(spec, 'externalTrafficPolicy', 'Cluster');
    if (spec['type'] === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
    const ports = Array.isArray(spec['ports']) ? spec['ports'] : [];
    for (const p of ports) {
      const port = obj(p);
      if (!port) continue;
      setDefault(port, 'protocol', 'TCP');
      setDefault(port, 'targetPort', port['port']);
    }
    if (create) o['status'] = { loadBalancer: {} };
  },
  deployments(o) {
    const spec = ensure(o, 'spec');
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    const strategy = ensure(spec, 'strategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy['type'] === 'RollingUpdate') {
      const ru = ensure(strategy, 'rollingUpdate');
      setDefault(ru, 'maxUnavailable', '25%');
      setDefault(ru, 'maxSurge', '25%');
    }
    defaultTemplate(spec);
  },
  replicasets(o) {
    const spec = ensure(o, 'spec');
    setDefault(spec, 'replicas', 1);
    defaultTemplate(spec);
  },
  statefulsets(o) {
    const spec = ensure(o, 'spec');
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'podManagementPolicy', 'OrderedReady');
    setDefault(spec, 'revisionHistoryLimit', 10);
    const strategy = ensure(spec, 'updateStrategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy['type'] === 'RollingUpdate') setDefault(ensure(strategy, 'rollingUpdate'), 'partition', 0);
    const retention = ensure(spec, 'persistentVolumeClaimRetentionPolicy');
    setDefault(retention, 'whenDeleted', 'Retain');
    setDefault(retention, 'whenScaled', 'Retain');
    const claims = Array.isArray(spec['volumeClaimTemplates']) ? spec['volumeClaimTemplates'] : [];
    for (const c of claims) {
      const claim = obj(c);
      if (!claim) continue;
      setDefault(claim, 'apiVersion', 'v1');
      setDefault(claim, 'kind', 'PersistentVolumeClaim');
      setDefault(ensure(claim, 'spec'), 'volumeMode', 'Filesystem');
      setDefault(claim, 'status', { phase: 'Pending' });
    }
    defaultTemplate(spec);
  },
  'jobs.batch'(o, create) {
    const spec = ensure(o, 'spec');
    // Both unset means one pod run once; a parallelism alone leaves completions unset (a work queue).
    if (spec['completions'] === undefined && spec['parallelism'] === undefined) spec['completions'] = 1;
    setDefault(spec, 'parallelism', 1);
    setDefault(spec, 'backoffLimit', 6);
    setDefault(spec, 'completionMode', 'NonIndexed');
    setDefault(spec, 'suspend', false);
    setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
    defaultTemplate(spec);
    if (create && spec['manualSelector'] !== true) generateJobSelector(o, spec);
  },
  persistentvolumeclaims(o, create) {
    setDefault(ensure(o, 'spec'), 'volumeMode', 'Filesystem');
    if (create) o['status'] = { phase: 'Pending' };
  },
  persistentvolumes(o, create) {
    const spec = ensure(o, 'spec');
    setDefault(spec, 'persistentVolumeReclaimPolicy', 'Retain');
    setDefault(spec, 'volumeMode', 'Filesystem');
    if (create) o['status'] = { phase: 'Pending' };
  },
  endpoints(o) {
    // SetDefaults_EndpointPort: an unnamed protocol is TCP.
    for (const subset of Array.isArray(o['subsets']) ? (o['subsets'] as unknown[]) : []) {
      const ports = obj(subset)?.['ports'];
      for (const p of Array.isArray(ports) ? (ports as unknown[]) : []) {
        const port = obj(p);
        if (port) setDefault(port, 'protocol', 'TCP');
      }
    }
  },
  'controllerrevisions.apps'(o) {
    // revision is a plain int64: absent reads back as 0.
    setDefault(o, 'revision', 0);
  },
  'endpointslices.discovery.k8s.io': defaultEndpointSlice,
  'poddisruptionbudgets.policy'(o, create) {
    if (create) o['status'] = initialPodDisruptionBudgetStatus();
  },
  'storageclasses.storage.k8s.io'(o) {
    setDefault(o, 'reclaimPolicy', 'Delete');
    setDefault(o, 'volumeBindingMode', 'Immediate');
  },
  secrets(o) {
    mergeStringData(o);
    // An empty type (as protobuf clients send it) defaults too.
    if (!o['type']) o['type'] = 'Opaque';
  },
};
DEFAULTERS['deployments.apps'] = DEFAULTERS['deployments']!;
DEFAULTERS['replicasets.apps'] = DEFAULTERS['replicasets']!;
DEFAULTERS['statefulsets.apps'] = DEFAULTERS['statefulsets']!;

/** Applies the defaults of the built-in resource stored as `collection` (`pods`, `deployments.apps`, ...). */
export function applyBuiltinDefaults(collection: string, o: KObject, create: boolean): void {
  DEFAULTERS[collection]?.(o, create);
}
