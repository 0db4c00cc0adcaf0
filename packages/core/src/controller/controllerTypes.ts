/**
 * The controller's public shapes: its options, the reconcile context and result, and its handle.
 * Start with {@link ControllerOptions}; `controller.ts` builds one, `reconcileContext.ts` builds the
 * context each reconcile gets.
 */
import type { KubeClient, KubeObject, ResourceRef } from '../client/types.js';
import type { SharedInformerFactory } from '../informer/sharedInformerFactory.js';
import type { WorkQueueMetrics } from '../queue/metrics.js';
import type { RateLimiter } from '../queue/rateLimiter.js';
import type { EventOutcome } from '../reconcile/eventRecorder.js';
import type { StatusUpdater } from '../reconcile/statusUpdater.js';
import type { WorkQueue } from '../queue/types.js';
import type { ControllerMetrics } from './controllerMetrics.js';
import type { Predicate } from './predicates.js';

/**
 * What a reconcile returns. `undefined` or `{}`: done (backoff forgotten). `{ requeue: true }`: run
 * again after the rate limiter's backoff. `{ requeueAfter: ms }`: run again after `ms` (backoff
 * forgotten); it wins over `requeue`.
 */
export type ReconcileResult = undefined | void | { requeue?: boolean; requeueAfter?: number };

/** Cached reads over the controller's shared informers: no request once an informer has synced. */
export interface CachedReader {
  /**
   * The cached object, or `undefined` when the cache has none. The first read of a kind the
   * controller does not watch yet creates its informer and waits for it to sync.
   */
  get<S extends KubeObject = KubeObject>(
    ref: ResourceRef,
    name: string,
    options?: { namespace?: string },
  ): Promise<S | undefined>;
  /** Cached objects of a kind, optionally in one namespace and matching a label selector. */
  list<S extends KubeObject = KubeObject>(
    ref: ResourceRef,
    options?: { namespace?: string; labelSelector?: string },
  ): Promise<S[]>;
}

/** A logger bound to one reconcile: every line carries the object, the key and the reconcile id. */
export interface ReconcileLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, error?: unknown, fields?: Record<string, unknown>): void;
}

/** Kubernetes Events `regarding` the primary object, through the controller's one recorder; never throws. */
export interface BoundEventRecorder {
  normal(reason: string, note: string, action?: string): Promise<EventOutcome>;
  warning(reason: string, note: string, action?: string): Promise<EventOutcome>;
}

export interface ReconcileContext<T extends KubeObject = KubeObject> {
  /** `namespace/name`, or `name` for cluster-scoped kinds. */
  key: string;
  namespace: string | undefined;
  name: string;
  /** Failed tries of this key since its last success (0 on a first try). */
  attempt: number;
  /** Aborted when the controller stops: pass it to long waits. */
  signal: AbortSignal;
  /** A short random id, on every log line of this reconcile. */
  reconcileId: string;
  /** The primary object, as cached (the same object `reconcile` receives). */
  object: T;
  /**
   * The writer. Every write's resourceVersion is recorded so that the next reconcile of this key
   * waits until the caches have seen it (read-your-writes).
   */
  client: KubeClient;
  reader: CachedReader;
  log: ReconcileLogger;
  /** Events about the primary object. */
  events: BoundEventRecorder;
  /**
   * The primary's status subresource (conditions with `lastTransitionTime` only on change,
   * `observedGeneration`). When the reconcile returns without error after changing it and not
   * committing, the controller commits it; a commit that fails (409) fails the reconcile.
   */
  status: StatusUpdater<T>;
  /** Sets the primary as `child`'s controller owner; throws `AlreadyOwnedError` when another controller owns it. */
  own<C extends KubeObject>(child: C): C;
  /**
   * Server-side applies `desired` with the controller's field manager, skipping the request when the
   * cached object already holds it (see `applyObject`). A namespaced `desired` without a namespace goes
   * in the primary's. The write counts for read-your-writes.
   */
  apply<C extends KubeObject = KubeObject>(
    ref: ResourceRef,
    desired: C,
  ): Promise<{ object: C; changed: boolean }>;
}

