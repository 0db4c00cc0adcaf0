/**
 * Owner references: {@link setControllerReference} makes the primary the controller of a child, so the
 * garbage collector deletes the child with it and the child's events map back to it. Start there;
 * {@link controllerOf} and {@link isControlledBy} read them.
 */
import type { KubeObject, OwnerReference } from '../client/types.js';
import { AlreadyOwnedError, OwnerReferenceError } from './reconcileErrors.js';

export interface OwnerReferenceOptions {
  /** Mark the owner as the managing controller (at most one per object). Default false. */
  controller?: boolean;
  /** Foreground deletion of the owner waits for this child. Default false. */
  blockOwnerDeletion?: boolean;
}

const labelOf = (o: KubeObject): string => {
  const { namespace, name } = o.metadata;
  const id = namespace === undefined || namespace === '' ? (name ?? '?') : `${namespace}/${name ?? '?'}`;
  return `${o.kind ?? 'object'} ${id}`;
};

/** The API group of an apiVersion: owner references match across versions of the same group. */
const groupOf = (apiVersion: string): string => {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
};

/** A reference to `owner`, which must have been read from the server (it needs `uid`). */
export function ownerReferenceTo(owner: KubeObject, options: OwnerReferenceOptions = {}): OwnerReference {
  const { apiVersion, kind } = owner;
  const { name, uid } = owner.metadata;
  const missing = [
    ['apiVersion', apiVersion],
    ['kind', kind],
    ['metadata.name', name],
    ['metadata.uid', uid],
  ].filter(([, v]) => v === undefined || v === '');
  if (missing.length > 0 || apiVersion === undefined || kind === undefined || !name || !uid) {
    throw new OwnerReferenceError(
      `owner ${labelOf(owner)} has no ${missing.map(([f]) => f).join(', ')}: ` +
        'pass the owner as read from the API server, not a locally built object',
    );
  }
  const ref: OwnerReference = { apiVersion, kind, name, uid };
  if (options.controller !== undefined) ref.controller = options.controller;
  if (options.blockOwnerDeletion !== undefined) ref.blockOwnerDeletion = options.blockOwnerDeletion;
  return ref;
}

/** The owner reference marked `controller: true`, if any. */
export function controllerOf(child: KubeObject): OwnerReference | undefined {
  return child.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** True when `owner` (by uid) is the controller of `child`. */
export function isControlledBy(child: KubeObject, owner: KubeObject): boolean {
  const uid = owner.metadata.uid;
  return uid !== undefined && uid !== '' && controllerOf(child)?.uid === uid;
}

const sameOwner = (a: OwnerReference, b: OwnerReference): boolean =>
  groupOf(a.apiVersion) === groupOf(b.apiVersion) && a.kind === b.kind && a.name === b.name;

/**
 * Makes `owner` the controller of `child` (`controller: true`, `blockOwnerDeletion: true`) and returns
 * `child`, modified in place: pass the object you are about to write, not one from a cache. A
 * reference to the same owner (any version of its group) is replaced in place; other owners are kept.
 *
 * Throws {@link AlreadyOwnedError} when another controller owns the child, and
 * {@link OwnerReferenceError} when the owner is namespaced and the child is cluster-scoped or in
 * another namespace (the garbage collector would delete such a child at once).
 */
export function setControllerReference<C extends KubeObject>(owner: KubeObject, child: C): C {
  const ref = ownerReferenceTo(owner, { controller: true, blockOwnerDeletion: true });
  const ownerNs = owner.metadata.namespace ?? '';
  const childNs = child.metadata.namespace ?? '';
  if (ownerNs !== '' && childNs === '') {
    throw new OwnerReferenceError(
      `${labelOf(child)}: a cluster-scoped object cannot be owned by the namespaced ${labelOf(owner)}; ` +
        'give the child a namespace or make the owner cluster-scoped',
    );
  }
  if (ownerNs !== '' && ownerNs !== childNs) {
    throw new OwnerReferenceError(
      `${labelOf(child)}: cross-namespace owner references are not allowed (owner ${labelOf(owner)}); ` +
        `create the child in namespace ${ownerNs}`,
    );
  }
  const current = controllerOf(child);
  if (current !== undefined && !sameOwner(current, ref)) {
    throw new AlreadyOwnedError(
      `${labelOf(child)} is already controlled by ${current.kind} ${current.name}, not by ${labelOf(owner)}: ` +
        'remove that controller reference first, or leave the child to its controller',
    );
  }
  // Replaced where it stands, so re-applying the same child does not reorder its references.
  const refs = [...(child.metadata.ownerReferences ?? [])];
  const index = refs.findIndex((r) => sameOwner(r, ref));
  if (index < 0) refs.push(ref);
  else refs[index] = ref;
  child.metadata.ownerReferences = refs;
  return child;
}
