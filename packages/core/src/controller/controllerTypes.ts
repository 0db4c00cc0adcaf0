/**
 * The controller's public shapes: its options, the reconcile context and result, and its handle.
 * Start with {@link ControllerOptions}; `controller.ts` builds one.
 */
import type { KubeClient, KubeObject, ResourceRef } from '../client/types.js';
import type { SharedInformerFactory } from '../informer/sharedInformerFactory.js';
import type { RateLimiter } from '../queue/rateLimiter.js';
import type { WorkQueue } from '../queue/types.js';
import type { Predicate } from './predicates.js';

/**
 * What a reconcile returns. `undefined` or `{}`: done (backoff forgotten). `{ requeue: true }`: run
 * again after the rate limiter's backoff. `{ requeueAfter: ms }`: run again after `ms` (backoff
 * forgotten); it wins over `requeue`.
 */
export type ReconcileResult = undefined | void | { requeue?: boolean; requeueAfter?: number };

export interface ReconcileContext {
  /** `namespace/name`, or `name` for cluster-scoped kinds. */
  key: string;
  namespace: string | undefined;
  name: string;
  /** Failed tries of this key since its last success (0 on a first try). */
  attempt: number;
  client: KubeClient;
  /** Aborted when the controller stops: pass it to long waits. */
  signal: AbortSignal;
  log: ControllerLogger;
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
  /** Filters on the primary kind's updates; all must pass. Owned and watched kinds are not filtered. */
  predicates?: readonly Predicate<T>[];
  /** Watch one namespace only; default all. */
  namespace?: string;
  /** Workers; one key is never reconciled by two at once. Default 1. */
  maxConcurrentReconciles?: number;
  /** Backoff for failures and `{ requeue: true }`; default `defaultControllerRateLimiter()`. */
  rateLimiter?: RateLimiter<string>;
  /** Default: errors to `console.error`, other levels dropped. */
  log?: ControllerLogger;
  /**
   * Called with the object as currently cached. When the object is gone from the cache (deleted), it
   * is not called: cleanup that must happen belongs in a finalizer, while the object still exists.
   */
  reconcile: (obj: T, ctx: ReconcileContext) => ReconcileResult | Promise<ReconcileResult>;
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
