/**
 * The runner's own view of a run: one informer per observed kind on the test's client (faults target
 * only the operator's User-Agent, so this view is never stale), counting creates and deletes per
 * object and checking the invariants on every event. Start with {@link clusterObserver}.
 */
import { informer } from '@steward/core';
import type { Informer, KubeClient, KubeObject, ResourceRef } from '@steward/core';
import type { CheckResult, InvariantCheck, InvariantEvent, Snapshot } from '../invariants/invariantTypes.js';
import { selectorMatcher } from '../invariants/labelSelector.js';
import type { PerturbationInvariant } from './perturbationTypes.js';
import { stableName } from './recordingClient.js';

export interface ObjectCounts {
  created: number;
  deleted: number;
}

export interface ClusterObserver {
  /** Starts watching `ref` too (no-op when already watched); resolves once its first list is in. */
  watch(ref: ResourceRef): Promise<void>;
  snapshot(): Snapshot;
  /** Every observed object, Events left out. */
  objects(): KubeObject[];
  /** Per stable id (`ConfigMap default/db-config`, generated names as `prefix*`). */
  readonly counts: ReadonlyMap<string, ObjectCounts>;
  /** Each invariant's first failure in this run, as `name: message`. */
  readonly violations: readonly string[];
  /** `Date.now()` of the last observed change. */
  readonly lastChangeAt: number;
  /** Resolves on the next observed change (or after `ms`). */
  nextChange(ms: number): Promise<void>;
  readonly refs: readonly ResourceRef[];
  stop(): Promise<void>;
}

/** `Kind namespace/name`, the way findings name objects. */
export function objectId(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind ?? '?'} ${ns === undefined || ns === '' ? '' : `${ns}/`}${stableName(obj)}`;
}

export function refKey(ref: ResourceRef): string {
  return `${ref.plural}.${ref.group}`;
}

export function invariantName(invariant: PerturbationInvariant, index: number): string {
  return invariant.name === '' ? `invariant #${index + 1}` : invariant.name;
}

/** The kinds an invariant reads (bare checks declare none). */
export function invariantKinds(invariant: PerturbationInvariant): readonly ResourceRef[] {
  return typeof invariant === 'function' ? [] : invariant.kinds;
}

/** The messages of a failed check; none when it holds. */
function messages(result: CheckResult, name: string): string[] {
  if (result === undefined || result === true) return [];
  if (result === false) return [name];
  return typeof result === 'string' ? [result] : [...result];
}

export function clusterObserver(
  client: KubeClient,
  invariants: readonly PerturbationInvariant[] = [],
): ClusterObserver {
  const informers = new Map<string, Informer>();
  const refs: ResourceRef[] = [];
  const counts = new Map<string, ObjectCounts>();
  const violations: string[] = [];
  const broken = new Set<number>();
  // A fresh check per run: invariants with history keep it in the closure `begin()` returns.
  const checks: InvariantCheck[] = invariants.map((i) => (typeof i === 'function' ? i : i.begin()));
  let lastChangeAt = Date.now();
  let waiters: (() => void)[] = [];

  const snapshot: Snapshot = {
    // oxlint-disable-next-line typescript/no-unnecessary-type-parameters -- Snapshot's signature: the caller names the type
    get<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string) {
      const store = informers.get(refKey(ref))?.store;
      return store?.get(ref.namespaced && namespace ? `${namespace}/${name}` : name) as T | undefined;
    },
    list<T extends KubeObject = KubeObject>(ref: ResourceRef, options: Parameters<Snapshot['list']>[1] = {}) {
      const items = informers.get(refKey(ref))?.store.list() ?? [];
      const matches =
        options.labelSelector === undefined ? undefined : selectorMatcher(options.labelSelector);
      return items.filter(
        (o) =>
          (options.namespace === undefined || o.metadata.namespace === options.namespace) &&
          (matches === undefined || matches(o.metadata.labels)),
      ) as T[];
    },
  };

  const check = (event: InvariantEvent): void => {
    checks.forEach((run, i) => {
      if (broken.has(i)) return;
      const invariant = invariants[i] as PerturbationInvariant;
      let found: string[];
      try {
        found = messages(run(snapshot, event), invariantName(invariant, i));
      } catch (error) {
        found = [`threw ${error instanceof Error ? error.message : String(error)}`];
      }
      if (found.length === 0) return;
      // The first failure of each invariant is enough to name the run; later ones repeat it.
      broken.add(i);
      violations.push(`invariant ${invariantName(invariant, i)}: ${found.join('; ')}`);
    });
  };

  const onEvent = (
    ref: ResourceRef,
    type: 'add' | 'update' | 'delete',
    object: KubeObject,
    oldObject?: KubeObject,
  ): void => {
    lastChangeAt = Date.now();
    if (type !== 'update') {
      const id = objectId(object);
      const c = counts.get(id) ?? { created: 0, deleted: 0 };
      if (type === 'add') c.created++;
      else c.deleted++;
      counts.set(id, c);
    }
    check({ type, ref, object, ...(oldObject === undefined ? {} : { oldObject }) });
    const wake = waiters;
    waiters = [];
    for (const w of wake) w();
  };

  return {
    async watch(ref) {
      const key = refKey(ref);
      const existing = informers.get(key);
      if (existing) return existing.waitForSync();
      const inf = informer({ listWatcher: client, ref, backoff: { initialMs: 20, maxMs: 200 } });
      informers.set(key, inf);
      refs.push(ref);
      inf.events$.subscribe(({ type, object, oldObject, resync }) => {
        if (!resync) onEvent(ref, type, object, oldObject);
      });
      inf.start();
      await inf.waitForSync();
    },
    snapshot: () => snapshot,
    objects: () =>
      [...informers.values()].flatMap((inf) => inf.store.list()).filter((o) => o.kind !== 'Event'),
    counts,
    violations,
    get lastChangeAt() {
      return lastChangeAt;
    },
    nextChange(ms) {
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    refs,
    async stop() {
      await Promise.all([...informers.values()].map((inf) => inf.stop()));
      for (const w of waiters) w();
    },
  };
}
