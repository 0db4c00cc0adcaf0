/**
 * JSON value comparison for the write-skipping helpers: {@link deepEqual} says whether a write would
 * change anything, {@link canonicalJson} gives a key-order-independent text to hash.
 */

type Json = unknown;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const keys = (o: Record<string, unknown>): string[] => Object.keys(o).filter((k) => o[k] !== undefined);

/**
 * Structural equality of JSON values. A key whose value is `undefined` counts as absent, as it does
 * once serialised, so `{ a: undefined }` equals `{}`.
 */
export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const ka = keys(a);
  if (ka.length !== keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

/** JSON text with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: Json): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isRecord(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}
