/**
 * Patches and field management as the API server applies them: JSON patch, merge patch, strategic
 * merge patch, and server-side apply with `metadata.managedFields`. Pure functions over plain JSON that
 * never mutate their inputs. Start with {@link applyJsonPatch} or {@link serverSideApply}.
 */
export { builtinMergeSchema, crdMergeSchema } from './mergeSchema.js';
export type { ListType, MergeSchema } from './mergeSchema.js';
export { applyJsonPatch, jsonPatchFailed, MAX_JSON_PATCH_OPERATIONS } from './jsonPatch.js';
export { applyMergePatch } from './mergePatch.js';
export { applyStrategicMergePatch } from './strategicMerge.js';
export { serverSideApply, recordUpdate } from './serverSideApply.js';
export type { FieldManagerOptions } from './serverSideApply.js';
export { applyConflictError, decodeManagedFields, encodeManagedFields } from './managedFields.js';
export type { ManagedFieldsEntry } from './managedFields.js';
export {
  FieldSet,
  compareObjects,
  decodeFieldsV1,
  encodeFieldsV1,
  pathString,
  toFieldSet,
} from './fieldSet.js';
