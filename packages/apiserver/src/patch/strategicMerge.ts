/**
 * Strategic merge patch as apimachinery's `strategicpatch` applies it to built-in kinds: maps merge,
 * lists with a merge key merge by that key, primitive lists with strategy merge are unioned, other lists
 * are replaced; the `$patch`, `$retainKeys`, `$deleteFromPrimitiveList/` and `$setElementOrder/`
 * directives are honoured. Start with {@link applyStrategicMergePatch}.
 */
import { badRequest } from '../errors/status.js';
import { deepCopy, deepEqual, goJsonType, isObject, setKey, type JsonObject } from './json.js';
import type { MergeSchema } from './mergeSchema.js';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';
const SET_ORDER = '$setElementOrder/';

type Strategy = { kind: 'replace' } | { kind: 'set' } | { kind: 'map'; key: string };

function strategyAt(schema: MergeSchema, path: readonly string[]): Strategy {
  const t = schema.listType(path);
  if (t?.type === 'set') return { kind: 'set' };
  if (t?.type === 'map' && t.keys[0] !== undefined) return { kind: 'map', key: t.keys[0] };
  return { kind: 'replace' };
}

/** Position of an item in an ordering list, by merge key for maps or by value for primitives. */
function indexIn(order: readonly unknown[], item: unknown, key: string | undefined): number {
  if (key === undefined) return order.findIndex((o) => deepEqual(o, item));
  const k = isObject(item) ? item[key] : undefined;
  return order.findIndex((o) => isObject(o) && deepEqual(o[key], k));
}

