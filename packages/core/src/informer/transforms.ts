/**
 * Transforms applied to every object before it enters an informer's cache, to keep memory small.
 * Start with {@link compactForCache}, the default: it drops server-side apply's bookkeeping (often
 * half of an object's size, and no controller reads it from a cache) and shares repeated strings.
 */
import type { KubeObject, ResourceRef } from '../client/types.js';

/** Maps an object as received to the form cached; it may modify its argument, which it owns. */
export type Transform<T extends KubeObject = KubeObject> = (obj: KubeObject) => T;

/**
 * Removes `metadata.managedFields`. The metadata object is rebuilt rather than `delete`d from: V8
 * turns an object that loses a property into a slower, larger dictionary-mode object.
 */
export function dropManagedFields(obj: KubeObject): KubeObject {
  const meta = obj.metadata;
  if (meta.managedFields === undefined) return obj;
  const rebuilt: Record<string, unknown> = {};
  for (const key of Object.keys(meta))
    if (key !== 'managedFields') rebuilt[key] = meta[key as keyof typeof meta];
  obj.metadata = rebuilt;
  return obj;
}

/** Strings up to this length are shared; longer ones are rarely repeated (data, certificates). */
const SHARED_MAX_LENGTH = 32;
/** The pool is dropped and started afresh at this size, so unique strings cannot pile up. */
const SHARED_POOL_LIMIT = 65_536;
let pool = new Map<string, string>();

function shared(text: string): string {
  const known = pool.get(text);
  if (known !== undefined) return known;
  if (pool.size >= SHARED_POOL_LIMIT) pool = new Map();
  pool.set(text, text);
  return text;
}

/** How many strings the pool holds now (for tests). */
export function sharedStringPoolSize(): number {
  return pool.size;
}

/** Fields whose values are unique per object or per write, so sharing them only churns the pool. */
const UNIQUE_FIELD = /^(resourceVersion|uid|creationTimestamp|deletionTimestamp)$|Time$|Timestamp$/;

/**
 * Makes equal short strings in `value` one string in memory: JSON.parse allocates every label value,
 * image name, node name, container name, environment variable name and condition string afresh for
 * each object, and in a cache of thousands of similar objects those copies are a large part of the
 * heap (a fifth of it for the benchmark's Pods). The pool is process-wide (a label value is shared by
 * Pods, Services and StatefulSets alike) and bounded. Modifies `value` in place.
 */
export function shareStrings<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        if (item.length <= SHARED_MAX_LENGTH) value[i] = shared(item);
      } else if (item !== null && typeof item === 'object') shareStrings(item);
    }
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const item = record[key];
      if (typeof item === 'string') {
        if (item.length <= SHARED_MAX_LENGTH && !UNIQUE_FIELD.test(key)) record[key] = shared(item);
      } else if (item !== null && typeof item === 'object') shareStrings(item);
    }
  }
  return value;
}

/** The default transform: {@link dropManagedFields}, then {@link shareStrings}. */
export function compactForCache(obj: KubeObject): KubeObject {
  return shareStrings(dropManagedFields(obj));
}

/** Keeps only `apiVersion`, `kind` and `metadata` (without managedFields): a metadata-only cache. */
export function metadataOnly(obj: KubeObject): KubeObject {
  const meta = dropManagedFields(obj).metadata;
  const out: KubeObject = { metadata: meta };
  if (obj.apiVersion !== undefined) out.apiVersion = obj.apiVersion;
  if (obj.kind !== undefined) out.kind = obj.kind;
  return shareStrings(out);
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
  const base: Transform = options.metadataOnly === true ? metadataOnly : compactForCache;
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
