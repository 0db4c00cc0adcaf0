/**
 * The patch kinds whose algorithms come from the patch module — strategic merge patch and server-side
 * apply — behind one seam, so the PATCH handler stays the same as they grow.
 *
 * Start with {@link strategicMerge} and {@link applyPatchToLive}.
 */
import { applyMergePatch, applyStrategicMergePatch, builtinMergeSchema } from '../patch/index.js';
import type { KObject, StoredObject } from '../storage/storedObject.js';
import type { RequestContext } from './context.js';

/** Strategic merge patch of a built-in object, merging lists by the kind's patch merge keys. */
export function strategicMerge(ctx: RequestContext, current: KObject, patch: unknown): KObject {
  return applyStrategicMergePatch(current, patch, builtinMergeSchema(ctx.info.group, ctx.info.kind)) as KObject;
}

/**
 * Server-side apply of `applied` onto the live object (or onto nothing, for a create). Until the field
 * manager is wired in, the applied configuration is merged over the live object without ownership.
 */
export function applyPatchToLive(_ctx: RequestContext, live: StoredObject | undefined, applied: KObject): KObject {
  if (!live) return applied;
  return applyMergePatch(JSON.parse(live.json) as KObject, applied) as KObject;
}
