/**
 * `storedObject()`: one object as the server keeps it — the parsed object plus its JSON text, serialized
 * once per write so that LIST and watch write strings instead of re-stringifying.
 *
 * Start with {@link storedObject}; {@link listItemJson} gives the text without `kind`/`apiVersion`, as
 * built-in list items are served.
 */

/** A Kubernetes object as JSON; `metadata` is always present once stored. */
export type KObject = Record<string, unknown> & { metadata?: ObjectMeta };

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: unknown[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface StoredObject {
  /** The object; treat as immutable (copy before changing). */
  readonly obj: KObject;
  /** `JSON.stringify(obj)`, beginning with `{"kind":…,"apiVersion":…,`. */
  readonly json: string;
  /** Index in `json` just past the `kind`/`apiVersion` prefix (after the comma), or 1 if there is none. */
  readonly typeMetaEnd: number;
  readonly rv: number;
  readonly namespace: string;
  readonly name: string;
}

/**
 * Serializes `obj` with `kind` then `apiVersion` first (the order the real server writes), remembering where
 * that prefix ends so list items can drop it by slicing.
 */
export function storedObject(obj: KObject, rv: number): StoredObject {
  const { kind, apiVersion, ...rest } = obj;
  const ordered: KObject = { kind, apiVersion, ...rest };
  const json = JSON.stringify(ordered);
  const prefix = `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},`;
  const typeMetaEnd =
    kind !== undefined && apiVersion !== undefined && json.startsWith(prefix) ? prefix.length : 1;
  const meta = ordered.metadata ?? {};
  return { obj: ordered, json, typeMetaEnd, rv, namespace: meta.namespace ?? '', name: meta.name ?? '' };
}

/** The object's JSON without `kind`/`apiVersion`: how items of built-in lists are served. */
export function listItemJson(s: StoredObject): string {
  return s.typeMetaEnd === 1 ? s.json : `{${s.json.slice(s.typeMetaEnd)}`;
}

/** A deep copy of a stored object, safe to change. */
export function copyObject(obj: KObject): KObject {
  return structuredClone(obj);
}
