/** A complete operator: a Widget resource and its controller (an owned ConfigMap, a Ready condition, a
 * cleanup). Start at `main()`, which runs it all on the embedded API server. */
import { setTimeout as sleep } from 'node:timers/promises';
import { startApiServer } from '@steward/apiserver';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { addController, builtin, Conditions, Controller, crdFor, CustomResource } from '@steward/core';
import { isConditionTrue, manager, NotFoundError, resourceRefOf } from '@steward/core';
import type { Condition, ContextOf, KubeObject } from '@steward/core';

class WidgetSpec {
  @IsInt() @Min(1) replicas!: number;
  @IsString() message!: string;
}
class WidgetStatus {
  @IsOptional() @Conditions() conditions?: Condition[];
}
@CustomResource({ group: 'example.com', version: 'v1', kind: 'Widget' })
export class Widget {
  @ValidateNested() @Type(() => WidgetSpec) spec!: WidgetSpec;
  @IsOptional() @ValidateNested() @Type(() => WidgetStatus) status?: WidgetStatus;
}
const widgets = resourceRefOf(Widget);
const inDefault = { namespace: 'default' };
const hello = { metadata: { name: 'hello', ...inDefault }, spec: { replicas: 2, message: 'Hello, world' } };

@Controller({ for: Widget, owns: [builtin.configmaps] })
export class WidgetController {
  async reconcile(widget: Widget & KubeObject, ctx: ContextOf<Widget & KubeObject>): Promise<void> {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', data: { message: widget.spec.message } };
    await ctx.apply(builtin.configmaps, ctx.own({ ...configMap, metadata: { name: `${ctx.name}-message` } }));
    ctx.status.setCondition({ type: 'Ready', status: 'True', reason: 'Published', message: 'Applied' });
  }
  async cleanup(widget: Widget & KubeObject, ctx: ContextOf<Widget & KubeObject>): Promise<void> {
    const options = { namespace: widget.metadata.namespace ?? '' };
    await ctx.client.delete(builtin.configmaps, `${ctx.name}-message`, options).catch(alreadyGone);
  }
}
function alreadyGone(error: unknown): void {
  if (!(error instanceof NotFoundError)) throw error; // cleanup is retried until it succeeds: be idempotent
}

export async function main(): Promise<{ widget: Widget & KubeObject; configMap: KubeObject }> {
  const server = await startApiServer({ port: 0 });
  const mgr = manager({ kubeConfig: server.kubeConfig, log: () => {} });
  try {
    await mgr.client.create(builtin.customresourcedefinitions, crdFor(Widget));
    addController(mgr, new WidgetController());
    await mgr.start();
    await mgr.client.apply(widgets, hello, { fieldManager: 'example' });
    const get = () => mgr.client.get<Widget & KubeObject>(widgets, 'hello', inDefault);
    let widget = await get();
    while (!isConditionTrue(widget.status?.conditions, 'Ready')) widget = await sleep(50).then(get);
    return { widget, configMap: await mgr.client.get(builtin.configmaps, 'hello-message', inDefault) };
  } finally {
    await mgr.stop().then(() => server.stop()); // stop() never rejects
  }
}
if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await main(), null, 2));
