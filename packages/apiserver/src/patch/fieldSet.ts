/**
 * Sets of field paths as structured-merge-diff keeps them for managedFields: path elements in the
 * `FieldsV1` spelling (`f:name`, `k:{"name":"x"}`, `v:"x"`), building sets from objects, comparing two
 * objects, and the `FieldsV1` JSON encoding. Start with {@link toFieldSet} and {@link compareObjects}.
 */
import { deepEqual, isObject, type JsonObject } from './json.js';
import type { MergeSchema } from './mergeSchema.js';

/** One path: encoded elements from the object root. */
export type FieldPath = readonly string[];

const SEP = '\u0000';

/** An immutable-by-convention set of paths. */
export class FieldSet {
  private readonly items = new Set<string>();

  static of(paths: Iterable<FieldPath>): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.add(p);
    return s;
  }

  add(path: FieldPath): void {
    this.items.add(path.join(SEP));
  }

  has(path: FieldPath): boolean {
    return this.items.has(path.join(SEP));
  }

  get size(): number {
    return this.items.size;
  }

  get empty(): boolean {
    return this.items.size === 0;
  }

  paths(): FieldPath[] {
    return [...this.items].map((s) => (s === '' ? [] : s.split(SEP)));
  }

  union(other: FieldSet): FieldSet {
    const s = new FieldSet();
    for (const i of this.items) s.items.add(i);
    for (const i of other.items) s.items.add(i);
    return s;
  }

  difference(other: FieldSet): FieldSet {
    const s = new FieldSet();
    for (const i of this.items) if (!other.items.has(i)) s.items.add(i);
    return s;
  }

  intersection(other: FieldSet): FieldSet {
    const s = new FieldSet();
    for (const i of this.items) if (other.items.has(i)) s.items.add(i);
    return s;
  }

  /** Removes every path equal to or under one of `prefixes`. */
  withoutPrefixes(prefixes: readonly FieldPath[]): FieldSet {
    const keys = prefixes.map((p) => p.join(SEP));
    const s = new FieldSet();
    for (const i of this.items) if (!keys.some((k) => i === k || i.startsWith(k + SEP))) s.items.add(i);
    return s;
  }

  /** Whether some path lies strictly under `prefix`. */
  hasDescendant(prefix: FieldPath): boolean {
    const k = prefix.join(SEP) + SEP;
    for (const i of this.items) if (prefix.length === 0 ? i !== '' : i.startsWith(k)) return true;
    return false;
  }

  equals(other: FieldSet): boolean {
    return this.items.size === other.items.size && [...this.items].every((i) => other.items.has(i));
  }
}

/** Field-name path (what `MergeSchema` takes) of an encoded path: list elements are dropped. */
export function schemaPath(path: FieldPath): string[] {
  return path.filter((e) => e.startsWith('f:')).map((e) => e.slice(2));
}

/** Compact JSON as Go writes it, with object members in sorted order (keys of `k:` elements are sorted). */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export type ListKind =
  | { kind: 'atomic' }
  | { kind: 'set' }
  | { kind: 'map'; keys: string[]; keyDefaults?: Readonly<Record<string, unknown>> | undefined };

/** How the list at this schema path is identified item by item (unlisted lists are atomic). */
export function listKind(schema: MergeSchema, fpath: readonly string[]): ListKind {
  const t = schema.listType(fpath);
  if (t?.type === 'set') return { kind: 'set' };
  if (t?.type === 'map') return { kind: 'map', keys: t.keys, keyDefaults: t.keyDefaults };
  return { kind: 'atomic' };
}

/** The path element naming one item of an associative list or set, or undefined when it has none. */
export function itemElement(item: unknown, kind: ListKind): string | undefined {
  if (kind.kind === 'set') return isObject(item) || Array.isArray(item) ? undefined : `v:${sortedJson(item)}`;
  if (kind.kind === 'map' && isObject(item)) {
    const key: JsonObject = {};
    for (const k of kind.keys) {
      // A missing key field takes its schema default, as it will once the object is defaulted.
      const v = Object.hasOwn(item, k) && item[k] !== null ? item[k] : kind.keyDefaults?.[k];
      if (v !== undefined && v !== null) key[k] = v;
    }
    return `k:${sortedJson(key)}`;
  }
  return undefined;
}

/** Whether the value at this schema path is walked into (granular map or keyed list) or is a leaf. */
function children(
  value: unknown,
  fpath: readonly string[],
  schema: MergeSchema,
  emptyIsLeaf = false,
): [string, unknown, string[]][] | undefined {
  if (isObject(value)) {
    if (schema.mapType(fpath) === 'atomic' || (emptyIsLeaf && Object.keys(value).length === 0))
      return undefined;
    return Object.entries(value).map(([k, v]) => [`f:${k}`, v, [...fpath, k]]);
  }
  if (Array.isArray(value)) {
    const kind = listKind(schema, fpath);
    if (kind.kind === 'atomic') return undefined;
    const out: [string, unknown, string[]][] = [];
    const seen = new Set<string>();
    for (const item of value) {
      const e = itemElement(item, kind);
      if (e === undefined || seen.has(e)) continue;
      seen.add(e);
      out.push([e, item, [...fpath]]);
    }
    return out;
  }
  return undefined;
}