/** One log line; `error` is set for failures. */
export interface ControllerLogEntry {
  level: 'debug' | 'info' | 'error';
  controller: string;
  msg: string;
  key?: string;
  error?: unknown;
  /** The object a reconcile is about (set by the reconcile context's bound logger). */
  object?: { kind?: string; namespace?: string; name: string };
  /** One id per reconcile, shared by every line that reconcile logs. */
  reconcileId?: string;
  /** Extra structured fields (JSON-serialisable). */
  fields?: Record<string, unknown>;
}
export type ControllerLogger = (entry: ControllerLogEntry) => void;

/** Another kind whose changes map to keys of the primary kind. */
export interface WatchSource<S extends KubeObject = KubeObject> {
  ref: ResourceRef;
  /** The primary keys (`namespace/name`) to reconcile when `obj` changes; a throw is logged and ignored. */
  map: (obj: S) => readonly string[];
}

export interface ControllerOptions<T extends KubeObject = KubeObject> {
  /** Names the queue and every log line; unique per process. */
  name: string;
  client: KubeClient;
  /** Where the controller gets its informers; share one factory between controllers. */
  informers: SharedInformerFactory;
  /** The primary kind: the object each reconcile is about. */
  for: ResourceRef;
  /** Kinds this controller creates with a controller ownerReference to the primary object. */
  owns?: readonly ResourceRef[];
  watches?: readonly WatchSource[];
  /**
   * Filters on the primary kind's updates; all must pass. Owned and watched kinds are not filtered.
   * An update that adds or removes the pause annotation always passes.
   */
  predicates?: readonly Predicate<T>[];
  /** Watch one namespace only; default all. */
  namespace?: string;
  /** Workers; one key is never reconciled by two at once. Default 1. */
  maxConcurrentReconciles?: number;
  /** Backoff for failures and `{ requeue: true }`; default `defaultControllerRateLimiter()`. */
  rateLimiter?: RateLimiter<string>;
  /** Default: errors to `console.error`, other levels dropped. */
  log?: ControllerLogger;
  /** Reconcile outcomes, durations and busy workers (controller-runtime's metrics). */
  metrics?: ControllerMetrics;
  /** The work queue's metrics hooks. */
  queueMetrics?: WorkQueueMetrics;
  /** Field manager of `ctx.apply`; default the controller's name. */
  fieldManager?: string;
  /** `reportingController` of the Events `ctx.events` writes; default `steward.dev/<name>`. */
  eventsController?: string;
  /** `reportingInstance` of those Events; default `$POD_NAME`, else the host name. */
  eventsInstance?: string;
  /**
   * With `cleanup`: the finalizer this controller adds. Default `<group of the primary kind, or
   * steward.dev>/<name>`; must be a qualified name with a prefix.
   */
  finalizer?: string;
  /**
   * How long a reconcile waits for the caches to catch up with the previous reconcile's writes
   * before it is requeued with backoff instead. Default 5000 ms.
   */
  readYourWritesTimeoutMs?: number;
  /**
   * Called with the object as currently cached. When the object is gone from the cache (deleted), it
   * is not called. Without `cleanup`, it is also called for objects being deleted
   * (`metadata.deletionTimestamp` set); with `cleanup`, those go to `cleanup` instead.
   */
  reconcile: (obj: T, ctx: ReconcileContext<T>) => ReconcileResult | Promise<ReconcileResult>;
  /**
   * Turns the finalizer on: added before the first reconcile; once the object is being deleted,
   * `cleanup` runs instead of `reconcile`, and the finalizer is removed when it returns done. A throw
   * or a requeue keeps the finalizer (and the object) and retries. See finalizer/finalizer.ts.
   */
  cleanup?: (obj: T, ctx: ReconcileContext<T>) => ReconcileResult | Promise<ReconcileResult>;
}

export interface Controller {
  readonly name: string;
  /** The work queue (for metrics and tests); keys are `namespace/name`. */
  readonly queue: WorkQueue<string>;
  /**
   * Subscribes to the informers, starts the factory, waits for the caches to sync, then starts the
   * workers. Resolves when the workers run.
   */
  start(signal?: AbortSignal): Promise<void>;
  /**
   * Stops intake, waits up to `deadlineMs` (default 30 s) for running reconciles, aborts their
   * `signal`. Does not stop the shared informer factory.
   */
  stop(options?: { deadlineMs?: number }): Promise<void>;
}
