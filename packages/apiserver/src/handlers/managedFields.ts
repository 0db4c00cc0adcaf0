/**
 * managedFields bookkeeping for non-apply writes: each write is recorded as an `Update` entry for its
 * field manager (the `fieldManager` query, else the User-Agent).
 *
 * Start with {@link recordManagedFields}.
 */
import type { KObject } from '../storage/storedObject.js';
import type { RequestContext } from './context.js';
import { fieldManager } from './options.js';

/**
 * Records the write on `next.metadata.managedFields`. Until the patch module's field manager is wired in,
 * this keeps the previous entries unchanged (a write never loses them).
 */
export function recordManagedFields(ctx: RequestContext, prev: KObject | undefined, next: KObject, _op: 'Update' | 'Apply'): void {
  void fieldManager(ctx);
  const meta = next.metadata ?? {};
  if (meta.managedFields === undefined && prev?.metadata?.managedFields !== undefined) meta.managedFields = prev.metadata.managedFields;
}
