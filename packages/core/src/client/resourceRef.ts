/**
 * Resource references without discovery: {@link builtin} holds the kinds operators use most, and
 * {@link refFor} makes one for anything else (custom resources). {@link resourcePath} turns a reference
 * into its REST path.
 */
import { ClientUsageError } from './errors.js';
import type { ResourceRef } from './types.js';

/** A reference from an `apiVersion` (`v1`, `apps/v1`, `example.com/v1alpha1`), kind, plural and scope. */
export function refFor(apiVersion: string, kind: string, plural: string, namespaced: boolean): ResourceRef {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (version === '' || version.includes('/')) {
    throw new ClientUsageError(
      `refFor: apiVersion ${JSON.stringify(apiVersion)} is not "version" or "group/version"`,
    );
  }
  if (plural === '' || plural !== plural.toLowerCase()) {
    throw new ClientUsageError(
      `refFor: plural ${JSON.stringify(plural)} must be the lower-case resource name`,
    );
  }
  return { group, version, plural, kind, namespaced };
}

/** The `apiVersion` objects of this resource carry. */
export function apiVersionOf(ref: ResourceRef): string {
  return ref.group === '' ? ref.version : `${ref.group}/${ref.version}`;
}

/** Built-in kinds, by plural. Frozen: spread one to change it. */
export const builtin = Object.freeze({
  namespaces: refFor('v1', 'Namespace', 'namespaces', false),
  nodes: refFor('v1', 'Node', 'nodes', false),
  pods: refFor('v1', 'Pod', 'pods', true),
  services: refFor('v1', 'Service', 'services', true),
  endpoints: refFor('v1', 'Endpoints', 'endpoints', true),
  configmaps: refFor('v1', 'ConfigMap', 'configmaps', true),
  secrets: refFor('v1', 'Secret', 'secrets', true),
  serviceaccounts: refFor('v1', 'ServiceAccount', 'serviceaccounts', true),
  persistentvolumeclaims: refFor('v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true),
  persistentvolumes: refFor('v1', 'PersistentVolume', 'persistentvolumes', false),
  events: refFor('v1', 'Event', 'events', true),
  statefulsets: refFor('apps/v1', 'StatefulSet', 'statefulsets', true),
  deployments: refFor('apps/v1', 'Deployment', 'deployments', true),
  replicasets: refFor('apps/v1', 'ReplicaSet', 'replicasets', true),
  jobs: refFor('batch/v1', 'Job', 'jobs', true),
  poddisruptionbudgets: refFor('policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true),
  leases: refFor('coordination.k8s.io/v1', 'Lease', 'leases', true),
  eventsV1: refFor('events.k8s.io/v1', 'Event', 'events', true),
  customresourcedefinitions: refFor(
    'apiextensions.k8s.io/v1',
    'CustomResourceDefinition',
    'customresourcedefinitions',
    false,
  ),
});

/**
 * The REST path of a collection (no `name`) or an object, optionally a subresource. `namespace` is
 * required for namespaced objects, optional (all namespaces) for namespaced collections, and ignored
 * for cluster-scoped resources.
 */
export function resourcePath(
  ref: ResourceRef,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  let path = ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  if (ref.namespaced && namespace !== undefined && namespace !== '') {
    path += `/namespaces/${encodeURIComponent(namespace)}`;
  } else if (ref.namespaced && name !== undefined) {
    throw new ClientUsageError(`${ref.kind} ${JSON.stringify(name)} is namespaced: pass its namespace`);
  }
  path += `/${ref.plural}`;
  if (name !== undefined) {
    if (name === '') throw new ClientUsageError(`${ref.kind}: the object has no metadata.name`);
    path += `/${encodeURIComponent(name)}`;
    if (subresource !== undefined) path += `/${subresource}`;
  }
  return path;
}
