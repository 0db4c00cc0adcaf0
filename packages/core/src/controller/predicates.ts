/**
 * Event filters for a controller's primary resource: which updates are worth a reconcile. Start with
 * {@link generationChanged}, the usual choice for resources with a status subresource.
 */
import type { KubeObject } from '../client/types.js';

/**
 * Decides whether an update from `oldObj` to `newObj` should queue a reconcile. Adds and deletes
 * always pass: a controller must see every object once and every disappearance.
 */
export type Predicate<T extends KubeObject = KubeObject> = (oldObj: T, newObj: T) => boolean;

/**
 * Passes updates whose `metadata.generation` changed, i.e. spec changes; status-only writes (which
 * the controller usually made itself) and resyncs are dropped. Kinds without a generation (ConfigMap,
 * Secret) never change it, so do not use this predicate for them.
 */
export const generationChanged: Predicate = (oldObj, newObj) =>
  oldObj.metadata?.generation !== newObj.metadata?.generation;

/** Passes updates whose labels differ (by value, not object identity). */
export const labelsChanged: Predicate = (oldObj, newObj) =>
  !sameRecord(oldObj.metadata?.labels, newObj.metadata?.labels);

/** Passes updates whose annotations differ (by value, not object identity). */
export const annotationsChanged: Predicate = (oldObj, newObj) =>
  !sameRecord(oldObj.metadata?.annotations, newObj.metadata?.annotations);

function sameRecord(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ak = Object.keys(a ?? {});
  const bk = Object.keys(b ?? {});
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (a?.[k] !== b?.[k]) return false;
  return true;
}

/** Passes an update when any of `predicates` does (a controller's own list requires all of them). */
export function anyOf<T extends KubeObject = KubeObject>(...predicates: Predicate<T>[]): Predicate<T> {
  return (oldObj, newObj) => predicates.some((p) => p(oldObj, newObj));
}
