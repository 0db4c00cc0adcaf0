/**
 * Transforms applied to every object before it enters an informer's cache, to keep memory small.
 * Start with {@link dropManagedFields}, the default: server-side apply's bookkeeping is often half
 * of an object's size and no controller reads it from a cache.
 */
import type { KubeObject } from '../client/types.js';

/** Maps an object as received to the form cached; it may modify its argument, which it owns. */
export type Transform<T extends KubeObject = KubeObject> = (obj: KubeObject) => T;

/** The default transform: removes `metadata.managedFields`. */
export function dropManagedFields(obj: KubeObject): KubeObject {
  if (obj.metadata.managedFields !== undefined) delete obj.metadata.managedFields;
  return obj;
}

/** Keeps only `apiVersion`, `kind` and `metadata` (without managedFields): a metadata-only cache. */
export function metadataOnly(obj: KubeObject): KubeObject {
  const meta = dropManagedFields(obj).metadata;
  const out: KubeObject = { metadata: meta };
  if (obj.apiVersion !== undefined) out.apiVersion = obj.apiVersion;
  if (obj.kind !== undefined) out.kind = obj.kind;
  return out;
}
