/**
 * The runner's own view of a run: one informer per observed kind on the test's client (faults target
 * only the operator's User-Agent, so this view is never stale), counting creates and deletes per
 * object and checking the invariants on every event. Start with {@link clusterObserver}.
 */
import { informer } from '@steward/core';
import type { Informer, KubeClient, KubeObject, ResourceRef } from '@steward/core';
import type { ClusterSnapshot, Invariant } from './perturbationTypes.js';
import { stableName } from './recordingClient.js';

export interface ObjectCounts {
  created: number;
  deleted: number;
}

export interface ClusterObserver {
  /** Starts watching `ref` too (no-op when already watched); resolves once its first list is in. */
  watch(ref: ResourceRef): Promise<void>;
  snapshot(): ClusterSnapshot;
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

export function invariantName(invariant: Invariant, index: number): string {
  if (typeof invariant !== 'function') return invariant.name;
  return invariant.name === '' ? `invariant #${index + 1}` : invariant.name;
}

function snapshotOf(objects: KubeObject[]): ClusterSnapshot {
  return {
    objects,
    list: (kind, namespace) =>
      objects.filter(
        (o) => o.kind === kind && (namespace === undefined || o.metadata?.namespace === namespace),
      ),
    get: (kind, namespace, name) =>
      objects.find(
        (o) =>
          o.kind === kind && o.metadata?.name === name && (o.metadata.namespace ?? '') === (namespace ?? ''),
      ),
  };
}

export function clusterObserver(client: KubeClient, invariants: readonly Invariant[] = []): ClusterObserver {
  const informers = new Map<string, Informer>();
  const refs: ResourceRef[] = [];
  const counts = new Map<string, ObjectCounts>();
  const violations: string[] = [];
  const broken = new Set<number>();
  let lastChangeAt = Date.now();
  let waiters: (() => void)[] = [];

  const snapshot = (): ClusterSnapshot => {
    const objects: KubeObject[] = [];
    for (const inf of informers.values()) objects.push(...inf.store.list());
    return snapshotOf(objects);
  };

  const check = (): void => {
    if (invariants.length === broken.size) return;
    const snap = snapshot();
    invariants.forEach((invariant, i) => {
      if (broken.has(i)) return;
      let message: string | undefined;
      try {
        message = typeof invariant === 'function' ? invariant(snap) : invariant.check(snap);
      } catch (error) {
        message = `threw ${error instanceof Error ? error.message : String(error)}`;
      }
      if (message === undefined) return;
      broken.add(i);
      violations.push(`invariant ${invariantName(invariant, i)}: ${message}`);
    });
  };

  const onEvent = (type: 'add' | 'update' | 'delete', object: KubeObject): void => {
    lastChangeAt = Date.now();
    if (type !== 'update') {
      const id = objectId(object);
      const c = counts.get(id) ?? { created: 0, deleted: 0 };
      if (type === 'add') c.created++;
      else c.deleted++;
      counts.set(id, c);
    }
    check();
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
      inf.events$.subscribe(({ type, object, resync }) => {
        if (!resync) onEvent(type, object);
      });
      inf.start();
      await inf.waitForSync();
    },
    snapshot,
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
