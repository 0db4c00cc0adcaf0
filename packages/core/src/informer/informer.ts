/**
 * An informer: a cache of one kind kept equal to the API server by list-then-watch, which recovers
 * from every failure by itself and never stops until `stop()`. Start with {@link informer}; the loop
 * itself is `run()` inside it, and the cache is {@link Store}.
 */
import { Observable, Subject } from 'rxjs';
import type { KubeObject, ResourceRef, WatchEvent, WatchStream } from '../client/types.js';
import { onAbort } from './abortWaiters.js';
import { backoff, sleep } from './backoff.js';
import {
  InformerIdleError,
  InformerStoppedError,
  WatchListIncompleteError,
  errorFromStatus,
  isExpired,
  retryAfterMsOf,
} from './informerErrors.js';
import type { Informer, InformerEvent, InformerHealth, InformerOptions } from './informerTypes.js';
import { objectKey, store, type StoreChange } from './store.js';
import { cachedForm } from './transforms.js';

export type {
  Informer,
  InformerEvent,
  InformerHealth,
  InformerOptions,
  ListWatcher,
} from './informerTypes.js';

const noop = (): void => undefined;

/** The bookmark annotation that ends a WatchList's initial events. */
const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/** A watch that ends sooner than this without an event counts as a failure (backs off). */
const SHORT_WATCH_MS = 1000;

function describe(ref: ResourceRef, namespace: string | undefined): string {
  const gv = ref.group ? `${ref.group}/${ref.version}` : ref.version;
  return `${ref.plural} (${gv}${namespace ? `, namespace ${namespace}` : ''})`;
}

