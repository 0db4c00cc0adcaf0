/**
 * The informer's public shapes: its options, events, health and handle. Start with {@link Informer};
 * `informer.ts` builds one.
 */
import type { Observable } from 'rxjs';
import type {
  KubeObject,
  ListOptions,
  ListResult,
  ResourceRef,
  WatchOptions,
  WatchStream,
} from '../client/types.js';
import type { BackoffOptions } from './backoff.js';
import type { Store } from './store.js';
import type { Transform } from './transforms.js';

/** The two client verbs an informer needs; `KubeClient` provides them. */
export interface ListWatcher {
  list(ref: ResourceRef, opts: ListOptions): Promise<ListResult>;
  watch(ref: ResourceRef, opts: WatchOptions): WatchStream | Promise<WatchStream>;
}

export interface InformerOptions<T extends KubeObject = KubeObject> {
  listWatcher: ListWatcher;
  ref: ResourceRef;
  /** Omit for all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Applied to every object before caching; default `compactForCache` (drops managedFields, shares strings). */
  transform?: Transform<T>;
  /** Cache only apiVersion, kind and metadata (applied before `transform`). */
  metadataOnly?: boolean;
  /** No event or bookmark for this long → reconnect. Default 90 s (the server bookmarks every 60 s). */
  idleTimeoutMs?: number;
  /**
   * Fill the cache with a streaming WatchList (`sendInitialEvents`) instead of LIST: one request, and
   * objects arrive one by one instead of a page at a time. Needs Kubernetes ≥ 1.32 (or the feature gate).
   */
  watchList?: boolean;
  /** Re-emit every cached object as an `update` with `resync: true` this often; default off. */
  resyncMs?: number;
  /** List page size; default 500. */
  pageSize?: number;
  /** Server-side watch timeout, picked at random in [min, max] seconds per watch; default [300, 600]. */
  watchTimeoutSeconds?: readonly [number, number];
  /** Reconnect backoff; default 200 ms → 30 s, jittered, endless. */
  backoff?: BackoffOptions;
}

/** A change to the cache. `initial` marks the first list's objects (and replays to late subscribers). */
export interface InformerEvent<T extends KubeObject = KubeObject> {
  type: 'add' | 'update' | 'delete';
  /** The new object; for `delete`, the last state known. */
  object: T;
  /** The cached object this replaced or removed. */
  oldObject?: T;
  initial: boolean;
  /** A periodic resync, not a change. */
  resync: boolean;
}

export interface InformerHealth {
  /** The first list completed. */
  hasSynced: boolean;
  /** Started and not stopped. */
  running: boolean;
  /**
   * A watch stream is open now: it has delivered an event or bookmark and not ended (a just-opened watch
   * counts from its first event; servers bookmark at least every minute when asked, as informers do).
   */
  watching: boolean;
  /** Epoch ms of the last list, event or bookmark. */
  lastEventAt: number | undefined;
  lastError: { message: string; code: string | undefined; at: number } | undefined;
  /** Times the loop watched again after a watch ended or failed, or relisted after a failure. */
  restarts: number;
  /** Lists (or WatchList fills) completed after the first, e.g. after 410 Expired; failed attempts do not count. */
  relists: number;
  resourceVersion: string | undefined;
  size: number;
}

export interface Informer<T extends KubeObject = KubeObject> {
  readonly ref: ResourceRef;
  readonly store: Store<T>;
  /**
   * Cache changes, emitted after the store is updated. A subscriber first receives every object
   * already cached as `add` with `initial: true`, then live changes. Completes on `stop()`; never errors.
   */
  readonly events$: Observable<InformerEvent<T>>;
  /** Starts the loop; calling it again does nothing. */
  start(): void;
  /** Ends the watch and the loop, completes `events$`; resolves when the loop has ended. */
  stop(): Promise<void>;
  hasSynced(): boolean;
  /** Resolves once the first list is cached; rejects if the informer stops first. */
  waitForSync(signal?: AbortSignal): Promise<void>;
  health(): InformerHealth;
}
