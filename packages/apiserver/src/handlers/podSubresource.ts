/**
 * What the create-only Pod subresources (`binding`, `eviction`) share: reading their request object,
 * storage preconditions, Pod conditions, writing the Pod past the field manager, and the 201 Success.
 *
 * Start with {@link readSubresourceBody}; the handlers are `podBinding.ts` and `podEviction.ts`.
 */
import { badRequest, conflict, methodNotAllowed, type StatusError } from '../errors/status.js';
import { decodeObject, mediaType, readBody, unsupportedBody } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import { toStorageShape } from '../registry/eventConversion.js';
import { collectionName } from '../registry/registry.js';
import type { KObject, StoredObject } from '../storage/storedObject.js';
import type { RequestContext } from './context.js';
import { validateWriteOptions } from './options.js';
import { nowTimestamp } from './time.js';

/**
 * The POSTed subresource object (`Binding` or `Eviction`) after the create handler's checks: media type,
 * CreateOptions, kind and group-version, and a body namespace that must match the path's.
 */
export async function readSubresourceBody(
  ctx: RequestContext,
  kind: string,
  apiVersions: string[],
): Promise<KObject> {
  if (ctx.name === '') throw methodNotAllowed();
  const type = mediaType(ctx.req);
  if (type !== 'application/json' && type !== 'application/yaml') throw unsupportedBody(type);
  const body = decodeObject(await readBody(ctx.req), type, 'create') as KObject;
  validateWriteOptions(ctx, 'CreateOptions');
  const gotKind = typeof body['kind'] === 'string' ? body['kind'] : '';
  const gotVersion = typeof body['apiVersion'] === 'string' ? body['apiVersion'] : '';
  if ((gotKind !== '' && gotKind !== kind) || (gotVersion !== '' && !apiVersions.includes(gotVersion)))
    throw badRequest(
      `${gotKind || kind} in version "${gotVersion}" cannot be handled as a ${kind}: no kind "${gotKind || kind}" is registered for version "${gotVersion}"`,
    );
  const ns = body.metadata?.namespace;
  if (ns !== undefined && ns !== '' && ns !== ctx.namespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  return body;
}

/** The 409 a storage precondition (uid, resourceVersion) failure becomes, with the storage error's text. */
export function storagePreconditionConflict(
  ctx: RequestContext,
  s: StoredObject,
  uid: string | undefined,
  resourceVersion: string | undefined,
): void {
  const meta = s.obj.metadata ?? {};
  let why: string | undefined;
  if (uid && uid !== meta.uid)
    why = `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${meta.uid ?? ''}`;
  else if (resourceVersion && resourceVersion !== meta.resourceVersion)
    why = `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`;
  if (why === undefined) return;
  const key = `/registry/${collectionName(ctx.info)}/${s.namespace}/${s.name}`;
  throw conflict(
    ctx.info.plural,
    ctx.info.group,
    s.name,
    `StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: ${why}`,
  );
}

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/**
 * `UpdatePodCondition`: adds or replaces a condition of `status.conditions`; the transition time moves
 * only when the condition's status changes.
 */
export function upsertPodCondition(status: Record<string, unknown>, c: PodCondition): void {
  const conditions = Array.isArray(status['conditions'])
    ? [...(status['conditions'] as Record<string, unknown>[])]
    : [];
  const at = conditions.findIndex((x) => x['type'] === c.type);
  const old = at >= 0 ? conditions[at] : undefined;
  const next: Record<string, unknown> = {
    type: c.type,
    status: c.status,
    // A Go zero metav1.Time serializes as null.
    lastProbeTime: null,
    lastTransitionTime:
      old && old['status'] === c.status && old['lastTransitionTime'] !== undefined
        ? old['lastTransitionTime']
        : nowTimestamp(),
  };
  if (c.reason !== undefined) next['reason'] = c.reason;
  if (c.message !== undefined) next['message'] = c.message;
  if (at >= 0) conditions[at] = next;
  else conditions.push(next);
  status['conditions'] = conditions;
}

/** Stores the changed Pod under a new resourceVersion (a direct storage update: no managedFields entry). */
export function commitPod(ctx: RequestContext, pod: KObject): StoredObject {
  const coll = ctx.state.storage.collection(collectionName(ctx.info));
  return coll.put(toStorageShape(ctx.info, pod));
}

/** The create handler's answer for a `Status{Success}` result: 201 with the code filled in. */
export function sendCreatedSuccess(ctx: RequestContext): void {
  sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** A Status result that is not an error: written with the create's 201, whatever its own code says. */
export function sendCreatedStatus(ctx: RequestContext, status: StatusError): void {
  sendJson(ctx.res, 201, status.status);
}
