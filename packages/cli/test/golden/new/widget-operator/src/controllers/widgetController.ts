/**
 * The Widget controller: each Widget gets a ConfigMap holding its message and a Ready condition;
 * deleting one runs `cleanup` before its finalizer is removed. Start with
 * {@link WidgetController.reconcile}.
 */
import { builtin, Controller, NotFoundError } from '@steward/core';
import type { ContextOf, KubeObject } from '@steward/core';
import { Widget } from '../api/widget.js';

type WidgetObject = Widget & KubeObject;
type Context = ContextOf<WidgetObject>;

/** The name of the ConfigMap a Widget owns: one rule for reconcile, cleanup and tests. */
export function configMapName(name: string): string {
  return `${name}-widget`;
}

@Controller({ for: Widget, owns: [builtin.configmaps] })
export class WidgetController {
  /** Level-triggered: brings the ConfigMap to the current spec, whatever changed and however often. */
  async reconcile(widget: WidgetObject, ctx: Context): Promise<void> {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: configMapName(ctx.name) },
      data: { message: widget.spec.message },
    };
    // Owned: an edit to the ConfigMap reconciles the Widget again, and the garbage collector
    // deletes it with its owner. Server-side apply skips the write when nothing changed.
    await ctx.apply(builtin.configmaps, ctx.own(configMap));
    ctx.status.setCondition({
      type: 'Ready',
      status: 'True',
      reason: 'ConfigMapApplied',
      message: `ConfigMap ${configMapName(ctx.name)} holds the message`,
    });
  }

  /**
   * Runs when a Widget is deleted, before its finalizer goes. Owned objects would go with the
   * garbage collector anyway; cleanup is for what it cannot see (a database user, a bucket, a DNS
   * record). It is retried until it succeeds, so it must be idempotent.
   */
  async cleanup(widget: WidgetObject, ctx: Context): Promise<void> {
    const namespace = widget.metadata.namespace ?? '';
    await ctx.client.delete(builtin.configmaps, configMapName(ctx.name), { namespace }).catch(alreadyGone);
  }
}

function alreadyGone(error: unknown): void {
  if (!(error instanceof NotFoundError)) throw error;
}
