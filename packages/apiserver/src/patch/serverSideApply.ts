/**
 * Server-side apply and field ownership, after structured-merge-diff's `Updater`: an apply merges its
 * configuration into the live object, takes ownership of what it sets, prunes what it stopped setting,
 * and fails with a 409 on fields other managers own unless forced; other writes record an `Update`
 * entry for what they changed. Start with {@link serverSideApply} and {@link recordUpdate}.
 */
import { compareObjects, FieldSet, itemElement, listKind, toFieldSet, type FieldPath } from './fieldSet.js';
import { deepCopy, deepEqual, isObject, setKey, type JsonObject } from './json.js';
import {
  applyConflictError,
  decodeManagedFields,
  encodeManagedFields,
  managerId,
  type Conflict,
  type ManagerState,
} from './managedFields.js';
import type { MergeSchema } from './mergeSchema.js';
import { dropOmittedEmptyMaps } from './omittedEmptyMaps.js';

export interface FieldManagerOptions {
  manager: string;
  apiVersion: string;
  subresource?: string;
  /** RFC 3339 with seconds, e.g. 2026-11-27T06:00:00Z. */
  now: string;
  schema: MergeSchema;
  /**
   * Field-name paths this endpoint does not let a writer own (the strategy's reset fields). Default:
   * `[['status']]` for the main resource when `statusSubresource` is true, `[['spec']]` for `status`.
   */
  resetFields?: readonly (readonly string[])[];
  /** Whether the resource has a status subresource (then the main resource does not own `status`). */
  statusSubresource?: boolean;
}

/** Paths no manager ever owns (the server's strip set); removed exactly, not with their children. */
const STRIPPED: FieldPath[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ...[
    'name',
    'namespace',
    'creationTimestamp',
    'selfLink',
    'uid',
    'clusterName',
    'generation',
    'managedFields',
    'resourceVersion',
  ].map((f) => ['f:metadata', `f:${f}`]),
];
const STRIPPED_SET = FieldSet.of(STRIPPED);

function resetPaths(opts: FieldManagerOptions): FieldPath[] {
  const fields =
    opts.resetFields ??
    (opts.subresource === 'status' ? [['spec']] : opts.statusSubresource ? [['status']] : []);
  return fields.map((p) => p.map((f) => `f:${f}`));
}

/** The object without its managedFields (what field sets are computed over). */
function withoutManagedFields(obj: object | undefined): JsonObject {
  const copy = isObject(obj) ? deepCopy(obj) : {};
  const meta = copy['metadata'];
  if (isObject(meta)) delete meta['managedFields'];
  return copy;
}

function withManagedFields(obj: JsonObject, managers: Map<string, ManagerState>): JsonObject {
  const entries = encodeManagedFields(managers);
  const meta = isObject(obj['metadata']) ? obj['metadata'] : {};
  if (entries.length > 0) meta['managedFields'] = entries;
  else delete meta['managedFields'];
  if (entries.length > 0 || isObject(obj['metadata'])) obj['metadata'] = meta;
  return obj;
}

function removeAt(value: unknown, path: FieldPath): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (head.startsWith('f:') && isObject(value)) {
    const k = head.slice(2);
    if (!Object.hasOwn(value, k)) return value;
    if (rest.length === 0) delete value[k];
    else setKey(value, k, removeAt(value[k], rest));
    return value;
  }
  return value;
}

function removeNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(removeNulls);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) setKey(out, k, removeNulls(x));
    return out;
  }
  return v;
}

