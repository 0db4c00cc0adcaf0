/**
 * managedFields bookkeeping: non-apply writes are recorded as `Update` entries for their field manager
 * (the `fieldManager` query, else the User-Agent), and server-side apply merges with ownership, both through
 * the patch module's field manager.
 *
 * Start with {@link recordManagedFields} and {@link applyWithOwnership}.
 */
import {
  builtinMergeSchema,
  crdMergeSchema,
  recordUpdate,
  serverSideApply,
  type MergeSchema,
} from '../patch/index.js';
import type { KObject } from '../storage/storedObject.js';
import { apiVersionOf, isCustom, type RequestContext } from './context.js';
import { fieldManager } from './options.js';
import { nowTimestamp } from './time.js';

export function mergeSchemaOf(ctx: RequestContext): MergeSchema {
  return isCustom(ctx.info)
    ? crdMergeSchema(ctx.info.schema)
    : builtinMergeSchema(ctx.info.group, ctx.info.kind);
}

function options(ctx: RequestContext) {
  const sub =
    ctx.subresource === 'status' || ctx.subresource === 'scale' ? { subresource: ctx.subresource } : {};
  return {
    manager: fieldManager(ctx),
    apiVersion: apiVersionOf(ctx.info),
    now: nowTimestamp(),
    schema: mergeSchemaOf(ctx),
    statusSubresource: ctx.info.subresources.status,
    ...sub,
  };
}

/** Records a non-apply write on `next.metadata.managedFields` (in place). */
export function recordManagedFields(
  ctx: RequestContext,
  prev: KObject | undefined,
  next: KObject,
  _op: 'Update' | 'Apply',
): void {
  const updated = recordUpdate(prev, next, options(ctx)) as KObject;
  const fields = updated.metadata?.managedFields;
  const meta = next.metadata ?? (next.metadata = {});
  if (fields === undefined || fields.length === 0) delete meta.managedFields;
  else meta.managedFields = fields;
}

/** Server-side apply of `applied` onto `live` (undefined: create); throws the 409 on conflicts unless forced. */
export function applyWithOwnership(
  ctx: RequestContext,
  live: KObject | undefined,
  applied: KObject,
): KObject {
  const force = ctx.query.get('force') === 'true';
  return serverSideApply(live, applied, { ...options(ctx), force }) as KObject;
}