/** Creates an informer; nothing happens until `start()`. */
export function informer<T extends KubeObject = KubeObject>(options: InformerOptions<T>): Informer<T> {
  const { listWatcher, ref, namespace } = options;
  const selectors = {
    ...(namespace ? { namespace } : {}),
    ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
    ...(options.fieldSelector ? { fieldSelector: options.fieldSelector } : {}),
  };
  const transform = cachedForm<T>(ref, options);
  const idleTimeoutMs = options.idleTimeoutMs ?? 90_000;
  const [minTimeout, maxTimeout] = options.watchTimeoutSeconds ?? [300, 600];
  const what = describe(ref, namespace);

  const cache = store<T>();
  const subject = new Subject<InformerEvent<T>>();
  const retry = backoff(options.backoff);
  const abort = new AbortController();
  let started = false;
  let needList = true;
  /** Set when a WatchList failed: the next fill is a LIST (client-go does the same: progress first). */
  let listInstead = false;
  let stopped = false;
  let synced = false;
  let loop: Promise<void> | undefined;
  let current: WatchStream | undefined;
  let resyncTimer: ReturnType<typeof setInterval> | undefined;
  const waiters = new Set<{ resolve: () => void; reject: (e: unknown) => void }>();
  const health = {
    watching: false,
    lastEventAt: undefined as number | undefined,
    lastError: undefined as InformerHealth['lastError'],
    restarts: 0,
    relists: 0,
    resourceVersion: undefined as string | undefined,
  };

  function emit(change: StoreChange<T>, initial: boolean, resync = false): void {
    const event: InformerEvent<T> = { type: change.type, object: change.object, initial, resync };
    if (change.oldObject !== undefined) event.oldObject = change.oldObject;
    subject.next(event);
  }

  /** Replaces the cache with a full listing, already transformed (from LIST or a WatchList). */
  function swap(items: readonly T[], resourceVersion: string | undefined): void {
    const changes = cache.replace(items);
    if (resourceVersion) health.resourceVersion = resourceVersion;
    health.lastEventAt = Date.now();
    needList = false;
    const initial = !synced;
    // Counted once the cache holds the new listing, not when a (possibly failing) relist begins.
    if (!initial) health.relists++;
    synced = true;
    for (const change of changes) emit(change, initial);
    for (const w of waiters) w.resolve();
    waiters.clear();
  }

  async function list(): Promise<void> {
    // Transformed page by page as the list arrives (when the ListWatcher applies `transform`), so
    // what the transform drops dies young: collecting it later is most of a large list's GC cost.
    const transformed: T[] = [];
    const result = await listWatcher.list(ref, {
      ...selectors,
      limit: options.pageSize ?? 500,
      transform: (o) => {
        const t = transform(o);
        transformed.push(t);
        return t;
      },
      signal: abort.signal,
    });
    if (stopped) return;
    // A ListWatcher that ignores `transform` returns the items as received.
    const applied = transformed.length === result.items.length && transformed[0] === result.items[0];
    swap(applied ? transformed : result.items.map((o) => transform(o)), result.resourceVersion);
  }

  function apply(event: WatchEvent): void {
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED': {
        const obj = transform(event.object);
        const old = cache.upsert(obj);
        // A replayed event (same resourceVersion) changes nothing: no event for it.
        if (old?.metadata.resourceVersion === obj.metadata.resourceVersion) break;
        emit(
          old === undefined ? { type: 'add', object: obj } : { type: 'update', object: obj, oldObject: old },
          false,
        );
        break;
      }
      case 'DELETED': {
        const obj = transform(event.object);
        const old = cache.remove(objectKey(obj));
        if (old !== undefined) emit({ type: 'delete', object: obj, oldObject: old }, false);
        break;
      }
      case 'BOOKMARK':
        break;
      case 'ERROR':
        throw errorFromStatus(
          event.object,
          `watch of ${what} from resourceVersion ${health.resourceVersion ?? '""'}`,
        );
    }
    const rv = event.object.metadata.resourceVersion;
    if (rv) health.resourceVersion = rv;
  }

  /**
   * One watch from the cached resourceVersion; returns whether it made progress. With `fromScratch`
   * (WatchList) the initial ADDED events are gathered aside and swapped in at the end bookmark.
   */
  async function watch(fromScratch: boolean): Promise<boolean> {
    const span = maxTimeout - minTimeout;
    const stream = await listWatcher.watch(ref, {
      ...selectors,
      ...(fromScratch
        ? { sendInitialEvents: true }
        : health.resourceVersion
          ? { resourceVersion: health.resourceVersion }
          : {}),
      allowWatchBookmarks: true,
      timeoutSeconds: minTimeout + Math.floor(Math.random() * (span + 1)),
      idleTimeoutMs,
      signal: abort.signal,
    });
    current = stream;
    const began = Date.now();
    let events = 0;
    let idle = false;
    let pending: T[] | undefined = fromScratch ? [] : undefined;
    // Our own deadline too, so a half-open connection is caught even if the client has none.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        idle = true;
        stream.close();
      }, idleTimeoutMs);
    };
    try {
      if (stopped) return false;
      arm();
      for await (const event of stream) {
        if (stopped) break;
        arm();
        // The client sends the request when iteration starts and reports nothing until bytes come:
        // the first event (or bookmark) is the first proof that the stream is established.
        health.watching = true;
        health.lastEventAt = Date.now();
        events++;
        if (pending !== undefined) {
          const meta = event.object.metadata;
          if (event.type === 'ADDED') {
            pending.push(transform(event.object));
            continue;
          }
          if (event.type === 'BOOKMARK' && meta.annotations?.[INITIAL_EVENTS_END] === 'true') {
            swap(pending, meta.resourceVersion);
            pending = undefined;
            continue;
          }
        }
        apply(event);
      }
    } finally {
      clearTimeout(timer);
      health.watching = false;
      current = undefined;
      stream.close();
    }
    if (idle && !stopped) {
      throw new InformerIdleError(`watch of ${what}: nothing received for ${idleTimeoutMs} ms; reconnecting`);
    }
    if (pending !== undefined && !stopped) {
      throw new WatchListIncompleteError(
        `WatchList of ${what} ended after ${pending.length} initial objects, before the initial-events-end ` +
          'bookmark; listing instead (a proxy or server may limit how much one watch may send at once)',
      );
    }
    return events > 0 || Date.now() - began >= SHORT_WATCH_MS;
  }

  async function run(): Promise<void> {
    while (!abort.signal.aborted) {
      const fromScratch = needList && options.watchList === true && !listInstead;
      try {
        if (needList && !fromScratch) await list();
        listInstead = false;
        if (stopped) break;
        if (await watch(fromScratch)) retry.reset();
        else await sleep(retry.next(), abort.signal);
      } catch (error) {
        if (stopped) break;
        if (fromScratch) listInstead = true;
        health.lastError = {
          message: error instanceof Error ? error.message : String(error),
          code: (error as { code?: unknown } | null)?.code?.toString(),
          at: Date.now(),
        };
        if (isExpired(error)) needList = true;
        const delay = retry.next();
        await sleep(Math.max(delay, retryAfterMsOf(error) ?? 0), abort.signal);
      }
      if (stopped) break;
      health.restarts++;
    }
  }

  return {
    ref,
    store: cache,
    events$: new Observable<InformerEvent<T>>((subscriber) => {
      if (stopped) {
        subscriber.complete();
        return undefined;
      }
      for (const object of cache.list())
        subscriber.next({ type: 'add', object, initial: true, resync: false });
      return subject.subscribe(subscriber);
    }),
    start() {
      if (started || stopped) return;
      started = true;
      loop = run();
      if (options.resyncMs) {
        resyncTimer = setInterval(() => {
          if (!synced || stopped) return;
          for (const object of cache.list()) emit({ type: 'update', object, oldObject: object }, false, true);
        }, options.resyncMs);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      abort.abort();
      current?.close();
      clearInterval(resyncTimer);
      const error = new InformerStoppedError(`informer for ${what} stopped before its first list completed`);
      for (const w of waiters) w.reject(error);
      waiters.clear();
      await loop;
      subject.complete();
    },
    hasSynced: () => synced,
    waitForSync(signal) {
      if (synced) return Promise.resolve();
      if (stopped) return Promise.reject(new InformerStoppedError(`informer for ${what} is stopped`));
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<void>((resolve, reject) => {
        let cancel: () => void = noop;
        const waiter = {
          resolve: () => {
            cancel();
            resolve();
          },
          reject: (error: unknown) => {
            cancel();
            reject(error);
          },
        };
        waiters.add(waiter);
        // One shared listener per signal, dropped as soon as this wait ends however it ends.
        if (signal) {
          cancel = onAbort(signal, () => {
            waiters.delete(waiter);
            reject(signal.reason);
          });
        }
      });
    },
    health: () => ({
      hasSynced: synced,
      running: started && !stopped,
      ...health,
      size: cache.size,
    }),
  };
}
