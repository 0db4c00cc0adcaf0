import { describe, expect, it } from '@jest/globals';
import { builtin } from '../client/resourceRef.js';
import type { KubeObject } from '../client/types.js';
import { TerminalError } from '../errors/errors.js';
import { waitFor } from '../informer/httpListWatcher.fixture.js';
import type { WorkQueueMetrics } from '../queue/metrics.js';
import { controllerHarness, sleep } from './controllerHarness.fixture.js';
import type { ControllerMetrics, ReconcileOutcome } from './controllerMetrics.js';
import type { ReconcileContext } from './controllerTypes.js';

const h = controllerHarness('ctx');
const configMaps = builtin.configmaps;
const cm = (namespace: string, name: string, labels: Record<string, string> = {}): KubeObject => ({
  metadata: { name, namespace, labels },
});

describe('reconcile context', () => {
  it('carries a fresh reconcile id, the object, and a logger bound to both', async () => {
    const ns = await h.freshNamespace();
    await h.client.create(configMaps, cm(ns, 'a'));
    const contexts: ReconcileContext[] = [];
    const objects: KubeObject[] = [];
    const { logs } = await h.run({
      for: configMaps,
      namespace: ns,
      reconcile: (obj, ctx) => {
        contexts.push(ctx);
        objects.push(obj);
        ctx.log.info('hello', { step: contexts.length });
        if (contexts.length === 1) throw new Error('first try fails');
        ctx.log.error('not really', new Error('e'));
        ctx.log.debug('done');
        return contexts.length < 3 ? { requeueAfter: 1 } : undefined;
      },
    });
    await waitFor(
      () => contexts.length === 3,
      () => `${contexts.length} reconciles`,
    );
    const ids = contexts.map((c) => c.reconcileId);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(contexts[0]?.object).toBe(objects[0]);
    expect(contexts[0]).toMatchObject({ key: `${ns}/a`, namespace: ns, name: 'a', attempt: 0 });
    expect(contexts[1]?.attempt).toBe(1);

    const mine = logs.filter((l) => l.reconcileId !== undefined);
    const hello = mine.filter((l) => l.msg === 'hello');
    expect(hello.map((l) => l.reconcileId)).toEqual(ids);
    expect(hello[1]).toEqual({
      level: 'info',
      controller: 'test',
      msg: 'hello',
      key: `${ns}/a`,
      object: { kind: 'ConfigMap', namespace: ns, name: 'a' },
      reconcileId: ids[1],
      fields: { step: 2 },
    });
    // The loop's own failure line is bound to the reconcile that failed.
    const failed = mine.find((l) => l.msg.startsWith('reconcile failed'));
    expect(failed?.reconcileId).toBe(ids[0]);
    expect(failed?.error).toMatchObject({ message: 'first try fails' });
    expect(mine.find((l) => l.msg === 'not really')?.error).toBeInstanceOf(Error);
    expect(mine.filter((l) => l.msg === 'done')).toHaveLength(2);
  });

  it('reads from the caches, starting an informer for a kind not yet watched', async () => {
    const ns = await h.freshNamespace();
    await h.client.create(configMaps, cm(ns, 'primary'));
    await h.client.create(builtin.secrets, { metadata: { name: 's1', namespace: ns, labels: { app: 'x' } } });
    await h.client.create(builtin.secrets, { metadata: { name: 's2', namespace: ns, labels: { app: 'y' } } });
    const results: unknown[] = [];
    const { factory } = await h.run({
      for: configMaps,
      namespace: ns,
      reconcile: async (obj, ctx) => {
        if (obj.metadata.name !== 'primary') return;
        const s1 = await ctx.reader.get(builtin.secrets, 's1', { namespace: ns });
        const missing = await ctx.reader.get(builtin.secrets, 'nope', { namespace: ns });
        const all = await ctx.reader.list(builtin.secrets, { namespace: ns });
        const ys = await ctx.reader.list(builtin.secrets, { namespace: ns, labelSelector: 'app in (y,z)' });
        const notX = await ctx.reader.list(builtin.secrets, { namespace: ns, labelSelector: 'app!=x' });
        const self = await ctx.reader.get(configMaps, 'primary', { namespace: ns });
        results.push(
          s1?.metadata.name,
          missing,
          all.map((s) => s.metadata.name ?? '').sort((x, y) => x.localeCompare(y)),
          ys.map((s) => s.metadata.name),
          notX.map((s) => s.metadata.name),
          self === obj,
        );
      },
    });
    await waitFor(
      () => results.length > 0,
      () => 'not reconciled',
    );
    expect(results).toEqual(['s1', undefined, ['s1', 's2'], ['s2'], ['s2'], true]);
    expect(factory.informers().map((i) => i.ref.plural)).toEqual(['configmaps', 'secrets']);
  });

  it('reports every reconcile, its outcome and the busy workers to the metrics hooks', async () => {
    const ns = await h.freshNamespace();
    for (const n of ['a', 'b']) await h.client.create(configMaps, cm(ns, n));
    const reconciled: [ReconcileOutcome, boolean][] = [];
    const active: number[] = [];
    const max: number[] = [];
    const metrics: ControllerMetrics = {
      reconciled: (outcome, seconds, terminal) => {
        expect(seconds).toBeGreaterThanOrEqual(0);
        reconciled.push([outcome, terminal]);
      },
      activeWorkers: (v) => void active.push(v),
      maxConcurrentReconciles: (v) => void max.push(v),
    };
    let adds = 0;
    const queueMetrics: WorkQueueMetrics = {
      depth: () => undefined,
      add: () => void adds++,
      queueDuration: () => undefined,
      workDuration: () => undefined,
      retry: () => undefined,
    };
    const calls = new Map<string, number>();
    await h.run({
      for: configMaps,
      namespace: ns,
      maxConcurrentReconciles: 2,
      metrics,
      queueMetrics,
      rateLimiter: { when: () => 1, forget: () => undefined, numRequeues: () => 0 },
      reconcile: (obj) => {
        const name = obj.metadata.name ?? '';
        const n = (calls.get(name) ?? 0) + 1;
        calls.set(name, n);
        if (name === 'b') throw new TerminalError('b is broken');
        return (
          [{ requeue: true }, { requeueAfter: 1 }, new Error('x') as never, undefined][n - 1] ?? undefined
        );
      },
    });
    await waitFor(
      () => (calls.get('a') ?? 0) >= 4 && reconciled.length >= 5,
      () => JSON.stringify(reconciled),
    );
    await sleep(50);
    expect(max).toEqual([2]);
    const outcomes = reconciled.map(([o, t]) => `${o}${t ? '!' : ''}`).sort((x, y) => x.localeCompare(y));
    expect(outcomes).toEqual(['error', 'error!', 'requeue', 'requeue_after', 'success']);
    expect(active.at(-1)).toBe(0);
    expect(Math.max(...active)).toBeGreaterThanOrEqual(1);
    expect(active.every((v) => v >= 0 && v <= 2)).toBe(true);
    expect(adds).toBeGreaterThanOrEqual(2);
  });
});
