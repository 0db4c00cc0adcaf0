/**
 * DELETE of one object: DeleteOptions (query or body), preconditions, propagationPolicy finalizers,
 * finalizers and `deletionTimestamp`, graceful deletion of scheduled Pods, namespaces turning Terminating;
 * the answer is the object when it stays (or when its store returns deleted objects), else a Success Status.
 *
 * Start with {@link handleDelete}; {@link deleteOne} is shared with deletecollection.
 */
import { conflict, forbidden, invalid, type StatusCause } from '../errors/status.js';

/** The NamespaceLifecycle admission plugin refuses to delete these. */
const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];
import { decodeObject, mediaType, readBody } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import { collectionName } from '../registry/registry.js';
import { storedView, toStorageShape } from '../registry/eventConversion.js';
import { storedObject, type KObject, type StoredObject } from '../storage/storedObject.js';
import type { RequestContext } from './context.js';
import { getExisting, sendObject } from './get.js';
import { isDryRun, optionsInvalid } from './options.js';
import { CRD_COLLECTION, returnsDeletedObject } from './strategy.js';
import { CRD_CLEANUP_FINALIZER } from '../registry/crdController.js';
import { nowTimestamp } from './write.js';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** DeleteOptions from the body (if any) overlaid with the query parameters. */
export async function readDeleteOptions(ctx: RequestContext): Promise<DeleteOptions> {
  const raw = await readBody(ctx.req);
  let opts: DeleteOptions = {};
  if (raw.length > 0 && raw.toString('utf8').trim() !== '')
    opts = decodeObject(raw, mediaType(ctx.req), 'DeleteOptions');
  const q = ctx.query;
  const grace = q.get('gracePeriodSeconds');
  if (grace !== null && grace !== '') opts.gracePeriodSeconds = Number(grace);
  const policy = q.get('propagationPolicy');
  if (policy !== null && policy !== '') opts.propagationPolicy = policy;
  const orphan = q.get('orphanDependents');
  if (orphan !== null && orphan !== '') opts.orphanDependents = orphan === 'true';
  const dry = (opts as { dryRun?: string[] }).dryRun;
  if (Array.isArray(dry))
    for (const d of dry) if (!ctx.query.getAll('dryRun').includes(d)) ctx.query.append('dryRun', d);
  validateDeleteOptions(ctx, opts);
  return opts;
}

function validateDeleteOptions(ctx: RequestContext, o: DeleteOptions): void {
  const causes: StatusCause[] = [];
  for (const v of ctx.query.getAll('dryRun')) {
    if (v !== 'All')
      causes.push({
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: ${JSON.stringify(v)}: supported values: "All"`,
        field: 'dryRun',
      });
  }
  if (
    o.propagationPolicy !== undefined &&
    !['Foreground', 'Background', 'Orphan'].includes(o.propagationPolicy)
  ) {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(o.propagationPolicy)}: supported values: "Foreground", "Background", "Orphan", "nil"`,
      field: 'propagationPolicy',
    });
  }
  if (o.propagationPolicy !== undefined && o.orphanDependents !== undefined) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(o.propagationPolicy)}: orphanDependents and deletionPropagation cannot be both set`,
      field: 'propagationPolicy',
    });
  }
  if (o.gracePeriodSeconds !== undefined && !Number.isInteger(o.gracePeriodSeconds)) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${String(o.gracePeriodSeconds)}: must be an integer`,
      field: 'gracePeriodSeconds',
    });
  }
  if (causes.length > 0) throw optionsInvalid('DeleteOptions', causes);
}

function finalizersFor(current: string[], o: DeleteOptions): string[] {
  const set = new Set(current);
  const orphan =
    o.propagationPolicy === 'Orphan' || (o.propagationPolicy === undefined && o.orphanDependents === true);
  if (orphan) {
    set.add('orphan');
    set.delete('foregroundDeletion');
  } else if (o.propagationPolicy === 'Foreground') {
    set.add('foregroundDeletion');
    set.delete('orphan');
  } else if (o.propagationPolicy === 'Background' || o.orphanDependents === false) {
    set.delete('orphan');
    set.delete('foregroundDeletion');
  }
  return [...set];
}

