/**
 * PATCH: JSON patch, merge patch, strategic merge patch (built-ins only; 415 on custom resources) and
 * server-side apply (creates a missing object), on the object, its status or its scale.
 *
 * Start with {@link handlePatch}; the patch algorithms live in `src/patch/`.
 */
import { badRequest, methodNotAllowed, notFound, StatusError } from '../errors/status.js';
import { decodeObject, parseJson, readBody } from '../http/body.js';
import { goJsonType } from '../http/goJson.js';
import { sendText, warningHeaders } from '../http/respond.js';
import { applyJsonPatch } from '../patch/jsonPatch.js';
import { applyMergePatch } from '../patch/mergePatch.js';
import { collectionName } from '../registry/registry.js';
import { storedView } from '../registry/eventConversion.js';
import { storedObject, type KObject, type StoredObject } from '../storage/storedObject.js';
import { isCustom, type RequestContext } from './context.js';
import { sendObject } from './get.js';
import { validateWriteOptions } from './options.js';
import { scaleOf, withScale } from './scale.js';
import { canonical, commitCreate, commitUpdate, prepareCreate, prepareUpdate } from './write.js';
import { goValueString, StrictDecodingError, strictPatchError } from './fieldValidation.js';
import { applyPatchToLive, strategicMerge } from './patchKinds.js';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

