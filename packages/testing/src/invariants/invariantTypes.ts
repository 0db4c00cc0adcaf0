/**
 * The shapes of invariants checked on every event: the {@link Snapshot} a check reads, the
 * {@link InvariantEvent} that triggered it, the {@link Invariant} itself and the {@link Violation} it
 * reports. `invariant.ts` builds invariants; `watchInvariants.ts` runs them.
 */
import type { KubeObject, ResourceRef } from '@steward/core';
import type { LabelSelector } from './labelSelector.js';

/** The cluster as the invariant watch's informers see it now. */
export interface Snapshot {
  /** The cached object, or undefined; `namespace` is ignored for cluster-scoped kinds. */
  // oxlint-disable-next-line typescript/no-unnecessary-type-parameters -- the caller names the type it reads
  get<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
  ): T | undefined;
  /** Cached objects of a kind, optionally in one namespace and matching a label selector. */
  list<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    options?: { namespace?: string; labelSelector?: LabelSelector },
  ): T[];
}

/**
 * What made the check run: a cache change (`add`, `update`, `delete`, with the object), `sync` (once,
 * when every informer has listed) or `final` (from `assertNone()`/`check()`, after the caches settled).
 */
export interface InvariantEvent {
  type: 'add' | 'update' | 'delete' | 'sync' | 'final';
  /** The kind's reference, for cache changes. */
  ref?: ResourceRef;
  /** The new object; for `delete`, its last state (whose resourceVersion is the deletion's). */
  object?: KubeObject;
  oldObject?: KubeObject;
}

/**
 * `undefined`, `true` or nothing: holds. `false`: violated (the invariant's name is the message). A
 * string (or several): violated, with that message.
 */
export type CheckResult = void | undefined | boolean | string | readonly string[];

export type InvariantCheck = (snapshot: Snapshot, event: InvariantEvent) => CheckResult;

export interface Invariant {
  readonly name: string;
  /** The kinds the check reads; the watch adds them to the kinds it watches. */
  readonly kinds: readonly ResourceRef[];
  /** Returns a fresh check for one watch; state a check keeps (history) lives in its closure. */
  begin(): InvariantCheck;
}

/** The event a violation was seen on, without the objects. */
export interface EventSummary {
  type: InvariantEvent['type'];
  kind?: string;
  namespace?: string;
  name?: string;
  resourceVersion?: string;
}

export interface Violation {
  invariant: string;
  message: string;
  event: EventSummary;
  /** Epoch ms. */
  at: number;
}
