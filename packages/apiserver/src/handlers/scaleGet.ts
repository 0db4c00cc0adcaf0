/**
 * GET of the `scale` subresource: the object's autoscaling/v1 Scale view.
 *
 * Start with {@link handleScaleGet}.
 */
import { sendText } from '../http/respond.js';
import type { RequestContext } from './context.js';
import { getExisting } from './get.js';
import { scaleOf } from './scale.js';

export function handleScaleGet(ctx: RequestContext): void {
  sendText(ctx.res, 200, JSON.stringify(scaleOf(ctx.info, getExisting(ctx))));
}
