/**
 * The operator `steward new widget-operator --group example.com --kind Widget` writes, gathered in one
 * file for docs/getting-started.md: the resource, the controller, the operator value. Each region is
 * the generator's output verbatim (docs.test.ts checks it against packages/cli/test/golden/new/), and
 * firstOperator.test.ts runs it. Start with the `controller` region.
 */
import { Type } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import {
  addController,
  builtin,
  Conditions,
  Controller,
  CustomResource,
  defineOperator,
} from '@steward/core';
import { Description, NotFoundError, PrinterColumn } from '@steward/core';
import type { Condition, ContextOf, KubeObject } from '@steward/core';

// #region resource
export class WidgetSpec {
  // A ConfigMap value can hold far more; the limit shows validation the API server applies on write.
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  @PrinterColumn()
  @Description('The text the operator publishes in the ConfigMap it owns.')
  message!: string;
}

export class WidgetStatus {
  // Ready=True once the ConfigMap holds the current message; `kubectl wait --for=condition=Ready` works.
  @IsOptional() @Conditions() conditions?: Condition[];
}

@CustomResource({ group: 'example.com', version: 'v1alpha1', kind: 'Widget' })
export class Widget {
  @ValidateNested() @Type(() => WidgetSpec) spec!: WidgetSpec;
  @IsOptional() @ValidateNested() @Type(() => WidgetStatus) status?: WidgetStatus;
}
// #endregion

// #region controller
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
// #endregion

// #region operator
export const widgetOperator = defineOperator({
  name: 'widget-operator',
  resources: [Widget],
  setup: (manager) => {
    addController(manager, new WidgetController());
  },
});
// #endregion