function unsupportedPatch(ctx: RequestContext): StatusError {
  const accepted = isCustom(ctx.info)
    ? [JSON_PATCH, MERGE_PATCH, APPLY]
    : [JSON_PATCH, MERGE_PATCH, STRATEGIC, APPLY];
  return new StatusError({
    reason: 'UnsupportedMediaType',
    code: 415,
    message: `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    details: {},
  });
}

function patchType(ctx: RequestContext): string {
  const raw = ctx.req.headers['content-type'] ?? '';
  const type = (raw.split(';')[0] ?? '').trim().toLowerCase();
  const ok = isCustom(ctx.info)
    ? [JSON_PATCH, MERGE_PATCH, APPLY]
    : [JSON_PATCH, MERGE_PATCH, STRATEGIC, APPLY];
  if (ok.includes(type)) return type;
  // Built-in routes are go-restful's, which refuses a type outside the route's Consumes with its own text;
  // the custom resource handler lists the patch types it accepts.
  if (!isCustom(ctx.info))
    throw new StatusError({
      reason: 'UnsupportedMediaType',
      code: 415,
      message: '415: Unsupported Media Type',
      details: {},
    });
  throw unsupportedPatch(ctx);
}

const JSON_PATCH_OP_FIELDS = ['op', 'path', 'from'];

function undecodable(what: string): StatusError {
  return badRequest(`error decoding patch: json: cannot unmarshal ${what}`);
}

/**
 * Parses a non-apply patch document and checks its shape as the real server's Go decoders do, with
 * their texts (`error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp`).
 */
function decodePatch(type: string, text: string): unknown {
  const patch = parseJson(text);
  if (type === JSON_PATCH) {
    if (patch === null) return [];
    if (!Array.isArray(patch))
      throw undecodable(`${goJsonType(patch)} into Go value of type []handlers.jsonPatchOp`);
    for (const op of patch as unknown[]) {
      if (op === null) continue;
      if (typeof op !== 'object' || Array.isArray(op))
        throw undecodable(`${goJsonType(op)} into Go value of type handlers.jsonPatchOp`);
      for (const f of JSON_PATCH_OP_FIELDS) {
        const v = (op as Record<string, unknown>)[f];
        if (v !== undefined && v !== null && typeof v !== 'string')
          throw undecodable(`${goJsonType(v)} into Go struct field jsonPatchOp.${f} of type string`);
      }
    }
    return patch;
  }
  if (patch !== null && (typeof patch !== 'object' || Array.isArray(patch))) {
    const err = `json: cannot unmarshal ${goJsonType(patch)} into Go value of type map[string]interface {}`;
    throw badRequest(type === MERGE_PATCH ? `error decoding patch: ${err}` : err);
  }
  return patch;
}

/** Applies a non-apply patch document to the current object (as JSON). */
function applyPatch(ctx: RequestContext, type: string, current: KObject, patch: unknown): KObject {
  if (type === JSON_PATCH) return applyJsonPatch(current, patch) as KObject;
  if (type === MERGE_PATCH) return applyMergePatch(current, patch) as KObject;
  return strategicMerge(ctx, current, patch);
}

export async function handlePatch(ctx: RequestContext): Promise<void> {
  if (ctx.subresource !== '' && ctx.subresource !== 'status' && ctx.subresource !== 'scale')
    throw methodNotAllowed();
  if (ctx.subresource === 'status' && !ctx.info.subresources.status)
    throw notFound(ctx.info.plural, ctx.info.group, ctx.name);
  const type = patchType(ctx);
  const raw = await readBody(ctx.req);
  const isApply = type === APPLY;
  validateWriteOptions(ctx, 'PatchOptions', isApply);
  const coll = ctx.state.storage.collection(collectionName(ctx.info));
  const found = coll.get(ctx.info.namespaced ? ctx.namespace : '', ctx.name);
  const old = found && storedView(ctx.info, found);

  if (isApply) {
    const applied = decodeObject(raw, APPLY, ctx.info.kind) as KObject;
    const appliedKind = applied['kind'];
    const appliedGv = applied['apiVersion'];
    if (typeof appliedKind !== 'string' || appliedKind === '' || typeof appliedGv !== 'string') {
      // The apply decoder needs the type meta; without it the real server names the empty kind.
      const gv = typeof appliedGv === 'string' ? appliedGv : '';
      const kind = typeof appliedKind === 'string' ? appliedKind : '';
      throw badRequest(`invalid object type: ${gv.includes('/') ? gv : `/${gv}`}, Kind=${kind}`);
    }
    if (!old) {
      if (ctx.subresource !== '') throw notFound(ctx.info.plural, ctx.info.group, ctx.name);
      const given = applied.metadata?.name;
      if (given !== undefined && given !== ctx.name) {
        throw badRequest(
          `the name of the object (${given}) does not match the name on the URL (${ctx.name})`,
        );
      }
      const body: KObject = { ...applied, metadata: { ...applied.metadata, name: ctx.name } };
      const obj = prepareCreate(ctx, applyPatchToLive(ctx, undefined, body), { managedFieldsSet: true });
      sendObject(ctx, 201, commitCreate(ctx, obj));
      return;
    }
    const merged = applyPatchToLive(ctx, old, applied);
    finishPatch(ctx, old, merged, true);
    return;
  }

  const patch = decodePatch(type, raw.toString('utf8'));
  if (!old) throw notFound(ctx.info.plural, ctx.info.group, ctx.name);
  if (ctx.subresource === 'scale') {
    if (!ctx.info.subresources.scale) throw notFound(ctx.info.plural, ctx.info.group, ctx.name);
    const scale = applyPatch(ctx, type === STRATEGIC ? MERGE_PATCH : type, scaleOf(ctx.info, old), patch);
    const next = prepareUpdate({ ...ctx, subresource: '' }, old, withScale(ctx.info, old, scale), {
      patch: true,
    });
    const { stored } = commitUpdate(ctx, old, next);
    sendText(ctx.res, 200, JSON.stringify(scaleOf(ctx.info, stored)), warningHeaders(ctx.warnings));
    return;
  }
  const patched = applyPatch(ctx, type, JSON.parse(old.json) as KObject, patch);
  try {
    finishPatch(ctx, old, patched, false);
  } catch (e) {
    if (e instanceof StrictDecodingError) throw strictPatchError(e.detail, strictValue(type, patched, patch));
    throw e;
  }
}

/**
 * What the real server echoes of a Strict patch that failed: the patched object as its patcher serialised it
 * (merge: keys sorted; JSON patch: in object order), without managedFields, or the strategic patch as a Go map.
 */
function strictValue(type: string, patched: KObject, patch: unknown): string {
  if (type === STRATEGIC) return goValueString(patch);
  const { managedFields: _dropped, ...metadata } = patched.metadata ?? {};
  const value = { ...patched, metadata };
  return type === MERGE_PATCH ? canonical(value) : JSON.stringify(value);
}

function finishPatch(ctx: RequestContext, old: StoredObject, patched: KObject, apply: boolean): void {
  if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) {
    throw new StatusError({
      reason: 'BadRequest',
      code: 400,
      message: 'the patched object is not a JSON object',
    });
  }
  const next = prepareUpdate(ctx, old, patched, {
    patch: true,
    operation: apply ? 'Apply' : 'Update',
    managedFieldsSet: apply,
  });
  const { stored, deleted } = commitUpdate(ctx, old, next);
  sendObject(ctx, 200, deleted ? storedObject(stored.obj, stored.rv) : stored);
}
