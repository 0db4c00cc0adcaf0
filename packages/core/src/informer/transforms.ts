/**
 * Transforms applied to every object before it enters an informer's cache, to keep memory small.
 * Start with {@link dropManagedFields}, the default: server-side apply's bookkeeping is often half
 * of an object's size and no controller reads it from a cache.
 */
import type { KubeObject, ResourceRef } from '../client/types.js';

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

/**
 * The whole transform an informer applies: apiVersion and kind filled in (LIST items come without
 * them, watch events with them, and every cached object should look the same), then the default
 * (or metadata-only) transform, or the user's, which replaces the default.
 */
export function cachedForm<T extends KubeObject>(
  ref: ResourceRef,
  options: { metadataOnly?: boolean; transform?: Transform<T> },
): Transform<T> {
  const base: Transform = options.metadataOnly === true ? metadataOnly : dropManagedFields;
  const user = options.transform;
  const apiVersion = ref.group ? `${ref.group}/${ref.version}` : ref.version;
  const typed = (o: KubeObject): KubeObject => {
    o.apiVersion ??= apiVersion;
    o.kind ??= ref.kind;
    return o;
  };
  if (user === undefined) return (o) => base(typed(o)) as T;
  return options.metadataOnly === true ? (o) => user(base(typed(o))) : (o) => user(typed(o));
}
