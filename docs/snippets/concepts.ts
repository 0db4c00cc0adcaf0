/**
 * The examples of docs/concepts.md: a Shelf that keeps `spec.books` ConfigMaps, written the
 * level-triggered way (read the world, compare, act), and a manager with leader election. Start with
 * the `levelTriggered` region; concepts.test.ts runs it on the embedded API server.
 */
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { addController, builtin, Conditions, Controller, CustomResource, manager } from '@steward/core';
import type { Condition, ContextOf, KubeObject, Manager, ReconcileResult } from '@steward/core';

class ShelfSpec {
  @IsInt() @Min(0) @Max(20) books!: number;
}
class ShelfStatus {
  @IsOptional() @Conditions() conditions?: Condition[];
}
@CustomResource({ group: 'docs.steward.dev', version: 'v1', kind: 'Shelf' })
export class Shelf {
  @ValidateNested() @Type(() => ShelfSpec) spec!: ShelfSpec;
  @IsOptional() @ValidateNested() @Type(() => ShelfStatus) status?: ShelfStatus;
}
type ShelfObject = Shelf & KubeObject;

// #region levelTriggered
@Controller({ for: Shelf, owns: [builtin.configmaps] })
export class ShelfController {
  async reconcile(shelf: ShelfObject, ctx: ContextOf<ShelfObject>): Promise<ReconcileResult> {
    // What the world is now (from the cache), not what the event that woke us said.
    const namespace = shelf.metadata.namespace ?? '';
    const books = await ctx.reader.list(builtin.configmaps, {
      namespace,
      labelSelector: `shelf=${ctx.name}`,
    });
    const have = new Set(books.map((book) => book.metadata.name));
    const want = Array.from({ length: shelf.spec.books }, (_, i) => `${ctx.name}-book-${i}`);
    // One step towards the spec; the child's own event (we own it) wakes us for the next one.
    const missing = want.find((name) => !have.has(name));
    if (missing !== undefined) {
      const labels = { shelf: ctx.name };
      const book = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: missing, labels } };
      await ctx.apply(builtin.configmaps, ctx.own(book));
      return undefined;
    }
    const extra = [...have].find((name) => name !== undefined && !want.includes(name));
    if (extra !== undefined) {
      await ctx.client.delete(builtin.configmaps, extra, { namespace });
      return undefined;
    }
    const message = `${want.length} books`;
    ctx.status.setCondition({ type: 'Ready', status: 'True', reason: 'AllShelved', message });
    return undefined;
  }
}
// #endregion

// #region leaderElection
export function shelfManager(kubeConfig: string): Manager {
  const m = manager({
    kubeConfig,
    // One Lease per operator; the identity must differ per replica (the Pod's name in a Deployment).
    leaderElection: {
      name: 'shelf-operator',
      namespace: 'shelf-system',
      identity: process.env['POD_NAME'] ?? 'local',
    },
    healthProbe: { port: 8081 }, // /healthz, and /readyz: 200 once every cache has synced
    metrics: { port: 8080 },
  });
  addController(m, new ShelfController());
  return m; // await m.run(): caches sync, then the campaign; only the leader reconciles
}
// #endregion
