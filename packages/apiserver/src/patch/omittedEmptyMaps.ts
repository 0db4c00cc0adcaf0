/**
 * The empty maps a typed (built-in) object never stores: Go's `omitempty` leaves `labels: {}` and the like
 * out when the server encodes the object. Start with {@link dropOmittedEmptyMaps}; it edits in place.
 */
import { isObject } from './json.js';
import type { MergeSchema } from './mergeSchema.js';

/**
 * Drops the empty maps the typed object would omit (see `MergeSchema.omitsEmptyMap`): an applied
 * `annotations: {}` is owned by its applier but never stored, so applying it again changes nothing.
 */
export function dropOmittedEmptyMaps(value: unknown, fpath: string[], schema: MergeSchema): void {
  if (Array.isArray(value)) {
    for (const item of value) dropOmittedEmptyMaps(item, fpath, schema);
    return;
  }
  if (!isObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const path = [...fpath, k];
    if (isObject(v) && Object.keys(v).length === 0 && schema.omitsEmptyMap?.(path) === true) delete value[k];
    else dropOmittedEmptyMaps(v, path, schema);
  }
}