function sortBy(items: unknown[], order: readonly unknown[], key: string | undefined): unknown[] {
  const rank = (x: unknown): number => {
    const i = indexIn(order, x, key);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return items
    .map((x, i) => ({ x, i, r: rank(x) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((e) => e.x);
}

/**
 * Orders a merged list as the server does: items named by the patch (or `$setElementOrder`) follow that
 * order; server-only items keep their relative place from the live list and are interleaved with them.
 */
function normalizeOrder(
  merged: unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  key: string | undefined,
): unknown[] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of merged) (indexIn(patchOrder, item, key) >= 0 ? inPatch : serverOnly).push(item);
  const right = sortBy(inPatch, patchOrder, key);
  const left = sortBy(serverOnly, serverOrder, key);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], key);
      const ri = indexIn(serverOrder, right[j], key);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function mergeList(
  original: unknown[],
  patch: unknown[],
  path: readonly string[],
  schema: MergeSchema,
): unknown[] {
  const strategy = strategyAt(schema, path);
  if (strategy.kind === 'replace') return patch.map((p) => stripDirectives(p, path, schema));
  if (strategy.kind === 'set' || !patch.some(isObject)) {
    if (strategy.kind === 'map' && original.some(isObject)) {
      throw badRequest(`cannot merge lists without merge key for ${path[path.length - 1] ?? ''}`);
    }
    const out = [...original];
    for (const p of patch) if (!out.some((o) => deepEqual(o, p))) out.push(p);
    return normalizeOrder(out, patch, original, undefined);
  }
  const key = strategy.key;
  // An element `{"$patch": "replace"}` replaces the whole list with the other elements.
  if (patch.some((p) => isObject(p) && p[PATCH] === 'replace')) {
    return patch
      .filter((p) => !(isObject(p) && p[PATCH] === 'replace'))
      .map((p) => mergeValue(undefined, p, path, schema));
  }
  const out = original.map((o) => deepCopy(o));
  const patchItems: unknown[] = [];
  for (const p of patch) {
    if (!isObject(p))
      throw badRequest(`cannot merge lists without merge key for ${path[path.length - 1] ?? ''}`);
    if (!Object.hasOwn(p, key))
      throw badRequest(`map: ${JSON.stringify(p)} does not contain declared merge key: ${key}`);
    const idx = out.findIndex((o) => isObject(o) && deepEqual(o[key], p[key]));
    if (p[PATCH] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = mergeValue(out[idx], p, path, schema);
    else out.push(mergeValue(undefined, p, path, schema));
    patchItems.push(p);
  }
  return normalizeOrder(out, patchItems, original, key);
}

/** A patch value placed where nothing was: merged into nothing, so directives and nulls disappear. */
function stripDirectives(v: unknown, path: readonly string[], schema: MergeSchema): unknown {
  return isObject(v) ? mergeValue(undefined, v, path, schema) : deepCopy(v);
}

function mergeValue(
  original: unknown,
  patch: unknown,
  path: readonly string[],
  schema: MergeSchema,
): unknown {
  if (isObject(patch)) {
    const directive = patch[PATCH];
    if (directive === 'replace') {
      const rest: JsonObject = { ...patch };
      delete rest[PATCH];
      return mergeMap({}, rest, path, schema);
    }
    if (directive !== undefined && directive !== 'merge' && directive !== 'delete') {
      throw badRequest(
        `Unknown patch type: ${typeof directive === 'string' ? directive : JSON.stringify(directive)} in map: ${JSON.stringify(patch)}`,
      );
    }
    return mergeMap(isObject(original) ? original : {}, patch, path, schema);
  }
  if (Array.isArray(patch)) return mergeList(Array.isArray(original) ? original : [], patch, path, schema);
  return deepCopy(patch);
}

function mergeMap(
  original: JsonObject,
  patch: JsonObject,
  path: readonly string[],
  schema: MergeSchema,
): JsonObject {
  const out = deepCopy(original);
  const retain = patch[RETAIN_KEYS];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw badRequest(`invalid $retainKeys directive: ${JSON.stringify(retain)}`);
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
  for (const [k, pv] of Object.entries(patch)) {
    if (k === PATCH || k === RETAIN_KEYS || k.startsWith(SET_ORDER)) continue;
    if (k.startsWith(DELETE_PRIMITIVE)) {
      const field = k.slice(DELETE_PRIMITIVE.length);
      const cur = out[field];
      if (!Array.isArray(pv)) throw badRequest(`invalid ${k} directive: value must be a list`);
      if (Array.isArray(cur)) {
        const kept = cur.filter((x) => !pv.some((d) => deepEqual(d, x)));
        if (kept.length > 0) setKey(out, field, kept);
        else delete out[field];
      }
      continue;
    }
    const childPath = [...path, k];
    if (pv === null) {
      delete out[k];
      continue;
    }
    if (isObject(pv) && pv[PATCH] === 'delete') {
      delete out[k];
      continue;
    }
    const cur = Object.hasOwn(out, k) ? out[k] : undefined;
    setKey(out, k, mergeValue(cur, pv, childPath, schema));
  }
  // `$deleteFromPrimitiveList` may empty a list the patch also merges into; order directives come last.
  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith(SET_ORDER)) continue;
    const field = k.slice(SET_ORDER.length);
    const cur = out[field];
    if (!Array.isArray(order) || !Array.isArray(cur)) continue;
    const strategy = strategyAt(schema, [...path, field]);
    const key = strategy.kind === 'map' ? strategy.key : undefined;
    const orig = original[field];
    setKey(out, field, normalizeOrder(cur, order, Array.isArray(orig) ? orig : [], key));
  }
  return out;
}

/**
 * Applies a strategic merge patch to a copy of `doc`. `schema` says which lists merge and by which key
 * (the first of a map-list's keys is the merge key). A patch that is not an object is a 400.
 */
export function applyStrategicMergePatch(doc: object, patch: unknown, schema: MergeSchema): object {
  // Go decodes `null` into an empty map; anything else that is not an object fails to decode.
  if (patch === null) return deepCopy(doc);
  if (!isObject(patch))
    throw badRequest(
      `json: cannot unmarshal ${goJsonType(patch)} into Go value of type map[string]interface {}`,
    );
  if (patch[PATCH] === 'delete') return {};
  return mergeValue(isObject(doc) ? doc : {}, patch, [], schema) as object;
}
