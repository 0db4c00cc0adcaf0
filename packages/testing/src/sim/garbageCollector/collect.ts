/**
 * What the simulated garbage collector does with one object, as Kubernetes' collector does it: an
 * object whose owners are all absent is deleted; an owner being deleted in the foreground has its
 * dependents deleted first; an orphaning owner has its references removed from its dependents. Start
 * with {@link collect}; `garbageCollector.ts` wires it into controllers.
 */
import { ConflictError, NotFoundError } from '@steward/core';
import type { Informer, KubeClient, KubeObject, OwnerReference, ResourceRef } from '@steward/core';
import type { KindRegistry } from './gcKinds.js';

export const OWNER_UID_INDEX = 'steward.dev/owner-uids';
export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

export interface CollectDeps {
  client: KubeClient;
  kinds: KindRegistry;
  /** The informer of a watched kind (with the {@link OWNER_UID_INDEX} indexer), else `undefined`. */
  informerOf(ref: ResourceRef): Informer | undefined;
  /** Every kind watched now. */
  watched(): readonly ResourceRef[];
}

export interface Dependent {
  ref: ResourceRef;
  object: KubeObject;
}

export interface CollectOutcome {
  /** Ask again later: an owner of a kind no informer watches, or dependents still blocking. */
  requeueAfter?: number;
}

type OwnerState = 'solid' | 'dangling' | 'waiting' | 'unresolvable';

const ownerRefs = (obj: KubeObject): OwnerReference[] => obj.metadata.ownerReferences ?? [];
const hasFinalizer = (obj: KubeObject, name: string): boolean =>
  (obj.metadata.finalizers ?? []).includes(name);
const ignoreGone = (error: unknown): void => {
  if (!(error instanceof NotFoundError) && !(error instanceof ConflictError)) throw error;
};

/** Every cached object of a watched kind that names `uid` among its owners. */
export function dependentsOf(deps: CollectDeps, uid: string): Dependent[] {
  const found: Dependent[] = [];
  for (const ref of deps.watched()) {
    for (const object of deps.informerOf(ref)?.store.byIndex(OWNER_UID_INDEX, uid) ?? [])
      found.push({ ref, object });
  }
  return found;
}

/** Runs the collector's step for `obj` of kind `ref`: as an owner being deleted, or as a dependent. */
export async function collect(deps: CollectDeps, ref: ResourceRef, obj: KubeObject): Promise<CollectOutcome> {
  if (obj.metadata.deletionTimestamp !== undefined) {
    if (hasFinalizer(obj, ORPHAN)) return orphanDependents(deps, ref, obj);
    if (hasFinalizer(obj, FOREGROUND)) return deleteDependentsFirst(deps, ref, obj);
    return {}; // already going; its dependents are collected once it is gone
  }
  return attemptToDelete(deps, ref, obj);
}

/** The `orphan` finalizer: drop this owner from every dependent's ownerReferences, then the finalizer. */
async function orphanDependents(
  deps: CollectDeps,
  ref: ResourceRef,
  owner: KubeObject,
): Promise<CollectOutcome> {
  const uid = owner.metadata.uid ?? '';
  for (const dep of dependentsOf(deps, uid)) await removeOwnerRefs(deps, dep, new Set([uid]));
  await removeFinalizer(deps, ref, owner, ORPHAN);
  return {};
}

/**
 * The `foregroundDeletion` finalizer: every dependent is deleted, and the owner goes (its finalizer is
 * removed) once no dependent with `blockOwnerDeletion` is left, even one still held by finalizers.
 */
async function deleteDependentsFirst(
  deps: CollectDeps,
  ref: ResourceRef,
  owner: KubeObject,
): Promise<CollectOutcome> {
  const uid = owner.metadata.uid ?? '';
  const dependents = dependentsOf(deps, uid);
  for (const dep of dependents) {
    if (dep.object.metadata.deletionTimestamp === undefined) await attemptToDelete(deps, dep.ref, dep.object);
  }
  const blocking = dependents.filter((d) =>
    ownerRefs(d.object).some((r) => r.uid === uid && r.blockOwnerDeletion === true),
  );
  if (blocking.length > 0) return { requeueAfter: 1000 }; // their deletion events also wake the owner
  await removeFinalizer(deps, ref, owner, FOREGROUND);
  return {};
}

