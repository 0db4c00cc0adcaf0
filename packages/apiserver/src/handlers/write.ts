/**
 * The write path shared by create, update, patch and apply: system metadata, namespace rules, status
 * and generation rules, optimistic concurrency, finalizer rules, then the commit (or a dry run).
 *
 * Start with {@link prepareCreate}/{@link commitCreate} and {@link prepareUpdate}/{@link commitUpdate}.
 */
import { randomUUID } from 'node:crypto';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  OBJECT_MODIFIED,
  StatusError,
} from '../errors/status.js';
import { collectionName } from '../registry/registry.js';
import { storedView, toStorageShape } from '../registry/eventConversion.js';
import { storedObject, type KObject, type ObjectMeta, type StoredObject } from '../storage/storedObject.js';
import { apiVersionOf, type RequestContext } from './context.js';
import {
  admit,
  allowUnconditionalUpdate,
  checkDecoded,
  generationCoversWholeObject,
  tracksGeneration,
} from './strategy.js';
import { isDryRun } from './options.js';
import { applyFieldValidation } from './fieldValidation.js';
import { recordManagedFields } from './managedFields.js';
import { nowTimestamp } from './time.js';

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `generateName` + 5 random characters, the base cut to 58 so the name fits 63 (`names.SimpleNameGenerator`). */
export function generateName(base: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++)
    suffix += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
  return `${base.slice(0, 58)}${suffix}`;
}

export { nowTimestamp };

function meta(o: KObject): ObjectMeta {
  if (typeof o.metadata !== 'object' || o.metadata === null || Array.isArray(o.metadata)) o.metadata = {};
  return o.metadata;
}

/** 404 when the namespace is missing, 403 when it is terminating (NamespaceLifecycle admission). */
export function checkNamespaceForCreate(ctx: RequestContext, name: string): void {
  if (!ctx.info.namespaced) return;
  const ns = ctx.state.storage.collection('namespaces').get('', ctx.namespace);
  if (!ns) throw notFound('namespaces', '', ctx.namespace);
  const phase = (ns.obj['status'] as { phase?: string } | undefined)?.phase;
  if (phase === 'Terminating' || ns.obj.metadata?.deletionTimestamp) {
    const err = forbidden(
      ctx.info.plural,
      ctx.info.group,
      name,
      `unable to create new content in namespace ${ctx.namespace} because it is being terminated`,
    );
    // NamespaceLifecycle admission names the cause, so clients can tell it from an RBAC refusal.
    err.status.details = {
      ...err.status.details,
      causes: [
        {
          reason: 'NamespaceTerminating',
          message: `namespace ${ctx.namespace} is being terminated`,
          field: 'metadata.namespace',
        },
      ],
    };
    throw err;
  }
}

/** Path namespace wins; a different one in the body is a 400. */
function checkBodyNamespace(ctx: RequestContext, o: KObject): void {
  const m = meta(o);
  if (!ctx.info.namespaced) {
    // rest.EnsureObjectNamespaceMatchesRequestNamespace: a cluster-scoped object has no namespace,
    // whatever the body says.
    delete m.namespace;
    return;
  }
  if (m.namespace !== undefined && m.namespace !== '' && m.namespace !== ctx.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  m.namespace = ctx.namespace;
}

/** Turns a request body into the object to create (422/400/404/403 on failure). */
export function prepareCreate(
  ctx: RequestContext,
  body: KObject,
  opts: { managedFieldsSet?: boolean } = {},
): KObject {
  checkDecoded(ctx, body);
  const o: KObject = { ...body, kind: ctx.info.kind, apiVersion: apiVersionOf(ctx.info) };
  const m = meta(o);
  checkBodyNamespace(ctx, o);
  if (m.resourceVersion !== undefined && m.resourceVersion !== '') {
    // A plain storage error: the handler answers 500 with the error's text and no reason.
    throw new StatusError({
      code: 500,
      message: 'resourceVersion should not be set on objects to be created',
    });
  }
  if (!m.name && m.generateName) m.name = generateName(m.generateName);
  checkNamespaceForCreate(ctx, m.name ?? '');
  m.uid = randomUUID();
  m.creationTimestamp = nowTimestamp();
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.resourceVersion;
  if (tracksGeneration(ctx.info)) m.generation = 1;
  else delete m.generation;
  if (ctx.info.subresources.status) delete o['status'];
  const { unknownFields } = admit(ctx, o, undefined);
  applyFieldValidation(ctx, unknownFields);
  if (!opts.managedFieldsSet) recordManagedFields(ctx, undefined, o, 'Update');
  return o;
}

export function commitCreate(ctx: RequestContext, o: KObject): StoredObject {
  const coll = ctx.state.storage.collection(collectionName(ctx.info));
  const m = meta(o);
  if (coll.get(m.namespace ?? '', m.name ?? ''))
    throw alreadyExists(ctx.info.plural, ctx.info.group, m.name ?? '');
  if (isDryRun(ctx)) return storedObject(o, 0);
  const stored = coll.put(toStorageShape(ctx.info, o));
  afterWrite(ctx, stored.obj, m.name ?? '');
  return storedView(ctx.info, stored);
}

function afterWrite(ctx: RequestContext, obj: KObject | undefined, name: string): void {
  if (collectionName(ctx.info) === 'customresourcedefinitions.apiextensions.k8s.io')
    ctx.state.onCrdWritten(obj, name);
}

function withoutKeys(o: KObject, keys: string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...o };
  for (const k of keys) delete copy[k];
  return copy;
}

