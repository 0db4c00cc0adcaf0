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

/** The first string after every key that starts with `prefix` (`ns/` → `ns0`), or undefined for ''. */
function prefixEnd(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
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
  const snapshot = coll.view(rv);
  if (!snapshot) throw expired('The resourceVersion for the provided list is too old.');
  // A namespaced request reads only its namespace's key range (the filter would reject the rest).
  const prefix = ctx.info.namespaced && ctx.namespace !== '' ? `${ctx.namespace}/` : '';
  const to = prefixEnd(prefix);
  const from = start > prefix ? start : prefix;
  const items: StoredObject[] = [];
  let more = false;
  for (const key of snapshot.keys(from, to)) {
    const s = snapshot.get(key)!;
    if (!filter(s)) continue;
    if (opts.limit > 0 && items.length === opts.limit) {
      more = true;
      break;
    }
    items.push(s);
  }
  const page: ListPage = { items, rv };
  if (more) {
    const last = items[items.length - 1]!;
    const nextStart = `${last.namespace}/${last.name}\u0000`;
    page.continueToken = encodeContinue({ rv, start: nextStart });
    // Counted over the request's key range (its namespace), as etcd counts the rest of the range.
    if (!filter.selective) page.remainingItemCount = snapshot.count(nextStart, to);
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
