/**
 * `objectFilter()`: the namespace, label-selector and field-selector filter of a list or watch request.
 *
 * Start with {@link objectFilter}; bad selectors throw the server's 400 before anything is written.
 */
import {
  matchesFields,
  parseFieldSelector,
  parseLabelSelector,
  validateFieldSelector,
} from '../selectors/index.js';
import type { StoredObject } from '../storage/storedObject.js';
import type { RequestContext } from './context.js';

export interface ObjectFilter {
  (s: StoredObject): boolean;
  /** Whether any label or field selector is set (the server then omits remainingItemCount). */
  readonly selective: boolean;
}

export function objectFilter(ctx: RequestContext): ObjectFilter {
  const labels = parseLabelSelector(ctx.query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(ctx.query.get('fieldSelector') ?? '');
  validateFieldSelector(fields, ctx.info);
  const ns = ctx.info.namespaced ? ctx.namespace : '';
  const f = (s: StoredObject): boolean =>
    (ns === '' || s.namespace === ns) &&
    (labels.empty || labels.matches(s.obj.metadata?.labels)) &&
    (fields.empty || matchesFields(fields, ctx.info, s.obj));
  return Object.assign(f, { selective: !labels.empty || !fields.empty });
}