/**
 * The fields an apply configuration sets: every leaf (scalar, atomic list or map, empty map) and every
 * item of a keyed list or set, as `ToFieldSet` reports them. `null` members are not set.
 */
export function toFieldSet(value: unknown, schema: MergeSchema): FieldSet {
  const set = new FieldSet();
  const walk = (v: unknown, path: string[], fpath: string[]): void => {
    // An empty map in a configuration is a value the applier sets, so it is owned like a leaf.
    const kids = children(v, fpath, schema, true);
    if (kids === undefined) {
      if (path.length > 0) set.add(path);
      return;
    }
    if (Array.isArray(v) && path.length > 0 && kids.length === 0) set.add(path);
    for (const [e, cv, cf] of kids) {
      if (cv === null) continue;
      if (e.startsWith('k:') || e.startsWith('v:')) set.add([...path, e]);
      walk(cv, [...path, e], cf);
    }
  };
  walk(value, [], []);
  return set;
}

/** Every node of a value (the node itself and everything under it). */
function addAll(set: FieldSet, v: unknown, path: string[], fpath: string[], schema: MergeSchema): void {
  if (path.length > 0) set.add(path);
  for (const [e, cv, cf] of children(v, fpath, schema) ?? []) addAll(set, cv, [...path, e], cf, schema);
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** What changed between two objects: added and removed nodes (with their subtrees), modified leaves. */
export function compareObjects(before: unknown, after: unknown, schema: MergeSchema): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const walk = (o: unknown, n: unknown, path: string[], fpath: string[]): void => {
    if (o === undefined && n === undefined) return;
    if (o === undefined) return addAll(c.added, n, path, fpath, schema);
    if (n === undefined) return addAll(c.removed, o, path, fpath, schema);
    const ok = children(o, fpath, schema);
    const nk = children(n, fpath, schema);
    const sameShape = Array.isArray(o) === Array.isArray(n) && isObject(o) === isObject(n);
    if (ok === undefined || nk === undefined || !sameShape) {
      if (!deepEqual(o, n) && path.length > 0) c.modified.add(path);
      return;
    }
    const om = new Map(ok.map(([e, v, f]) => [e, [v, f] as const]));
    const nm = new Map(nk.map(([e, v, f]) => [e, [v, f] as const]));
    for (const [e, [ov, f]] of om) walk(ov, nm.get(e)?.[0], [...path, e], [...f]);
    for (const [e, [nv, f]] of nm) if (!om.has(e)) walk(undefined, nv, [...path, e], [...f]);
  };
  walk(before, after, [], []);
  return c;
}

const ORDER = ['f:', 'k:', 'v:', 'i:'];

function elementOrder(a: string, b: string): number {
  const ca = ORDER.indexOf(a.slice(0, 2));
  const cb = ORDER.indexOf(b.slice(0, 2));
  if (ca !== cb) return ca - cb;
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Node {
  member: boolean;
  children: Map<string, Node>;
}

/** The `FieldsV1` JSON of a set: `{}` for leaves, `".": {}` where a node is a member and has children. */
export function encodeFieldsV1(set: FieldSet): Record<string, unknown> {
  const root: Node = { member: false, children: new Map() };
  for (const p of set.paths()) {
    let n = root;
    for (const e of p) {
      let next = n.children.get(e);
      if (!next) {
        next = { member: false, children: new Map() };
        n.children.set(e, next);
      }
      n = next;
    }
    n.member = true;
  }
  const encode = (n: Node): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (n.member && n.children.size > 0) out['.'] = {};
    for (const e of [...n.children.keys()].sort(elementOrder)) {
      Object.defineProperty(out, e, {
        value: encode(n.children.get(e) as Node),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return encode(root);
}

/** Reads `FieldsV1` JSON back into a set; unknown shapes are ignored rather than trusted. */
export function decodeFieldsV1(fields: unknown): FieldSet {
  const set = new FieldSet();
  const walk = (v: unknown, path: string[]): void => {
    if (!isObject(v)) return;
    const keys = Object.keys(v);
    if (path.length > 0 && (keys.length === 0 || Object.hasOwn(v, '.'))) set.add(path);
    for (const k of keys) if (k !== '.') walk(v[k], [...path, k]);
  };
  walk(fields, []);
  return set;
}

/** A key value as Go's %v-like printing of JSON values shows it in conflict paths. */
const goValue = (v: unknown): string =>
  typeof v === 'string' ? JSON.stringify(v) : isObject(v) || Array.isArray(v) ? sortedJson(v) : String(v);

/** A path as conflict messages print it: `.spec.containers[name="x"].image`. */
export function pathString(path: FieldPath): string {
  return path
    .map((e) => {
      const body = e.slice(2);
      if (e.startsWith('f:')) return `.${body}`;
      if (e.startsWith('k:')) {
        try {
          const key = JSON.parse(body) as JsonObject;
          return `[${Object.keys(key)
            .sort()
            .map((k) => `${k}=${goValue(key[k])}`)
            .join(',')}]`;
        } catch {
          return `[${body}]`;
        }
      }
      if (e.startsWith('v:')) {
        try {
          return `[=${goValue(JSON.parse(body))}]`;
        } catch {
          return `[=${body}]`;
        }
      }
      return `[${body}]`;
    })
    .join('');
}
