/**
 * OpenAPI schema definitions for served kinds: the apimachinery meta types every kind refers to
 * (ObjectMeta, ListMeta, Time, OwnerReference, ManagedFieldsEntry), each kind's schema with its
 * `x-kubernetes-group-version-kind`, and its List. Start with {@link kindDefinitions}; `refPrefix`
 * is `#/definitions/` for Swagger 2.0 and `#/components/schemas/` for OpenAPI 3.
 */
import type { JSONSchemaProps, ResourceInfo } from '../registry/types.js';

type Json = Record<string, unknown>;

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const OBJECT_META = `${META}.ObjectMeta`;

/** `postgres.steward.dev` → `dev.steward.postgres`; built-in groups get the `io.k8s.api.<group>` names. */
export function definitionName(info: Pick<ResourceInfo, 'group' | 'version' | 'kind' | 'crdName'>): string {
  if (info.crdName !== undefined)
    return `${info.group.split('.').reverse().join('.')}.${info.version}.${info.kind}`;
  if (info.group === 'apiextensions.k8s.io')
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${info.version}.${info.kind}`;
  const g = info.group === '' ? 'core' : (info.group.split('.')[0] ?? info.group);
  return `io.k8s.api.${g}.${info.version}.${info.kind}`;
}

function ref(prefix: string, name: string, v3: boolean, description?: string): Json {
  if (v3)
    return description
      ? { description, allOf: [{ $ref: `${prefix}${name}` }], default: {} }
      : { allOf: [{ $ref: `${prefix}${name}` }], default: {} };
  return description ? { description, $ref: `${prefix}${name}` } : { $ref: `${prefix}${name}` };
}

const API_VERSION_DOC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const METADATA_DOC =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

const str = (description: string): Json => ({ type: 'string', description });

/** The apimachinery meta definitions that kinds reference. */
export function metaDefinitions(prefix: string, v3: boolean): Record<string, Json> {
  const time = (description: string): Json => ref(prefix, `${META}.Time`, v3, description);
  return {
    [`${META}.Time`]: {
      type: 'string',
      format: 'date-time',
      description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.',
    },
    [`${META}.FieldsV1`]: {
      type: 'object',
      description: 'FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.',
    },
    [`${META}.OwnerReference`]: {
      type: 'object',
      required: ['apiVersion', 'kind', 'name', 'uid'],
      'x-kubernetes-map-type': 'atomic',
      description: 'OwnerReference contains enough information to let you identify an owning object.',
      properties: {
        apiVersion: str('API version of the referent.'),
        kind: str('Kind of the referent.'),
        name: str('Name of the referent.'),
        uid: str('UID of the referent.'),
        controller: {
          type: 'boolean',
          description: 'If true, this reference points to the managing controller.',
        },
        blockOwnerDeletion: {
          type: 'boolean',
          description:
            'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.',
        },
      },
    },
    [`${META}.ManagedFieldsEntry`]: {
      type: 'object',
      description:
        'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.',
      properties: {
        apiVersion: str('APIVersion defines the version of this resource that this field set applies to.'),
        fieldsType: str('FieldsType is the discriminator for the different fields format and version.'),
        fieldsV1: ref(
          prefix,
          `${META}.FieldsV1`,
          v3,
          'FieldsV1 holds the first JSON version format as described in the "FieldsV1" type.',
        ),
        manager: str('Manager is an identifier of the workflow managing these fields.'),
        operation: str(
          "Operation is the type of operation which lead to this ManagedFieldsEntry being created. The only valid values for this field are 'Apply' and 'Update'.",
        ),
        subresource: str('Subresource is the name of the subresource used to update that object.'),
        time: time('Time is the timestamp of when the ManagedFields entry was added.'),
      },
    },
    [OBJECT_META]: {
      type: 'object',
      description:
        'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
      properties: {
        annotations: {
          type: 'object',
          additionalProperties: { type: 'string', default: '' },
          description:
            'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.',
        },
        creationTimestamp: time(
          'CreationTimestamp is a timestamp representing the server time when this object was created.',
        ),
        deletionGracePeriodSeconds: {
          type: 'integer',
          format: 'int64',
          description:
            'Number of seconds allowed for this object to gracefully terminate before it will be removed from the system.',
        },
        deletionTimestamp: time(
          'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.',
        ),
        finalizers: {
          type: 'array',
          items: { type: 'string', default: '' },
          'x-kubernetes-list-type': 'set',
          'x-kubernetes-patch-strategy': 'merge',
          description: 'Must be empty before the object is deleted from the registry.',
        },
        generateName: str(
          'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.',
        ),
        generation: {
          type: 'integer',
          format: 'int64',
          description: 'A sequence number representing a specific generation of the desired state.',
        },
        labels: {
          type: 'object',
          additionalProperties: { type: 'string', default: '' },
          description:
            'Map of string keys and values that can be used to organize and categorize (scope and select) objects.',
        },
        managedFields: {
          type: 'array',
          items: ref(prefix, `${META}.ManagedFieldsEntry`, v3),
          'x-kubernetes-list-type': 'atomic',
          description:
            'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.',
        },
        name: str('Name must be unique within a namespace.'),
        namespace: str('Namespace defines the space within which each name must be unique.'),
        ownerReferences: {
          type: 'array',
          items: ref(prefix, `${META}.OwnerReference`, v3),
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['uid'],
          'x-kubernetes-patch-merge-key': 'uid',
          'x-kubernetes-patch-strategy': 'merge',
          description: 'List of objects depended by this object.',
        },
        resourceVersion: str('An opaque value that represents the internal version of this object.'),
        selfLink: str(
          'Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.',
        ),
        uid: str('UID is the unique in time and space value for this object.'),
      },
    },
    [`${META}.Status`]: {
      type: 'object',
      description: 'Status is a return value for calls that do not return other objects.',
      properties: {
        apiVersion: { type: 'string', description: API_VERSION_DOC },
        code: {
          type: 'integer',
          format: 'int32',
          description: 'Suggested HTTP return code for this status, 0 if not set.',
        },
        details: {
          type: 'object',
          description: 'Extended data associated with the reason.',
          'x-kubernetes-preserve-unknown-fields': true,
        },
        kind: { type: 'string', description: KIND_DOC },
        message: str('A human-readable description of the status of this operation.'),
        metadata: ref(prefix, `${META}.ListMeta`, v3, 'Standard list metadata.'),
        reason: str('A machine-readable description of why this operation is in the "Failure" status.'),
        status: str('Status of the operation. One of: "Success" or "Failure".'),
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
    },
    [`${META}.ListMeta`]: {
      type: 'object',
      description:
        'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
      properties: {
        continue: str('continue may be set if the user set a limit on the number of items returned.'),
        remainingItemCount: {
          type: 'integer',
          format: 'int64',
          description:
            'remainingItemCount is the number of subsequent items in the list which are not included in this list response.',
        },
        resourceVersion: str("String that identifies the server's internal version of this object."),
        selfLink: str(
          'Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.',
        ),
      },
    },
  };
}

/** Drops what Swagger 2.0 cannot say (the real server does the same when it publishes v2). */
function toV2(s: JSONSchemaProps): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'nullable' || k === 'anyOf' || k === 'oneOf' || k === 'not' || k === 'x-kubernetes-validations')
      continue;
    if (k === 'properties')
      out[k] = Object.fromEntries(
        Object.entries(v as Record<string, JSONSchemaProps>).map(([p, sub]) => [p, toV2(sub)]),
      );
    else if ((k === 'items' || k === 'additionalProperties') && typeof v === 'object')
      out[k] = toV2(v as JSONSchemaProps);
    else if (k === 'allOf') out[k] = (v as JSONSchemaProps[]).map(toV2);
    else out[k] = v;
  }
  if (s['x-kubernetes-int-or-string']) delete out['type'];
  return out;
}

function gvk(info: ResourceInfo, kind = info.kind): Json[] {
  return [{ group: info.group, kind, version: info.version }];
}

/** The definitions of one resource's kind and list kind, keyed by definition name. */
export function kindDefinitions(info: ResourceInfo, prefix: string, v3: boolean): Record<string, Json> {
  const name = definitionName(info);
  const base: Json = info.schema
    ? v3
      ? (structuredClone(info.schema) as Json)
      : toV2(info.schema)
    : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  base['type'] ??= 'object';
  const props = { ...(base['properties'] as Record<string, Json> | undefined) };
  props['apiVersion'] = { type: 'string', description: API_VERSION_DOC };
  props['kind'] = { type: 'string', description: KIND_DOC };
  props['metadata'] = ref(prefix, OBJECT_META, v3, METADATA_DOC);
  base['properties'] = props;
  base['x-kubernetes-group-version-kind'] = gvk(info);
  const list: Json = {
    type: 'object',
    required: ['items'],
    description: `${info.kind}List is a list of ${info.kind}`,
    properties: {
      apiVersion: { type: 'string', description: API_VERSION_DOC },
      items: {
        type: 'array',
        items: ref(prefix, name, v3),
        description: `List of ${info.plural.toLowerCase()}. More info: https://git.k8s.io/community/contributors/devel/api-conventions.md`,
      },
      kind: { type: 'string', description: KIND_DOC },
      metadata: ref(
        prefix,
        `${META}.ListMeta`,
        v3,
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ),
    },
    'x-kubernetes-group-version-kind': gvk(info, info.listKind),
  };
  return { [name]: base, [`${name.slice(0, name.length - info.kind.length)}${info.listKind}`]: list };
}
