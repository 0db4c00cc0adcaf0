/**
 * Table output (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), as `kubectl get` asks for it,
 * for GET, LIST and WATCH (each watch event then carries a one-row Table).
 *
 * Start with {@link tableRequested}.
 */
import { sendJson } from '../http/respond.js';
import type { StoredObject } from '../storage/storedObject.js';
import { toTable } from '../table/index.js';
import type { RequestContext } from './context.js';

/** Whether the first Accept entry that names a Table asks for meta.k8s.io v1 (or v1beta1) Tables. */
export function tableRequested(ctx: RequestContext): boolean {
  const accept = (ctx.req.headers.accept ?? '').replace(/\s+/g, '');
  for (const part of accept.split(',')) {
    const params = new Set(part.split(';').slice(1));
    if (
      params.has('as=Table') &&
      params.has('g=meta.k8s.io') &&
      (params.has('v=v1') || params.has('v=v1beta1'))
    )
      return true;
  }
  return false;
}

function includeObject(ctx: RequestContext): 'None' | 'Metadata' | 'Object' {
  const v = ctx.query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export function tableOf(
  ctx: RequestContext,
  items: StoredObject[],
  rv: number,
  continueToken: string | undefined,
  remainingItemCount?: number,
): Record<string, unknown> {
  return toTable(
    ctx.info,
    items.map((s) => s.obj),
    {
      includeObject: includeObject(ctx),
      resourceVersion: String(rv),
      ...(continueToken ? { continue: continueToken } : {}),
      ...(remainingItemCount !== undefined ? { remainingItemCount } : {}),
    },
  );
}

export function sendTable(
  ctx: RequestContext,
  items: StoredObject[],
  rv: number,
  continueToken: string | undefined,
  remainingItemCount?: number,
): void {
  sendJson(ctx.res, 200, tableOf(ctx, items, rv, continueToken, remainingItemCount));
}