/** A dependent: deleted when no owner is solid; references to absent or waiting owners dropped otherwise. */
async function attemptToDelete(
  deps: CollectDeps,
  ref: ResourceRef,
  obj: KubeObject,
): Promise<CollectOutcome> {
  const refs = ownerRefs(obj);
  if (refs.length === 0) return {};
  const states = await Promise.all(refs.map((r) => ownerState(deps, ref, obj, r)));
  // An owner of a kind no informer watches sends no event when it goes: look again later.
  const unwatched = refs.some((r) => {
    const ownerRef = deps.kinds.resolve(r.apiVersion, r.kind);
    return ownerRef === undefined || deps.informerOf(ownerRef) === undefined;
  });
  const outcome: CollectOutcome = unwatched ? { requeueAfter: 5000 } : {};
  if (states.includes('unresolvable')) return outcome;
  if (states.includes('solid')) {
    const drop = new Set(refs.filter((_, i) => states[i] !== 'solid').map((r) => r.uid));
    if (drop.size > 0) await removeOwnerRefs(deps, { ref, object: obj }, drop);
    return outcome;
  }
  const ns = obj.metadata.namespace;
  const uid = obj.metadata.uid ?? '';
  const propagationPolicy =
    states.includes('waiting') && dependentsOf(deps, uid).length > 0
      ? 'Foreground'
      : hasFinalizer(obj, ORPHAN)
        ? 'Orphan'
        : hasFinalizer(obj, FOREGROUND)
          ? 'Foreground'
          : 'Background';
  await deps.client
    .delete(ref, obj.metadata.name ?? '', {
      ...(ns === undefined ? {} : { namespace: ns }),
      propagationPolicy,
      preconditions: { uid },
    })
    .catch(ignoreGone);
  return {};
}

/**
 * As Kubernetes judges an ownerReference: the owner is looked up by name in the dependent's namespace
 * (an owner elsewhere is absent) and must carry the referenced uid (a recreated owner is absent). A
 * cluster-scoped dependent of a namespaced kind can never resolve and keeps the object.
 */
async function ownerState(
  deps: CollectDeps,
  depRef: ResourceRef,
  dep: KubeObject,
  owner: OwnerReference,
): Promise<OwnerState> {
  const ref = deps.kinds.resolve(owner.apiVersion, owner.kind);
  if (ref === undefined) return 'unresolvable';
  if (ref.namespaced && !depRef.namespaced) return 'unresolvable';
  const namespace = ref.namespaced ? (dep.metadata.namespace ?? '') : '';
  const key = namespace === '' ? owner.name : `${namespace}/${owner.name}`;
  let found: KubeObject | undefined = deps.informerOf(ref)?.store.get(key);
  // The cache may lag behind a just-created owner: confirm absence with the server, as the real one does.
  if (found?.metadata.uid !== owner.uid) {
    found = await deps.client
      .get(ref, owner.name, namespace === '' ? {} : { namespace })
      .catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      });
  }
  if (found === undefined || found.metadata.uid !== owner.uid) return 'dangling';
  if (found.metadata.deletionTimestamp !== undefined && hasFinalizer(found, FOREGROUND)) return 'waiting';
  return 'solid';
}

/** A merge patch guarded by resourceVersion: a concurrent change is a 409, retried on fresh state. */
async function removeOwnerRefs(deps: CollectDeps, dep: Dependent, uids: ReadonlySet<string>): Promise<void> {
  const { metadata } = dep.object;
  const kept = ownerRefs(dep.object).filter((r) => !uids.has(r.uid));
  const patch = { metadata: { resourceVersion: metadata.resourceVersion, ownerReferences: kept } };
  const ns = metadata.namespace;
  await deps.client
    .patch(dep.ref, metadata.name ?? '', patch, ns === undefined ? {} : { namespace: ns })
    .catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
    });
}

async function removeFinalizer(
  deps: CollectDeps,
  ref: ResourceRef,
  obj: KubeObject,
  name: string,
): Promise<void> {
  const { metadata } = obj;
  const finalizers = (metadata.finalizers ?? []).filter((f) => f !== name);
  const patch = { metadata: { resourceVersion: metadata.resourceVersion, finalizers } };
  const ns = metadata.namespace;
  await deps.client
    .patch(ref, metadata.name ?? '', patch, ns === undefined ? {} : { namespace: ns })
    .catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
    });
}
