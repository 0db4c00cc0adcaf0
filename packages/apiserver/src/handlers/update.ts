/**
 * PUT: replace an object (or its status, or its scale), with optimistic concurrency, finalizer and
 * generation rules from the write path; a PUT that empties a deleting object's finalizers deletes it.
 *
 * Start with {@link handleUpdate}.
 */
import { methodNotAllowed, notFound } from '../errors/status.js';
import { decodeObject, mediaType, readBody, unsupportedBody } from '../http/body.js';
import { decodeProtobufObject, PROTOBUF } from '../http/protobuf.js';
import { collectionName } from '../registry/registry.js';
import { storedView } from '../registry/eventConversion.js';
import { storedObject, type KObject } from '../storage/storedObject.js';
import { sendText, warningHeaders } from '../http/respond.js';
import type { RequestContext } from './context.js';
import { sendObject } from './get.js';
import { validateWriteOptions } from './options.js';
import { checkDuplicateFields } from './fieldValidation.js';
import { scaleOf } from './scale.js';
import { allowCreateOnUpdate } from './strategy.js';
import { commitCreate, commitUpdate, prepareCreate, prepareUpdate } from './write.js';
import { withScale } from './scale.js';
import { conflict, OBJECT_MODIFIED } from '../errors/status.js';

export async function handleUpdate(ctx: RequestContext): Promise<void> {
  if (
    ctx.subresource !== '' &&
    ctx.subresource !== 'status' &&
    ctx.subresource !== 'scale' &&
    ctx.subresource !== 'finalize'
  )
    throw methodNotAllowed();
  if (ctx.subresource === 'status' && !ctx.info.subresources.status)
    throw notFound(ctx.info.plural, ctx.info.group, ctx.name);
  const type = mediaType(ctx.req);
  if (type !== 'application/json' && type !== 'application/yaml' && type !== PROTOBUF)
    throw unsupportedBody(type);
  const raw = await readBody(ctx.req);
  const body: KObject | undefined =
    type === PROTOBUF
      ? decodeProtobufObject(raw)
      : decodeObject(raw, type, ctx.subresource === 'scale' ? 'Scale' : ctx.info.kind);
  if (!body) throw unsupportedBody(type);
  if (type === 'application/json') checkDuplicateFields(ctx, raw.toString('utf8'));
  validateWriteOptions(ctx, 'UpdateOptions');
  const coll = ctx.state.storage.collection(collectionName(ctx.info));
  const found = coll.get(ctx.info.namespaced ? ctx.namespace : '', ctx.name);
  const old = found && storedView(ctx.info, found);
  if (!old) {
    if (ctx.subresource === '' && allowCreateOnUpdate(ctx.info)) {
      const created = commitCreate(ctx, prepareCreate(ctx, body));
      sendObject(ctx, 201, created);
      return;
    }
    throw notFound(ctx.info.plural, ctx.info.group, ctx.name);
  }
  if (ctx.subresource === 'scale') {
    if (!ctx.info.subresources.scale) throw notFound(ctx.info.plural, ctx.info.group, ctx.name);
    const rv = body.metadata?.resourceVersion;
    if (rv && rv !== String(old.rv))
      throw conflict(ctx.info.plural, ctx.info.group, ctx.name, OBJECT_MODIFIED);
    const next = prepareUpdate({ ...ctx, subresource: '' }, old, withScale(ctx.info, old, body), {
      patch: true,
    });
    const { stored } = commitUpdate(ctx, old, next);
    sendText(ctx.res, 200, JSON.stringify(scaleOf(ctx.info, stored)), warningHeaders(ctx.warnings));
    return;
  }
  if (ctx.subresource === 'finalize') {
    // namespaces/finalize changes only spec.finalizers (what the namespace controller empties).
    const spec = {
      ...(old.obj['spec'] as object | undefined),
      finalizers: ((body['spec'] ?? {}) as { finalizers?: string[] }).finalizers ?? [],
    };
    const next = prepareUpdate(
      { ...ctx, subresource: '' },
      old,
      { ...(JSON.parse(old.json) as KObject), spec },
      { patch: true },
    );
    const { stored, deleted } = commitUpdate(ctx, old, next);
    sendObject(ctx, 200, deleted ? storedObject(stored.obj, stored.rv) : stored);
    return;
  }
  const next = prepareUpdate(ctx, old, body);
  const { stored, deleted } = commitUpdate(ctx, old, next);
  sendObject(ctx, 200, deleted ? storedObject(stored.obj, stored.rv) : stored);
}
