/**
 * The patch kinds whose algorithms come from the patch module — strategic merge patch and server-side
 * apply — behind one seam, so the PATCH handler stays the same as they grow.
 *
 * Start with {@link strategicMerge} and {@link applyPatchToLive}.
 */
import { applyStrategicMergePatch, builtinMergeSchema } from '../patch/index.js';
import { applyWithOwnership } from './managedFields.js';
import type { KObject, StoredObject } from '../storage/storedObject.js';
import type { RequestContext } from './context.js';

/** Strategic merge patch of a built-in object, merging lists by the kind's patch merge keys. */
export function strategicMerge(ctx: RequestContext, current: KObject, patch: unknown): KObject {
  return applyStrategicMergePatch(
    current,
    patch,
    builtinMergeSchema(ctx.info.group, ctx.info.kind),
  ) as KObject;
}

/** Server-side apply of `applied` onto the live object (or onto nothing, for a create), with ownership. */
export function applyPatchToLive(
  ctx: RequestContext,
  live: StoredObject | undefined,
  applied: KObject,
): KObject {
  return applyWithOwnership(ctx, live ? (JSON.parse(live.json) as KObject) : undefined, applied);
}
