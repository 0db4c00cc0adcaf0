/**
 * Per-resource write rules — name rules, generation tracking, whether DELETE returns the object, whether
 * PUT needs a resourceVersion — and `admit()`, which defaults, prunes and validates an object the way
 * the real server's strategies (built-ins) or schema pipeline (CRs) do.
 *
 * Start with {@link admit}.
 */
import { badRequest, invalid, type StatusCause } from '../errors/status.js';
import { applyBuiltinDefaults } from '../registry/builtinDefaults.js';
import { pruneBuiltinUnknown } from '../registry/builtinFields.js';
import { checkByteFields } from '../registry/byteFields.js';
import { assignDefaultStorageClass } from '../registry/defaultStorageClass.js';
import { allocateServiceAddresses } from '../registry/serviceAllocation.js';
import { checkMicroTimes, validateBuiltin, validateBuiltinUpdate } from '../registry/builtinValidation.js';
import { validateObjectMeta, type NameRule } from '../registry/nameValidation.js';
import { validateOwnerReferences } from '../registry/ownerReferences.js';
import { resourceKey } from '../registry/registry.js';
import type { ResourceInfo } from '../registry/types.js';
import { defaultCustomResourceDefinition, validateCustomResourceDefinition } from '../schema/index.js';
import type { KObject } from '../storage/storedObject.js';
import { isCustom, type RequestContext } from './context.js';
import { unrecognized } from '../http/body.js';

export const CRD_COLLECTION = 'customresourcedefinitions.apiextensions.k8s.io';

const NAME_RULES: Record<string, NameRule> = {
  namespaces: 'label',
  services: 'dns1035',
  'roles.rbac.authorization.k8s.io': 'path',
  'rolebindings.rbac.authorization.k8s.io': 'path',
  'clusterroles.rbac.authorization.k8s.io': 'path',
  'clusterrolebindings.rbac.authorization.k8s.io': 'path',
};

const TRACKS_GENERATION = new Set([
  'pods',
  'deployments.apps',
  'statefulsets.apps',
  'replicasets.apps',
  'jobs.batch',
  'poddisruptionbudgets.policy',
  'endpointslices.discovery.k8s.io',
  'customresourcedefinitions.apiextensions.k8s.io',
]);

const RETURNS_DELETED = new Set([
  'pods',
  'serviceaccounts',
  'services',
  'persistentvolumes',
  'persistentvolumeclaims',
  'namespaces',
  'storageclasses.storage.k8s.io',
  'customresourcedefinitions.apiextensions.k8s.io',
]);

export function nameRule(info: ResourceInfo): NameRule {
  return NAME_RULES[resourceKey(info)] ?? 'subdomain';
}

/** Whether `metadata.generation` is maintained (CRs always; built-ins with a spec that controllers follow). */
export function tracksGeneration(info: ResourceInfo): boolean {
  return isCustom(info) || TRACKS_GENERATION.has(resourceKey(info));
}

/**
 * Whether every change outside metadata counts for generation (CRs, and built-ins without a spec whose
 * strategy compares the whole object, as EndpointSlice's does); other built-ins count spec changes only.
 */
export function generationCoversWholeObject(info: ResourceInfo): boolean {
  return isCustom(info) || resourceKey(info) === 'endpointslices.discovery.k8s.io';
}

/**
 * Stores with `ReturnDeletedObject` answer DELETE with the object; others (custom resources among them)
 * with a Success Status.
 */
export function returnsDeletedObject(info: ResourceInfo): boolean {
  return !isCustom(info) && RETURNS_DELETED.has(resourceKey(info));
}

/** Built-ins accept PUT without a resourceVersion (last write wins); CRs do not. */
export function allowUnconditionalUpdate(info: ResourceInfo): boolean {
  return !isCustom(info);
}

const CREATE_ON_UPDATE = new Set([
  'endpoints',
  'events',
  'events.events.k8s.io',
  'leases.coordination.k8s.io',
  'roles.rbac.authorization.k8s.io',
  'rolebindings.rbac.authorization.k8s.io',
  'clusterroles.rbac.authorization.k8s.io',
  'clusterrolebindings.rbac.authorization.k8s.io',
]);

/** Whether PUT creates a missing object (a few built-ins; never CRs). */
export function allowCreateOnUpdate(info: ResourceInfo): boolean {
  return !isCustom(info) && CREATE_ON_UPDATE.has(resourceKey(info));
}