/** Merges an apply configuration into a live value: maps by key, keyed lists by item, the rest replaced. */
function mergeApplied(live: unknown, config: unknown, fpath: string[], schema: MergeSchema): unknown {
  if (isObject(config)) {
    if (!isObject(live) || schema.mapType(fpath) === 'atomic') return deepCopy(config);
    const out = deepCopy(live);
    for (const [k, v] of Object.entries(config)) {
      setKey(out, k, mergeApplied(Object.hasOwn(out, k) ? out[k] : undefined, v, [...fpath, k], schema));
    }
    return out;
  }
  if (Array.isArray(config)) {
    const kind = listKind(schema, fpath);
    if (!Array.isArray(live) || kind.kind === 'atomic') return deepCopy(config);
    const id = (x: unknown): string => itemElement(x, kind) ?? JSON.stringify(x);
    const configIds = new Map(config.map((c) => [id(c), c] as const));
    const liveById = new Map(live.map((l) => [id(l), l] as const));
    const out: unknown[] = [];
    const done = new Set<string>();
    let li = 0;
    let ci = 0;
    // Live order is kept; configuration items are placed at their first matching or next free slot.
    while (li < live.length || ci < config.length) {
      const l = live[li];
      const lid = li < live.length ? id(l) : undefined;
      if (lid !== undefined && (done.has(lid) || !configIds.has(lid))) {
        if (!done.has(lid)) out.push(deepCopy(l));
        done.add(lid);
        li++;
        continue;
      }
      if (ci < config.length) {
        const c = config[ci++];
        const cid = id(c);
        if (done.has(cid)) continue;
        done.add(cid);
        out.push(kind.kind === 'set' ? deepCopy(c) : mergeApplied(liveById.get(cid), c, fpath, schema));
        continue;
      }
      li++;
    }
    return out;
  }
  return config;
}

/** Removes the fields an applier set last time, no longer sets, and nobody else owns. */
function prune(merged: JsonObject, lastSet: FieldSet, owned: FieldSet, schema: MergeSchema): JsonObject {
  const candidates = lastSet
    .difference(owned)
    .paths()
    .filter((p) => !owned.hasDescendant(p));
  const candidateSet = FieldSet.of(candidates);
  // Removing a node removes its subtree, so paths under another removed node are left out.
  const removable = candidates.filter((p) => !p.some((_, i) => i > 0 && candidateSet.has(p.slice(0, i))));
  const walkRemove = (value: unknown, path: FieldPath, fpath: string[]): unknown => {
    const [head, ...rest] = path;
    if (head === undefined) return value;
    if (head.startsWith('f:')) {
      if (!isObject(value)) return value;
      const k = head.slice(2);
      if (!Object.hasOwn(value, k)) return value;
      if (rest.length === 0) delete value[k];
      else setKey(value, k, walkRemove(value[k], rest, [...fpath, k]));
      return value;
    }
    if (!Array.isArray(value)) return value;
    const kind = listKind(schema, fpath);
    if (kind.kind === 'atomic') return value;
    const idx = value.findIndex((x) => itemElement(x, kind) === head);
    if (idx < 0) return value;
    if (rest.length === 0) value.splice(idx, 1);
    else value[idx] = walkRemove(value[idx], rest, fpath);
    return value;
  };
  for (const p of removable) walkRemove(merged, p, []);
  // Named fields the applier used to reach are removed too once they are empty and nobody owns them.
  const ancestors = new Map<string, FieldPath>();
  for (const p of lastSet.paths()) {
    for (let i = p.length - 1; i > 0; i--) {
      const a = p.slice(0, i);
      if (a[a.length - 1]?.startsWith('f:')) ancestors.set(a.join('\u0000'), a);
    }
  }
  const deepestFirst = [...ancestors.values()].sort((a, b) => b.length - a.length);
  for (const a of deepestFirst) {
    if (owned.has(a) || owned.hasDescendant(a) || !a.every((e) => e.startsWith('f:'))) continue;
    let v: unknown = merged;
    for (const e of a) v = isObject(v) ? v[e.slice(2)] : undefined;
    if ((isObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0))
      removeAt(merged, a);
  }
  return merged;
}

/**
 * Server-side apply: merges `applied` into `live` (undefined = create) and returns the new object with
 * `metadata.managedFields` updated. Throws the server's 409 on conflicts unless `force`.
 */
