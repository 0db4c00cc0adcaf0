/**
 * DELETE on a collection: deletes every object matching the namespace and selectors with the same rules
 * as a single DELETE, and answers with a `<Kind>List` of the objects it deleted (or marked deleting).
 *
 * Start with {@link handleDeleteCollection}.
 */
import { methodNotAllowed } from '../errors/status.js';
import { listItemJson, type StoredObject } from '../storage/storedObject.js';
import { objectJson, sendText } from '../http/respond.js';
import { collectionName } from '../registry/registry.js';
import { apiVersionOf, isCustom, type RequestContext } from './context.js';
import { deleteOne, readDeleteOptions } from './delete.js';
import { objectFilter } from './filter.js';
import { parseListOptions } from './listOptions.js';

export async function handleDeleteCollection(ctx: RequestContext): Promise<void> {
  if (!ctx.info.verbs.includes('deletecollection')) throw methodNotAllowed();
  const opts = await readDeleteOptions(ctx);
  parseListOptions(ctx);
  const filter = objectFilter(ctx);
  const coll = ctx.state.storage.collection(collectionName(ctx.info));
  const targets = [...coll.objects.values()]
    .filter(filter)
    .sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1));
  const results: StoredObject[] = targets.map((s) => deleteOne(ctx, s, opts).object);
  const apiVersion = apiVersionOf(ctx.info);
  const items = results.map((s) => (isCustom(ctx.info) ? objectJson(s, apiVersion) : listItemJson(s)));
  const text = `{"kind":${JSON.stringify(ctx.info.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":{"resourceVersion":"${ctx.state.storage.currentRv}"},"items":[${items.join(',')}]}`;
  sendText(ctx.res, 200, text);
}
