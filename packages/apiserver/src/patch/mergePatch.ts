/**
 * RFC 7386 JSON merge patch as the API server applies it (evanphx/json-patch `MergePatch`): `null`
 * deletes a key, objects merge recursively, anything else replaces. Start with {@link applyMergePatch}.
 */
import { badRequest } from '../errors/status.js';
import { deepCopy, isObject, setKey, type JsonObject } from './json.js';

/** Drops `null` members from objects (also inside arrays), as the library does for inserted values. */
export function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === null ? null : pruneNulls(x)));
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) setKey(out, k, pruneNulls(x));
    return out;
  }
  return v;
}

function mergeInto(doc: JsonObject, patch: JsonObject): void {
  for (const [k, pv] of Object.entries(patch)) {
    if (pv === null) {
      delete doc[k];
    } else if (isObject(pv) && Object.hasOwn(doc, k) && isObject(doc[k])) {
      mergeInto(doc[k], pv);
    } else {
      setKey(doc, k, pruneNulls(pv));
    }
  }
}

/**
 * Merges `patch` into a copy of `doc`. An array patch replaces the document; `null` or a scalar is
 * rejected with the server's 400 `Invalid JSON Patch`.
 */
export function applyMergePatch(doc: object, patch: unknown): object {
  if (Array.isArray(patch)) return pruneNulls(patch) as object;
  if (!isObject(patch)) throw badRequest('Invalid JSON Patch');
  if (!isObject(doc)) return pruneNulls(patch) as object;
  const out = deepCopy(doc);
  mergeInto(out, patch);
  return out;
}
