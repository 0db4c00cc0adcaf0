/**
 * Small readers for decoded JSON shared by the built-in kind rules: `asObj`, `asList` and `canonical`
 * (JSON with sorted keys, so that key order never counts as a change).
 *
 * Start with {@link canonical}.
 */

export type Obj = Record<string, unknown>;

/** The value as a plain object, or undefined for arrays, null and scalars. */
export function asObj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** The value as an array, or empty. */
export function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  const o = asObj(x);
  if (!o) return x;
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, sortKeys(o[k])]),
  );
}

/** JSON with object keys sorted; `null` for undefined. */
export function canonical(v: unknown): string {
  return JSON.stringify(sortKeys(v)) ?? 'null';
}