/** Pods on a node end gracefully (the kubelet finishes them); unscheduled or finished pods go at once. */
function graceSeconds(ctx: RequestContext, s: StoredObject, o: DeleteOptions): number {
  if (collectionName(ctx.info) !== 'pods') return 0;
  const spec = (s.obj['spec'] ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = ((s.obj['status'] ?? {}) as { phase?: string }).phase;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  const g = o.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  return g < 0 ? 1 : g;
}

export interface DeleteOutcome {
  /** The object as it stays (deleting), or its last state (gone). */
  object: StoredObject;
  gone: boolean;
}

/** Deletes (or starts deleting) one stored object. */
export function deleteOne(ctx: RequestContext, s: StoredObject, o: DeleteOptions): DeleteOutcome {
  const { info } = ctx;
  const coll = ctx.state.storage.collection(collectionName(info));
  const meta = s.obj.metadata ?? {};
  const pre = o.preconditions ?? {};
  // BeforeDelete checks the preconditions first and names the object by its Kind, not its resource.
  if (pre.uid && pre.uid !== meta.uid) {
    throw conflict(
      info.kind,
      info.group,
      s.name,
      `the UID in the precondition (${pre.uid}) does not match the UID in record (${meta.uid ?? ''}). The object might have been deleted and then recreated`,
    );
  }
  if (pre.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
    throw conflict(
      info.kind,
      info.group,
      s.name,
      `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${meta.resourceVersion ?? ''}). The object might have been modified`,
    );
  }
  const next = JSON.parse(s.json) as KObject;
  const nm = next.metadata ?? {};
  const finalizers = finalizersFor(meta.finalizers ?? [], o);
  // The apiextensions server deletes a CRD's objects before the CRD (its cleanup finalizer).
  if (collectionName(info) === CRD_COLLECTION && !finalizers.includes(CRD_CLEANUP_FINALIZER))
    finalizers.push(CRD_CLEANUP_FINALIZER);
  const isNamespace = collectionName(info) === 'namespaces';
  const specFinalizers = isNamespace
    ? (((next['spec'] ?? {}) as { finalizers?: string[] }).finalizers ?? [])
    : [];
  const grace = graceSeconds(ctx, s, o);
  const stays = finalizers.length > 0 || specFinalizers.length > 0 || grace > 0;
  if (!stays) {
    if (isDryRun(ctx)) return { object: s, gone: true };
    coll.remove(s.namespace, s.name);
    if (collectionName(info) === CRD_COLLECTION) ctx.state.onCrdWritten(undefined, s.name);
    return { object: s, gone: true };
  }
  if (finalizers.length > 0 || (meta.finalizers ?? []).length > 0) nm.finalizers = finalizers;
  if (!meta.deletionTimestamp) {
    const at = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    nm.deletionTimestamp = grace > 0 ? at : nowTimestamp();
    nm.deletionGracePeriodSeconds = grace;
    if ((nm.generation ?? 0) > 0) nm.generation = (nm.generation ?? 0) + 1;
    if (isNamespace) next['status'] = { ...(next['status'] as object | undefined), phase: 'Terminating' };
  } else if (grace > 0 && grace < (meta.deletionGracePeriodSeconds ?? Infinity)) {
    // The grace period can only be shortened.
    nm.deletionTimestamp = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    nm.deletionGracePeriodSeconds = grace;
  }
  next.metadata = nm;
  const candidate = storedObject(next, s.rv);
  if (candidate.json === s.json) return { object: s, gone: false };
  if (isDryRun(ctx)) return { object: candidate, gone: false };
  const stored = storedView(info, coll.put(toStorageShape(info, next)));
  if (collectionName(info) === CRD_COLLECTION) ctx.state.onCrdWritten(stored.obj, s.name);
  return { object: stored, gone: false };
}

export async function handleDelete(ctx: RequestContext): Promise<void> {
  if (ctx.subresource !== '') {
    throw invalid(ctx.info.kind, ctx.info.group, ctx.name, [
      { reason: 'FieldValueNotSupported', message: 'subresources cannot be deleted', field: 'subresource' },
    ]);
  }
  const opts = await readDeleteOptions(ctx);
  const s = getExisting(ctx);
  if (collectionName(ctx.info) === 'namespaces' && IMMORTAL_NAMESPACES.includes(s.name)) {
    throw forbidden('namespaces', '', s.name, 'this namespace may not be deleted');
  }
  const { object, gone } = deleteOne(ctx, s, opts);
  if (!gone || returnsDeletedObject(ctx.info)) {
    // 202 when the object stays and the caller asked not to orphan dependents (handlers/delete.go).
    sendObject(ctx, !gone && opts.orphanDependents === false ? 202 : 200, object);
    return;
  }
  const details: Record<string, unknown> = { name: s.name };
  if (ctx.info.group !== '') details['group'] = ctx.info.group;
  details['kind'] = ctx.info.plural;
  details['uid'] = s.obj.metadata?.uid;
  sendJson(ctx.res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
}
