/**
 * `builtinResources()`: the built-in kinds the server serves, with the short names, categories, verbs and
 * subresources the real kube-apiserver advertises for them.
 *
 * Start with {@link builtinResources}; per-kind behaviour (defaults, validation, generation) lives in
 * `builtinStrategies.ts`.
 */
import type { ResourceInfo, ScaleSubresource } from './types.js';

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface Spec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced?: boolean;
  shortNames?: string[];
  categories?: string[];
  status?: boolean;
  scale?: boolean;
  verbs?: string[];
  fields?: Record<string, string>;
}

const SCALE: ScaleSubresource = {
  specReplicasPath: '.spec.replicas',
  statusReplicasPath: '.status.replicas',
  labelSelectorPath: '.status.selector',
};

function resource(s: Spec): ResourceInfo {
  const info: ResourceInfo = {
    group: s.group,
    version: s.version,
    kind: s.kind,
    listKind: `${s.kind}List`,
    plural: s.plural,
    singular: s.kind.toLowerCase(),
    namespaced: s.namespaced ?? true,
    shortNames: s.shortNames ?? [],
    categories: s.categories ?? [],
    verbs: s.verbs ?? ALL_VERBS,
    subresources: s.scale ? { status: s.status ?? false, scale: SCALE } : { status: s.status ?? false },
    printerColumns: [],
    storage: true,
    selectableFields: s.fields ?? {},
  };
  return info;
}

const POD_FIELDS: Record<string, string> = {
  'spec.nodeName': '.spec.nodeName',
  'spec.restartPolicy': '.spec.restartPolicy',
  'spec.schedulerName': '.spec.schedulerName',
  'spec.serviceAccountName': '.spec.serviceAccountName',
  'spec.hostNetwork': '.spec.hostNetwork',
  'status.phase': '.status.phase',
  'status.podIP': '.status.podIP',
  'status.nominatedNodeName': '.status.nominatedNodeName',
};

const EVENT_FIELDS: Record<string, string> = {
  'involvedObject.kind': '.involvedObject.kind',
  'involvedObject.namespace': '.involvedObject.namespace',
  'involvedObject.name': '.involvedObject.name',
  'involvedObject.uid': '.involvedObject.uid',
  'involvedObject.apiVersion': '.involvedObject.apiVersion',
  'involvedObject.resourceVersion': '.involvedObject.resourceVersion',
  'involvedObject.fieldPath': '.involvedObject.fieldPath',
  reason: '.reason',
  reportingComponent: '.reportingComponent',
  source: '.source.component',
  type: '.type',
};

const NO_COLLECTION = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** A fresh copy of every built-in resource, in the order discovery lists them. */
export function builtinResources(): ResourceInfo[] {
  const core = (s: Omit<Spec, 'group' | 'version'>): ResourceInfo =>
    resource({ group: '', version: 'v1', ...s });
  return [
    core({ kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'] }),
    core({ kind: 'Endpoints', plural: 'endpoints', shortNames: ['ep'] }),
    core({ kind: 'Event', plural: 'events', shortNames: ['ev'], fields: EVENT_FIELDS }),
    core({
      kind: 'Namespace',
      plural: 'namespaces',
      namespaced: false,
      shortNames: ['ns'],
      status: true,
      verbs: NO_COLLECTION,
      fields: { 'status.phase': '.status.phase' },
    }),
    core({
      kind: 'Node',
      plural: 'nodes',
      namespaced: false,
      shortNames: ['no'],
      status: true,
      fields: { 'spec.unschedulable': '.spec.unschedulable' },
    }),
    core({
      kind: 'PersistentVolumeClaim',
      plural: 'persistentvolumeclaims',
      shortNames: ['pvc'],
      status: true,
    }),
    core({
      kind: 'PersistentVolume',
      plural: 'persistentvolumes',
      namespaced: false,
      shortNames: ['pv'],
      status: true,
    }),
    core({
      kind: 'Pod',
      plural: 'pods',
      shortNames: ['po'],
      categories: ['all'],
      status: true,
      fields: POD_FIELDS,
    }),
    core({ kind: 'Secret', plural: 'secrets', fields: { type: '.type' } }),
    core({ kind: 'ServiceAccount', plural: 'serviceaccounts', shortNames: ['sa'] }),
    core({ kind: 'Service', plural: 'services', shortNames: ['svc'], categories: ['all'], status: true }),
    resource({ group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions' }),
    resource({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      plural: 'deployments',
      shortNames: ['deploy'],
      categories: ['all'],
      status: true,
      scale: true,
    }),
    resource({
      group: 'apps',
      version: 'v1',
      kind: 'ReplicaSet',
      plural: 'replicasets',
      shortNames: ['rs'],
      categories: ['all'],
      status: true,
      scale: true,
    }),
    resource({
      group: 'apps',
      version: 'v1',
      kind: 'StatefulSet',
      plural: 'statefulsets',
      shortNames: ['sts'],
      categories: ['all'],
      status: true,
      scale: true,
    }),
    resource({
      group: 'batch',
      version: 'v1',
      kind: 'Job',
      plural: 'jobs',
      categories: ['all'],
      status: true,
    }),
    resource({
      group: 'policy',
      version: 'v1',
      kind: 'PodDisruptionBudget',
      plural: 'poddisruptionbudgets',
      shortNames: ['pdb'],
      status: true,
    }),
    resource({
      group: 'storage.k8s.io',
      version: 'v1',
      kind: 'StorageClass',
      plural: 'storageclasses',
      namespaced: false,
      shortNames: ['sc'],
    }),
    resource({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases' }),
    resource({ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices' }),
    resource({ group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', shortNames: ['ev'] }),
    resource({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind: 'ClusterRoleBinding',
      plural: 'clusterrolebindings',
      namespaced: false,
    }),
    resource({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind: 'ClusterRole',
      plural: 'clusterroles',
      namespaced: false,
    }),
    resource({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind: 'RoleBinding',
      plural: 'rolebindings',
    }),
    resource({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles' }),
    resource({
      group: 'apiextensions.k8s.io',
      version: 'v1',
      kind: 'CustomResourceDefinition',
      plural: 'customresourcedefinitions',
      namespaced: false,
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      status: true,
    }),
  ];
}

/** Group order in `/apis`, as the real server lists its built-in groups. */
export const BUILTIN_GROUP_ORDER = [
  'apps',
  'events.k8s.io',
  'batch',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'apiextensions.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
];
