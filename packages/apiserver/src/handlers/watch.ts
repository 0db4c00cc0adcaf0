/**
 * WATCH: maps the list options of a watch request onto a {@link serveWatch} stream — where it starts
 * (initial state, a resourceVersion, or the WatchList protocol) and which events it sees.
 *
 * Start with {@link handleWatch}.
 */
import { collectionName } from '../registry/registry.js';
import { isEventsV1, storedView } from '../registry/eventConversion.js';
import type { StoredObject } from '../storage/storedObject.js';
import { serveTooOld, serveWatch } from '../watch/watchStream.js';
import { apiVersionOf, isCustom, type RequestContext } from './context.js';
import { objectFilter } from './filter.js';
import type { ListOptions } from './listOptions.js';
import { tableOf, tableRequested } from './table.js';

/** Without `timeoutSeconds` the real server picks 30–60 minutes (`MinRequestTimeout` × (1 + rand)). */
function defaultTimeoutMs(): number {
  return (1800 + Math.floor(Math.random() * 1800)) * 1000;
}

function sortedObjects(ctx: RequestContext): StoredObject[] {
  const coll = ctx.state.storage.collection(collectionName(ctx.info));
  return [...coll.objects.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

export function handleWatch(ctx: RequestContext, opts: ListOptions): void {
  const filter = objectFilter(ctx);
  const coll = ctx.state.storage.collection(collectionName(ctx.info));
  const rv = opts.resourceVersion;
  const legacyInitial = opts.sendInitialEvents === undefined && (rv === '' || rv === '0');
  const initial = opts.sendInitialEvents === true || legacyInitial;
  let sinceRv: number | undefined;
  if (!initial) {
    sinceRv = rv === '' || rv === '0' ? ctx.state.storage.currentRv : Number(rv);
    if (coll.eventsSince(sinceRv) === undefined) {
      serveTooOld(ctx.res, sinceRv, coll.compactedRv + 1);
      return;
    }
  }
  serveWatch({
    res: ctx.res,
    hub: ctx.state.watches,
    collection: coll,
    resource: collectionName(ctx.info),
    namespace: ctx.namespace,
    userAgent: ctx.req.headers['user-agent'] ?? '',
    kind: ctx.info.kind,
    apiVersion: apiVersionOf(ctx.info),
    builtin: !isCustom(ctx.info),
    filter,
    initial: initial ? sortedObjects(ctx) : undefined,
    sinceRv,
    initialEventsEnd: opts.sendInitialEvents === true && opts.allowWatchBookmarks,
    bookmarkIntervalMs: opts.allowWatchBookmarks ? ctx.state.bookmarkIntervalMs : undefined,
    timeoutMs:
      opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0
        ? opts.timeoutSeconds * 1000
        : defaultTimeoutMs(),
    currentRv: () => ctx.state.storage.currentRv,
    ...(isEventsV1(ctx.info) ? { render: (s: StoredObject) => storedView(ctx.info, s).json } : {}),
    ...(tableRequested(ctx)
      ? { render: (s: StoredObject) => JSON.stringify(tableOf(ctx, [s], s.rv, undefined)) }
      : {}),
  });
}
