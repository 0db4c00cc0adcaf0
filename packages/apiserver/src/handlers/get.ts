/**
 * GET of one object (and of its `status` subresource, which reads the same object).
 *
 * Start with {@link handleGet}; `scale.ts` serves the scale subresource.
 */
import { notFound } from '../errors/status.js';
import { objectJson, sendText, warningHeaders } from '../http/respond.js';
import { collectionName } from '../registry/registry.js';
import { storedView } from '../registry/eventConversion.js';
import type { StoredObject } from '../storage/storedObject.js';
import { apiVersionOf, type RequestContext } from './context.js';
import { sendTable, tableRequested } from './table.js';

/** The stored object the request names, or the real 404. */
export function getExisting(ctx: RequestContext): StoredObject {
  const coll = ctx.state.storage.collection(collectionName(ctx.info));
  const s = coll.get(ctx.info.namespaced ? ctx.namespace : '', ctx.name);
  if (!s) throw notFound(ctx.info.plural, ctx.info.group, ctx.name);
  return storedView(ctx.info, s);
}

export function sendObject(ctx: RequestContext, code: number, s: StoredObject): void {
  sendText(ctx.res, code, objectJson(s, apiVersionOf(ctx.info)), warningHeaders(ctx.warnings));
}

export function handleGet(ctx: RequestContext): void {
  const s = getExisting(ctx);
  if (tableRequested(ctx)) {
    sendTable(ctx, [s], s.rv, undefined);
    return;
  }
  sendObject(ctx, 200, s);
}
