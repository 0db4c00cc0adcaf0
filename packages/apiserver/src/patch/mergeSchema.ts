/**
 * How lists and maps merge at each path of an object: the `MergeSchema` that strategic merge patch and
 * server-side apply both read. Built-in kinds get a table taken from the Kubernetes API types'
 * `patchStrategy`/`patchMergeKey` and `listType`/`listMapKey` markers; CRDs read their schema's
 * `x-kubernetes-list-type`, `-list-map-keys` and `-map-type`. Start with {@link builtinMergeSchema}.
 */
import type { JSONSchemaProps } from '../registry/types.js';

/**
 * A list's merge kind. A map-list may name defaults of its key fields: structured-merge-diff fills a missing
 * key field from the schema's default before it identifies an item, so an applied container port without
 * `protocol` is the stored `TCP` port rather than a second item.
 */
export type ListType =
  | { type: 'atomic' }
  | { type: 'set' }
  | { type: 'map'; keys: string[]; keyDefaults?: Readonly<Record<string, unknown>> };

/** How lists and maps merge, at a path of field names from the object root (list indices omitted). */
export interface MergeSchema {
  listType(path: readonly string[]): ListType | undefined;
  mapType(path: readonly string[]): 'atomic' | 'granular' | undefined;
  /**
   * Whether the object at this path is a Go map the typed object omits when empty (`omitempty`), so the
   * server never stores `{}` there (labels, annotations, ConfigMap data, nodeSelector, resource lists).
   * Absent: no such maps (custom resources keep what their schema allows).
   */
  omitsEmptyMap?(path: readonly string[]): boolean;
}

const map = (...keys: string[]): ListType => ({ type: 'map', keys });
/** Ports keyed by number and protocol, where `protocol` defaults to TCP (ContainerPort, ServicePort). */
const portMap = (numberKey: string): ListType => ({
  type: 'map',
  keys: [numberKey, 'protocol'],
  keyDefaults: { protocol: 'TCP' },
});
const SET: ListType = { type: 'set' };

/**
 * Map-list keys: the first key is also the strategic-merge-patch merge key (ports merge by
 * `containerPort` in SMP but are keyed by `containerPort`+`protocol` in apply).
 */
const CONTAINER_LISTS: Record<string, ListType> = {
  ports: portMap('containerPort'),
  env: map('name'),
  volumeMounts: map('mountPath'),
  volumeDevices: map('devicePath'),
};

const POD_SPEC_LISTS: Record<string, ListType> = {
  containers: map('name'),
  initContainers: map('name'),
  ephemeralContainers: map('name'),
  volumes: map('name'),
  imagePullSecrets: map('name'),
  hostAliases: map('ip'),
  topologySpreadConstraints: map('topologyKey', 'whenUnsatisfiable'),
  schedulingGates: map('name'),
  resourceClaims: map('name'),
};

const POD_SPEC_ATOMIC_MAPS = new Set(['nodeSelector']);

/**
 * Field names that are `map[...]` with `omitempty` wherever they occur in the built-in API types: ObjectMeta's
 * labels and annotations (also in pod templates), LabelSelector.matchLabels, ConfigMap and Secret data,
 * nodeSelector, ResourceList fields and StorageClass parameters. Structs such as `resources: {}` or
 * `emptyDir: {}` are kept and so are not listed.
 */
const OMITEMPTY_MAP_FIELDS = new Set([
  'labels',
  'annotations',
  'matchLabels',
  'data',
  'binaryData',
  'stringData',
  'nodeSelector',
  'limits',
  'requests',
  'overhead',
  'capacity',
  'allocatable',
  'hard',
  'used',
  'parameters',
  'volumeAttributes',
]);

/** Where a PodSpec sits in each built-in kind that embeds one. */
function podSpecPrefixes(group: string, kind: string): string[][] {
  if (group === '' && kind === 'Pod') return [['spec']];
  if (group === '' && (kind === 'ReplicationController' || kind === 'PodTemplate')) {
    return kind === 'PodTemplate' ? [['template', 'spec']] : [['spec', 'template', 'spec']];
  }
  if (group === 'apps' || (group === 'batch' && kind === 'Job')) return [['spec', 'template', 'spec']];
  if (group === 'batch' && kind === 'CronJob') return [['spec', 'jobTemplate', 'spec', 'template', 'spec']];
  return [];
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => path[i] === p);
}

/** Lists every object has through ObjectMeta, and conditions under status. */
function commonListType(path: readonly string[]): ListType | undefined {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (parent === 'metadata') {
    if (last === 'finalizers') return SET;
    if (last === 'ownerReferences') return map('uid');
  }
  if (last === 'conditions' && parent === 'status') return map('type');
  return undefined;
}