function specChanged(ctx: RequestContext, next: KObject, prev: KObject): boolean {
  if (generationCoversWholeObject(ctx.info))
    return canonical(withoutKeys(next, ['metadata'])) !== canonical(withoutKeys(prev, ['metadata']));
  return canonical(next['spec']) !== canonical(prev['spec']);
}

/** JSON with sorted keys, so key order never counts as a change. */
export function canonical(v: unknown): string {
  if (typeof v === 'string') {
    try {
      return canonical(JSON.parse(v));
    } catch {
      return JSON.stringify(v);
    }
  }
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
  return out;
}

export interface UpdateOptions {
  /** PATCH: the body's resourceVersion is a precondition only when present; never required. */
  patch?: boolean;
  /** The managedFields operation to record. */
  operation?: 'Update' | 'Apply';
  /** Managed fields already computed by server-side apply. */
  managedFieldsSet?: boolean;
}

/** Turns a PUT body (or a patched object) into the next state of `old` (409/422/400 on failure). */
export function prepareUpdate(
  ctx: RequestContext,
  old: StoredObject,
  body: KObject,
  opts: UpdateOptions = {},
): KObject {
  checkDecoded(ctx, body);
  const { info } = ctx;
  let o: KObject = { ...body, kind: info.kind, apiVersion: apiVersionOf(info) };
  const m = meta(o);
  if (m.name !== undefined && m.name !== '' && m.name !== ctx.name) {
    throw badRequest(`the name of the object (${m.name}) does not match the name on the URL (${ctx.name})`);
  }
  m.name = ctx.name;
  checkBodyNamespace(ctx, o);
  const oldUid = old.obj.metadata?.uid;
  if (m.uid !== undefined && m.uid !== '' && m.uid !== oldUid) {
    // A PUT body's uid is a storage precondition (GuaranteedUpdate), failing before any validation; a
    // patch carries no preconditions, so its uid change is an immutable-field error.
    if (opts.patch) {
      throw invalid(info.kind, info.group, ctx.name, [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(m.uid)}: field is immutable`,
          field: 'metadata.uid',
        },
      ]);
    }
    const key = `/registry/${info.group === '' ? '' : `${info.group}/`}${info.plural}/${ctx.namespace === '' ? '' : `${ctx.namespace}/`}${ctx.name}`;
    throw conflict(
      info.plural,
      info.group,
      ctx.name,
      `StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${m.uid}, UID in object meta: ${oldUid ?? ''}`,
    );
  }
  const rv = m.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== String(old.rv)) {
    throw conflict(info.plural, info.group, ctx.name, OBJECT_MODIFIED);
  }
  if ((rv === undefined || rv === '') && !opts.patch && !allowUnconditionalUpdate(info)) {
    // The generic store reports it against the resource (`widgets.<group>`), printing the parsed uint64.
    throw invalid(info.plural, info.group, ctx.name, [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: 0: must be specified for an update',
        field: 'metadata.resourceVersion',
      },
    ]);
  }
  const oldMeta = old.obj.metadata ?? {};
  if (ctx.subresource === 'status') {
    // Only .status (and managedFields) come from the request; everything else stays as stored.
    const next: KObject = { ...(JSON.parse(old.json) as KObject) };
    if (o['status'] === undefined) delete next['status'];
    else next['status'] = o['status'];
    next.metadata = { ...oldMeta, ...(m.managedFields ? { managedFields: m.managedFields } : {}) };
    // The Pod status strategy resets only the spec and ownerReferences: metadata edits (a kubelet's
    // labels and annotations, finalizers) go through with the status.
    if (collectionName(info) === 'pods') {
      for (const k of ['labels', 'annotations', 'finalizers'] as const) {
        if (m[k] === undefined) delete next.metadata[k];
        else (next.metadata as Record<string, unknown>)[k] = m[k];
      }
    }
    o = next;
  } else {
    if (info.subresources.status) {
      if (old.obj['status'] === undefined) delete o['status'];
      else o['status'] = old.obj['status'];
    }
    for (const k of [
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
    ] as const) {
      if (oldMeta[k] === undefined) delete m[k];
      else (m as Record<string, unknown>)[k] = oldMeta[k];
    }
    if (tracksGeneration(info) && specChanged(ctx, o, old.obj)) m.generation = (oldMeta.generation ?? 0) + 1;
  }
  const nm = meta(o);
  nm.resourceVersion = String(old.rv);
  if (oldMeta.deletionTimestamp) {
    const before = new Set(oldMeta.finalizers ?? []);
    const added = (nm.finalizers ?? []).filter((f) => !before.has(f));
    if (added.length > 0) {
      throw invalid(info.kind, info.group, ctx.name, [
        {
          reason: 'FieldValueForbidden',
          message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
          field: 'metadata.finalizers',
        },
      ]);
    }
  }
  const { unknownFields } = admit(ctx, o, old.obj);
  applyFieldValidation(ctx, unknownFields);
  if (!opts.managedFieldsSet) recordManagedFields(ctx, old.obj, o, opts.operation ?? 'Update');
  return o;
}

export interface UpdateResult {
  stored: StoredObject;
  /** The update emptied the finalizers of a deleting object, so it is gone. */
  deleted: boolean;
}

export function commitUpdate(ctx: RequestContext, old: StoredObject, o: KObject): UpdateResult {
  const coll = ctx.state.storage.collection(collectionName(ctx.info));
  const m = meta(o);
  const specFinalizers =
    collectionName(ctx.info) === 'namespaces'
      ? (((o['spec'] ?? {}) as { finalizers?: string[] }).finalizers ?? [])
      : [];
  if (m.deletionTimestamp && (m.finalizers ?? []).length === 0 && specFinalizers.length === 0) {
    if (isDryRun(ctx)) return { stored: storedObject(o, old.rv), deleted: true };
    coll.remove(m.namespace ?? '', m.name ?? '');
    afterWrite(ctx, undefined, m.name ?? '');
    return { stored: storedObject(o, old.rv), deleted: true };
  }
  // Writes that change nothing are not writes: no new resourceVersion, no watch event. A change to
  // managedFields bookkeeping alone (timestamps, as the real server's
  // IgnoreManagedFieldsTimestampsTransformer ignores) is nothing either — unless a manager gains an
  // entry, as a second applier of the same value does (shared ownership must be recorded).
  const candidate = storedObject(o, old.rv);
  if (
    candidate.json === old.json ||
    (sameIgnoringManagedFields(candidate.obj, old.obj) && !addsManager(candidate.obj, old.obj))
  )
    return { stored: old, deleted: false };
  if (isDryRun(ctx)) return { stored: candidate, deleted: false };
  const stored = coll.put(toStorageShape(ctx.info, o));
  afterWrite(ctx, stored.obj, m.name ?? '');
  return { stored: storedView(ctx.info, stored), deleted: false };
}

function withoutManagedFields(o: KObject): KObject {
  const { managedFields: _ignored, ...rest } = o.metadata ?? {};
  return { ...o, metadata: rest };
}

function sameIgnoringManagedFields(a: KObject, b: KObject): boolean {
  return canonical(withoutManagedFields(a)) === canonical(withoutManagedFields(b));
}

function managerKeys(o: KObject): Set<string> {
  const managed = o.metadata?.managedFields;
  const keys = new Set<string>();
  if (!Array.isArray(managed)) return keys;
  for (const entry of managed as { manager?: string; operation?: string; subresource?: string }[]) {
    keys.add(`${entry.manager ?? ''}\u0000${entry.operation ?? ''}\u0000${entry.subresource ?? ''}`);
  }
  return keys;
}

/** True when `next` has a managedFields entry (manager, operation, subresource) that `prev` lacks. */
function addsManager(next: KObject, prev: KObject): boolean {
  const before = managerKeys(prev);
  for (const key of managerKeys(next)) if (!before.has(key)) return true;
  return false;
}
