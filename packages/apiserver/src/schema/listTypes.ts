/**
 * The `x-kubernetes-list-type: set|map` invariants (no duplicate items, no duplicate map keys), with
 * the server's `Duplicate value` causes. Start with {@link validateListTypes}.
 */
import type { StatusCause } from '../errors/status.js';
import type { JSONSchemaProps } from '../registry/types.js';
import { fieldError } from './fieldError.js';

/** JSON with sorted keys, as Go's json.Marshal of a map writes it; equal values give equal strings. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const r = v as Record<string, unknown>;
    return `{${Object.keys(r)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(r[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** Indices of the second occurrence of each repeated value (what the server reports). */
function secondOccurrences(values: unknown[]): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  values.forEach((v, i) => {
    const key = (v !== null && typeof v === 'object' ? 'c' : 's') + canonicalJson(v);
    const n = seen.get(key) ?? 0;
    if (n === 1) out.push(i);
    seen.set(key, n + 1);
  });
  return out;
}

function validateArray(path: string, s: JSONSchemaProps, arr: unknown[], errs: StatusCause[]): void {
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set') {
    for (const i of secondOccurrences(arr))
      errs.push(fieldError('FieldValueDuplicate', `${path}[${i}]`, arr[i]));
  } else if (listType === 'map') {
    const bad = arr.findIndex((x) => x !== null && (typeof x !== 'object' || Array.isArray(x)));
    if (bad >= 0) {
      errs.push(
        fieldError(
          'FieldValueInvalid',
          `${path}[${bad}]`,
          arr[bad],
          'must be an object for an array of list-type map',
        ),
      );
    } else if (arr.length > 1) {
      const keyFields = s['x-kubernetes-list-map-keys'] ?? [];
      const keys = arr.map((x) => {
        const key: Record<string, unknown> = {};
        const rec = (x ?? {}) as Record<string, unknown>;
        for (const k of keyFields) if (Object.hasOwn(rec, k)) key[k] = rec[k];
        return key;
      });
      for (const i of secondOccurrences(keys))
        errs.push(fieldError('FieldValueDuplicate', `${path}[${i}]`, keys[i]));
    }
  }
  const items = s.items;
  if (items) arr.forEach((x, i) => walk(`${path}[${i}]`, items, x, errs));
}

function walk(path: string, s: JSONSchemaProps, x: unknown, errs: StatusCause[]): void {
  if (Array.isArray(x)) validateArray(path, s, x, errs);
  else if (x !== null && typeof x === 'object')
    validateListTypes(path, s, x as Record<string, unknown>, errs);
}

/** Appends a cause for every duplicate in set/map lists below `obj`. `path` '' is the root. */
export function validateListTypes(
  path: string,
  s: JSONSchemaProps,
  obj: Record<string, unknown>,
  errs: StatusCause[],
): void {
  const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  if (extra) for (const [k, v] of Object.entries(obj)) walk(`${path}[${k}]`, extra, v, errs);
  const props = s.properties;
  if (props) {
    for (const [k, v] of Object.entries(obj)) {
      const sub = props[k];
      if (sub) walk(path === '' ? k : `${path}.${k}`, sub, v, errs);
    }
  }
}