/** A decoded `kind`/`apiVersion` as text (non-strings as JSON), undefined when absent. */
function fieldText(v: unknown): string | undefined {
  return v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Decode-time checks on the request body (400): MicroTime layouts, and `kind`/`apiVersion` matching the
 * endpoint.
 */
export function checkDecoded(ctx: RequestContext, body: KObject): void {
  const { info } = ctx;
  const apiVersion = info.group === '' ? info.version : `${info.group}/${info.version}`;
  const kind = fieldText(body['kind']);
  const bodyApiVersion = fieldText(body['apiVersion']);
  if (ctx.subresource !== 'scale') {
    if (isCustom(info)) checkCustomTypeMeta(ctx, body, kind, bodyApiVersion, apiVersion);
    else checkBuiltinTypeMeta(ctx, kind || info.kind, bodyApiVersion || apiVersion, apiVersion);
  } else if (kind !== undefined && kind !== 'Scale') {
    throw badRequest(`the kind in the data (${kind}) does not match the expected kind (Scale)`);
  }
  checkMicroTimes(resourceKey(info), info.kind, info.version, body);
  checkByteFields(resourceKey(info), info.kind, info.version, body);
}

/** Kinds every built-in group-version registers besides its resources (apimachinery's meta types). */
const META_KINDS = new Set([
  'Status',
  'WatchEvent',
  'ListOptions',
  'GetOptions',
  'DeleteOptions',
  'CreateOptions',
  'UpdateOptions',
  'PatchOptions',
]);

/** The Go package of a group's internal types, as conversion errors name it (`core.ConfigMap`). */
function internalPackage(group: string): string {
  if (group === '' || group === 'events.k8s.io') return 'core';
  return group.split('.')[0] ?? group;
}

/**
 * A built-in body whose kind/apiVersion (defaulted from the endpoint) names another type fails to decode
 * (400), with the codec's text: an unregistered kind, or a registered one that does not convert.
 */
function checkBuiltinTypeMeta(ctx: RequestContext, kind: string, gv: string, apiVersion: string): void {
  const { info } = ctx;
  if (kind === info.kind && gv === apiVersion) return;
  const version = gv.includes('/') ? gv.slice(gv.indexOf('/') + 1) : gv;
  const prefix = `${kind} in version "${version}" cannot be handled as a ${info.kind}`;
  const builtins = ctx.state.registry.all().filter((r) => !isCustom(r));
  const gvs = new Set(builtins.map((r) => (r.group === '' ? r.version : `${r.group}/${r.version}`)));
  const registered =
    (gvs.has(gv) && META_KINDS.has(kind)) ||
    builtins.some(
      (r) =>
        (r.group === '' ? r.version : `${r.group}/${r.version}`) === gv &&
        (r.kind === kind || r.listKind === kind),
    );
  if (!registered) {
    throw badRequest(
      `${prefix}: no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(gv)} in scheme "pkg/runtime/scheme.go:111"`,
    );
  }
  throw badRequest(
    `${prefix}: converting (${version}.${kind}) to (${internalPackage(info.group)}.${info.kind}): unknown conversion`,
  );
}

/**
 * A CR body must name its kind (400 from the unstructured decoder) and a served version of its group
 * (400); a foreign kind is a type-meta validation error (422, named after the body's kind).
 */
function checkCustomTypeMeta(
  ctx: RequestContext,
  body: KObject,
  kind: string | undefined,
  bodyApiVersion: string | undefined,
  apiVersion: string,
): void {
  const { info } = ctx;
  if (!kind) {
    const text = JSON.stringify(body);
    throw unrecognized(info.kind, `Object 'Kind' is missing in '${text}'`, Buffer.from(text));
  }
  if (bodyApiVersion !== undefined && bodyApiVersion !== apiVersion) {
    const served = ctx.state.registry
      .versionsOf(info)
      .map((r) => (r.group === '' ? r.version : `${r.group}/${r.version}`));
    if (!served.includes(bodyApiVersion)) {
      throw badRequest(
        `the API version in the data (${bodyApiVersion}) does not match the expected API version (${apiVersion})`,
      );
    }
  }
  if (kind !== info.kind) {
    throw invalid(kind, info.group, body.metadata?.name ?? '', [
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(kind)}: must be ${info.kind}`,
        field: 'kind',
      },
    ]);
  }
}

export interface AdmitResult {
  /** Unknown fields the schema dropped (`spec.foo`), for fieldValidation. */
  unknownFields: string[];
}

/**
 * Defaults, prunes and validates `obj` in place (422 Invalid on failure). Built-ins use their strategies;
 * CRs the compiled schema (prune → default → validate), when the schema module provides one.
 */
export function admit(ctx: RequestContext, obj: KObject, old: KObject | undefined): AdmitResult {
  const { info } = ctx;
  const coll = resourceKey(info);
  const causes: StatusCause[] = [];
  let unknownFields: string[] = [];
  if (isCustom(info)) {
    const schema = ctx.state.schemaFor(info);
    if (schema) {
      unknownFields = schema.prune(obj);
      schema.applyDefaults(obj);
    }
    causes.push(...validateObjectMeta(obj.metadata ?? {}, info.namespaced, nameRule(info)));
    causes.push(...validateOwnerReferences(obj.metadata?.ownerReferences));
    if (schema) causes.push(...schema.validate(obj, old));
  } else if (coll === CRD_COLLECTION) {
    defaultCustomResourceDefinition(obj);
    causes.push(...validateCustomResourceDefinition(obj, old));
    causes.push(...validateOwnerReferences(obj.metadata?.ownerReferences));
  } else {
    unknownFields = pruneBuiltinUnknown(coll, obj);
    applyBuiltinDefaults(coll, obj, old === undefined);
    causes.push(...validateObjectMeta(obj.metadata ?? {}, info.namespaced, nameRule(info)));
    causes.push(...validateOwnerReferences(obj.metadata?.ownerReferences));
    causes.push(...validateBuiltin(coll, obj));
    if (coll === 'persistentvolumeclaims' && old === undefined) {
      const classes = ctx.state.storage.collection('storageclasses.storage.k8s.io').objects.values();
      assignDefaultStorageClass(
        obj,
        Array.from(classes, (c) => c.obj),
      );
    }
    if (coll === 'services') {
      const services = ctx.state.storage.collection(coll).objects.values();
      causes.push(
        ...allocateServiceAddresses(
          obj,
          old,
          Array.from(services, (s) => s.obj),
        ),
      );
    }
    if (old) causes.push(...validateBuiltinUpdate(coll, obj, old));
  }
  if (causes.length > 0) {
    // events.k8s.io Events are validated as the internal core Event, whose kind the error names.
    const group = coll === 'events.events.k8s.io' ? '' : info.group;
    throw invalid(info.kind, group, obj.metadata?.name ?? obj.metadata?.generateName ?? '', causes);
  }
  return { unknownFields };
}
