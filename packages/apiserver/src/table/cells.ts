/**
 * Shared pieces of the built-in printers: the column shape, tolerant readers for unstructured objects
 * (a missing or mistyped field reads as empty, as a Go zero value would), and the Age column.
 * Start with {@link BuiltinColumn}.
 */
import { age } from './humanDuration.js';

export type Json = Record<string, unknown>;

export interface BuiltinColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  /** 0 is shown by default; 1 only with `-o wide`. */
  priority?: number;
  cell(obj: Record<string, unknown>, now: Date): unknown;
}

/** An object field, or `{}`. */
export function o(x: unknown): Json {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Json) : {};
}
/** A list of objects, or `[]`. */
export function a(x: unknown): Json[] {
  return Array.isArray(x) ? x.map(o) : [];
}
/** A string, or `''`. */
export function s(x: unknown): string {
  return typeof x === 'string' ? x : '';
}
/** A number, or 0. */
export function n(x: unknown): number {
  return typeof x === 'number' ? x : 0;
}
/** The printers write `<none>` for an empty value. */
export function orNone(x: string): string {
  return x === '' ? '<none>' : x;
}

/** `labels.FormatLabels`: `k=v` pairs sorted by key, `<none>` when empty. */
export function formatLabels(labels: Json): string {
  return orNone(
    Object.keys(labels)
      .sort()
      .map((k) => `${k}=${s(labels[k])}`)
      .join(','),
  );
}

export const spec = (obj: Json): Json => o(obj['spec']);
export const status = (obj: Json): Json => o(obj['status']);
export const meta = (obj: Json): Json => o(obj['metadata']);

export const AGE: BuiltinColumn = {
  name: 'Age',
  type: 'string',
  cell: (obj, now) => age(meta(obj)['creationTimestamp'], now),
};

/** The status of a condition of the given type in `status.conditions`. */
export function conditionStatus(obj: Json, type: string): string | undefined {
  const found = a(status(obj)['conditions']).find((c) => c['type'] === type);
  return found === undefined ? undefined : s(found['status']);
}