/** The merge schema of a built-in kind (`group` '' for core). Unknown paths are atomic lists, granular maps. */
export function builtinMergeSchema(group: string, kind: string): MergeSchema {
  const prefixes = podSpecPrefixes(group, kind);
  return {
    listType(path) {
      const common = commonListType(path);
      if (common) return common;
      for (const prefix of prefixes) {
        if (!startsWith(path, prefix)) continue;
        const rest = path.slice(prefix.length);
        if (rest.length === 1) return POD_SPEC_LISTS[rest[0] ?? ''];
        if (
          rest.length === 2 &&
          ['containers', 'initContainers', 'ephemeralContainers'].includes(rest[0] ?? '')
        ) {
          return CONTAINER_LISTS[rest[1] ?? ''];
        }
      }
      const joined = path.join('.');
      if (group === '' && kind === 'Service' && joined === 'spec.ports') return portMap('port');
      if (group === '' && kind === 'Node' && joined === 'status.addresses') return map('type');
      if (group === '' && kind === 'Node' && joined === 'status.images') return { type: 'atomic' };
      if (group === '' && kind === 'Pod' && (joined === 'status.podIPs' || joined === 'status.hostIPs'))
        return map('ip');
      if (group === '' && kind === 'Namespace' && joined === 'spec.finalizers') return { type: 'atomic' };
      return undefined;
    },
    mapType(path) {
      const joined = path.join('.');
      // LabelSelector is a structType=atomic; Service and RC selectors are mapType=atomic.
      if (joined === 'spec.selector') return 'atomic';
      for (const prefix of prefixes) {
        if (
          startsWith(path, prefix) &&
          path.length === prefix.length + 1 &&
          POD_SPEC_ATOMIC_MAPS.has(path[path.length - 1] ?? '')
        ) {
          return 'atomic';
        }
      }
      return undefined;
    },
    omitsEmptyMap(path) {
      const last = path[path.length - 1] ?? '';
      if (OMITEMPTY_MAP_FIELDS.has(last)) return true;
      // Service and ReplicationController selectors are plain maps; elsewhere `selector` is a struct.
      return (
        group === '' &&
        (kind === 'Service' || kind === 'ReplicationController') &&
        path.join('.') === 'spec.selector'
      );
    },
  };
}

/** Follows a field path through a structural schema (list items and map values are transparent). */
function schemaAt(schema: JSONSchemaProps | undefined, path: readonly string[]): JSONSchemaProps | undefined {
  let cur = schema;
  for (const name of path) {
    while (cur?.type === 'array' && cur.items) cur = cur.items;
    if (cur === undefined) return undefined;
    const prop = cur.properties?.[name];
    if (prop !== undefined) cur = prop;
    else if (typeof cur.additionalProperties === 'object') cur = cur.additionalProperties;
    else return undefined;
  }
  return cur;
}

/** A CRD map-list: its keys, with the defaults the item schema gives them. */
function crdMapList(s: JSONSchemaProps | undefined): ListType {
  const keys = s?.['x-kubernetes-list-map-keys'] ?? [];
  const props = s?.items?.properties;
  const keyDefaults: Record<string, unknown> = {};
  for (const k of keys) {
    const d = props?.[k]?.default;
    if (d !== undefined && d !== null) keyDefaults[k] = d;
  }
  return Object.keys(keyDefaults).length > 0 ? { type: 'map', keys, keyDefaults } : { type: 'map', keys };
}

/** The merge schema of a CRD version's schema, from its `x-kubernetes-*` list and map markers. */
export function crdMergeSchema(schema: JSONSchemaProps | undefined): MergeSchema {
  return {
    listType(path) {
      // CR metadata is ObjectMeta regardless of the CRD's schema.
      if (path.length === 2 && path[0] === 'metadata') return commonListType(path);
      const s = schemaAt(schema, path);
      const t = s?.['x-kubernetes-list-type'];
      if (t === 'set') return SET;
      if (t === 'map') return crdMapList(s);
      if (t === 'atomic') return { type: 'atomic' };
      return undefined;
    },
    omitsEmptyMap(path) {
      // The rest of a custom resource is kept as sent, but its metadata is decoded into ObjectMeta.
      return (
        path.length === 2 && path[0] === 'metadata' && (path[1] === 'labels' || path[1] === 'annotations')
      );
    },
    mapType(path) {
      if (path.length <= 2 && path[0] === 'metadata') return undefined;
      return schemaAt(schema, path)?.['x-kubernetes-map-type'];
    },
  };
}