export function serverSideApply(
  live: object | undefined,
  applied: object,
  opts: FieldManagerOptions & { force: boolean },
): object {
  const schema = opts.schema;
  const reset = resetPaths(opts);
  const managers = decodeManagedFields(
    isObject(live) && isObject(live['metadata']) ? live['metadata']['managedFields'] : undefined,
  );
  const liveObj = withoutManagedFields(live);
  const config = removeNulls(withoutManagedFields(applied)) as JsonObject;
  for (const r of reset) removeAt(config, r);

  let merged = mergeApplied(liveObj, config, [], schema) as JsonObject;
  const id = managerId(opts.manager, 'Apply', opts.apiVersion, opts.subresource);
  const previous = managers.get(id);
  const newSet = toFieldSet(config, schema).difference(STRIPPED_SET).withoutPrefixes(reset);
  managers.set(id, {
    manager: opts.manager,
    operation: 'Apply',
    apiVersion: opts.apiVersion,
    time: previous?.time,
    subresource: opts.subresource,
    set: newSet,
  });
  if (previous && !previous.set.empty) {
    let owned = new FieldSet();
    for (const m of managers.values()) owned = owned.union(m.set);
    merged = prune(merged, previous.set, owned, schema);
  }

  const cmp = compareObjects(liveObj, merged, schema);
  const changed = cmp.added.union(cmp.modified);
  const conflicts: Conflict[] = [];
  for (const [mid, m] of managers) {
    if (mid === id) continue;
    for (const p of m.set.intersection(changed).paths()) conflicts.push({ manager: m, path: p });
  }
  if (conflicts.length > 0 && !opts.force) {
    conflicts.sort((a, b) =>
      a.manager.manager < b.manager.manager ? -1 : a.manager.manager > b.manager.manager ? 1 : 0,
    );
    throw applyConflictError(conflicts);
  }
  for (const [mid, m] of managers) {
    const next =
      mid === id ? m.set.difference(cmp.removed) : m.set.difference(changed).difference(cmp.removed);
    managers.set(mid, { ...m, set: next });
  }
  // Ownership follows the merged configuration (an applied `annotations: {}` stays owned), but what is
  // stored, and whether the apply changed anything, is the typed object, which omits such empty maps.
  dropOmittedEmptyMaps(merged, [], schema);
  const stored = compareObjects(liveObj, merged, schema);
  const me = managers.get(id);
  if (me) {
    const objectChanged = !stored.added.empty || !stored.modified.empty || !stored.removed.empty;
    managers.set(id, {
      ...me,
      apiVersion: opts.apiVersion,
      time: objectChanged || me.time === undefined ? opts.now : me.time,
    });
  }
  return withManagedFields(merged, managers);
}

/**
 * Records a non-apply write (create, update, patch): returns `updated` with `metadata.managedFields`
 * recomputed. The writer owns what it added or changed; removed fields leave every manager. A write
 * that sets managedFields itself (different from the live ones) replaces them first, as the server allows.
 */
export function recordUpdate(live: object | undefined, updated: object, opts: FieldManagerOptions): object {
  const schema = opts.schema;
  const reset = resetPaths(opts);
  const liveMeta = isObject(live) && isObject(live['metadata']) ? live['metadata'] : {};
  const newMeta = isObject(updated) && isObject(updated['metadata']) ? updated['metadata'] : {};
  const given = newMeta['managedFields'];
  const userSet =
    opts.subresource === undefined &&
    Array.isArray(given) &&
    given.length > 0 &&
    !deepEqual(given, liveMeta['managedFields']);
  const managers = decodeManagedFields(userSet ? given : liveMeta['managedFields']);
  for (const [mid, m] of managers) if (m.manager === '' || m.set.empty) managers.delete(mid);

  const before = withoutManagedFields(live);
  const after = withoutManagedFields(updated);
  const cmp = compareObjects(before, after, schema);
  const changed = cmp.added.union(cmp.modified).difference(STRIPPED_SET).withoutPrefixes(reset);
  for (const [mid, m] of managers)
    managers.set(mid, { ...m, set: m.set.difference(changed).difference(cmp.removed) });
  if (!changed.empty) {
    const id = managerId(opts.manager, 'Update', opts.apiVersion, opts.subresource);
    const prev = managers.get(id);
    managers.set(id, {
      manager: opts.manager,
      operation: 'Update',
      apiVersion: opts.apiVersion,
      time: opts.now,
      subresource: opts.subresource,
      set: prev ? prev.set.union(changed) : changed,
    });
  }
  return withManagedFields(after, managers);
}
