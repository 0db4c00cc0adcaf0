/**
 * Structural defaulting of custom resources (KEP-575), as apiextensions-apiserver's
 * `schema/defaulting` does it: non-nullable nulls without a default are dropped, then every absent
 * (or non-nullable null) property with a `default` gets a deep copy of it, then defaulting recurses —
 * so defaults apply only where the parent exists, and defaults nested inside a default apply too.
 * Start with {@link applyDefaults}.
 */
import type { JSONSchemaProps } from '../registry/types.js';

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function extraSchema(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  return s && typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
}

function fieldSchema(s: JSONSchemaProps | undefined, key: string): JSONSchemaProps | undefined {
  if (!s) return undefined;
  const p = s.properties?.[key];
  return p ?? extraSchema(s);
}

function isNonNullableNull(x: unknown, s: JSONSchemaProps | undefined): boolean {
  return x === null && s !== undefined && !s.nullable;
}

/** Removes `null` values of non-nullable fields that have no default (they would fail validation otherwise). */
export function pruneNonNullableNulls(x: unknown, s: JSONSchemaProps | undefined): void {
  if (Array.isArray(x)) {
    for (const v of x) pruneNonNullableNulls(v, s?.items);
    return;
  }
  if (!isObject(x)) return;
  for (const [k, v] of Object.entries(x)) {
    const sub = fieldSchema(s, k);
    if (isNonNullableNull(v, sub) && sub?.default === undefined) delete x[k];
    else pruneNonNullableNulls(v, sub);
  }
}

function copy(v: unknown): unknown {
  return v === undefined ? null : structuredClone(v);
}

/** Applies defaults in place (after {@link pruneNonNullableNulls}, as the server's decoder does). */
export function defaultValue(x: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (Array.isArray(x)) {
    const items = s.items;
    for (let i = 0; i < x.length; i++) {
      if (isNonNullableNull(x[i], items)) x[i] = copy(items?.default);
      defaultValue(x[i], items);
    }
    return;
  }
  if (!isObject(x)) return;
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    if (prop.default === undefined) continue;
    if (!Object.hasOwn(x, k) || isNonNullableNull(x[k], prop)) x[k] = copy(prop.default);
  }
  const extra = extraSchema(s);
  for (const k of Object.keys(x)) {
    const prop = s.properties?.[k];
    if (prop) {
      defaultValue(x[k], prop);
    } else if (extra) {
      if (isNonNullableNull(x[k], extra)) x[k] = copy(extra.default);
      defaultValue(x[k], extra);
    }
  }
}

export function applyDefaults(obj: Json, schema: JSONSchemaProps): void {
  pruneNonNullableNulls(obj, schema);
  defaultValue(obj, schema);
}
