/**
 * LIST: `<Kind>List` from the stored JSON strings, with selectors, `limit`/`continue` over a consistent
 * snapshot, and the resourceVersion/resourceVersionMatch rules (410 when history is gone).
 *
 * Start with {@link handleList}.
 */
import { expired } from '../errors/status.js';
import { collectionName } from '../registry/registry.js';
import { storedView } from '../registry/eventConversion.js';
import type { Collection } from '../storage/storage.js';
import { listItemJson, type StoredObject } from '../storage/storedObject.js';
import { objectJson, sendText, warningHeaders } from '../http/respond.js';
import { apiVersionOf, isCustom, type RequestContext } from './context.js';
import { objectFilter } from './filter.js';
import { decodeContinue, encodeContinue, type ListOptions } from './listOptions.js';
import { tableRequested, sendTable } from './table.js';

const CONTINUE_TOO_OLD =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export interface ListPage {
  items: StoredObject[];
  rv: number;
  continueToken?: string;
  remainingItemCount?: number;
}

function sortedKeys(objects: Map<string, StoredObject>): string[] {
  return [...objects.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Chooses the snapshot and page a list request reads. Exported for deletecollection and tests. */
export function readPage(
  ctx: RequestContext,
  opts: ListOptions,
  coll: Collection,
  filter: ReturnType<typeof objectFilter>,
): ListPage {
  const current = ctx.state.storage.currentRv;
  let rv = current;
  let start = '';
  if (opts.continueToken) {
    const token = decodeContinue(opts.continueToken);
    if (token.rv < coll.compactedRv) {
      const fresh = encodeContinue({ rv: current, start: token.start });
      const err = expired(CONTINUE_TOO_OLD);
      err.status.metadata.continue = fresh;
      throw err;
    }
    rv = token.rv;
    start = token.start;
  } else if (
    opts.resourceVersionMatch === 'Exact' ||
    (opts.limit > 0 &&
      opts.resourceVersion !== '' &&
      opts.resourceVersion !== '0' &&
      opts.resourceVersionMatch === '')
  ) {
    rv = Number(opts.resourceVersion);
    if (rv < coll.compactedRv) throw expired('The resourceVersion for the provided list is too old.');
  }
  const snapshot = rv >= current ? coll.objects : coll.snapshotAt(rv);
  if (!snapshot) throw expired('The resourceVersion for the provided list is too old.');
  const keys = sortedKeys(snapshot);
  let i = 0;
  if (start !== '') {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    i = lo;
  }
  const items: StoredObject[] = [];
  for (; i < keys.length; i++) {
    const s = snapshot.get(keys[i]!)!;
    if (!filter(s)) continue;
    if (opts.limit > 0 && items.length === opts.limit) break;
    items.push(s);
  }
  const page: ListPage = { items, rv };
  if (opts.limit > 0 && i < keys.length) {
    const last = items[items.length - 1];
    const nextStart = last ? `${last.namespace}/${last.name}\u0000` : (keys[i] ?? '');
    page.continueToken = encodeContinue({ rv, start: nextStart });
    if (!filter.selective) {
      // Counted over the request's key range (its namespace), as etcd counts the rest of the range.
      const prefix = ctx.info.namespaced && ctx.namespace !== '' ? `${ctx.namespace}/` : '';
      let remaining = 0;
      for (let j = i; j < keys.length; j++) if (keys[j]!.startsWith(prefix)) remaining++;
      page.remainingItemCount = remaining;
    }
  }
  return page;
}

export function handleList(ctx: RequestContext, opts: ListOptions): void {
  const coll = ctx.state.storage.collection(collectionName(ctx.info));
  const filter = objectFilter(ctx);
  const page = readPage(ctx, opts, coll, filter);
  if (tableRequested(ctx)) {
    sendTable(
      ctx,
      page.items.map((s) => storedView(ctx.info, s)),
      page.rv,
      page.continueToken,
      page.remainingItemCount,
    );
    return;
  }
  const apiVersion = apiVersionOf(ctx.info);
  const custom = isCustom(ctx.info);
  const meta: Record<string, unknown> = { resourceVersion: String(page.rv) };
  if (page.continueToken) meta['continue'] = page.continueToken;
  if (page.remainingItemCount !== undefined) meta['remainingItemCount'] = page.remainingItemCount;
  const parts: string[] = [];
  for (let i = 0; i < page.items.length; i++) {
    const s = page.items[i]!;
    // Built-in list items carry no kind/apiVersion; custom resources' items do.
    parts[i] = custom ? objectJson(s, apiVersion) : listItemJson(storedView(ctx.info, s));
  }
  const text = `{"kind":${JSON.stringify(ctx.info.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(meta)},"items":[${parts.join(',')}]}`;
  sendText(ctx.res, 200, text, warningHeaders(ctx.warnings));
}
