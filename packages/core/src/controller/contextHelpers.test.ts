import { describe, expect, it } from '@jest/globals';
import { builtin } from '../client/resourceRef.js';
import { widgets } from '../client/testServer.fixture.js';
import type { KubeObject } from '../client/types.js';
import { waitFor } from '../informer/httpListWatcher.fixture.js';
import type { Condition } from '../reconcile/conditions.js';
import { controllerHarness, sleep } from './controllerHarness.fixture.js';
import type { Widget } from './controllerHarness.fixture.js';

const requests: string[] = [];
const h = controllerHarness('helpers', {
  onRequest: (req) => {
    if (req.method !== 'GET') requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    return Promise.resolve(false);
  },
});
const configMaps = builtin.configmaps;

describe('reconcile context helpers', () => {
  it('own + apply write an owned child once, status commits itself once, events are recorded', async () => {
    const ns = await h.freshNamespace();
    await h.client.create<Widget>(widgets, { metadata: { name: 'w', namespace: ns }, spec: { size: 2 } });
    const applied: boolean[] = [];
    const statuses: unknown[] = [];
    let calls = 0;
    const { logs } = await h.run<Widget>({
      for: widgets,
      namespace: ns,
      name: 'widgets',
      reconcile: async (w, ctx) => {
        calls++;
        statuses.push(w.status?.['observedGeneration']);
        const child = ctx.own<KubeObject>({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'w-config' },
          data: { size: String(w.spec?.size) },
        });
        const { object, changed } = await ctx.apply(configMaps, child);
        applied.push(changed);
        expect(object.metadata.namespace).toBe(ns);
        ctx.status.set({ size: w.spec?.size }).setCondition({
          type: 'Ready',
          status: 'True',
          reason: 'Applied',
          message: 'the ConfigMap is applied',
        });
        if (calls === 1) await ctx.events.normal('Applied', `applied ConfigMap ${ns}/w-config`);
        return calls < 3 ? { requeueAfter: 1 } : undefined;
      },
    });
    await waitFor(
      () => calls >= 3,
      () => `calls ${calls}`,
    );
    await sleep(50);
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    // First reconcile writes; the next ones find the cached child (read-your-writes) equal and skip.
    expect(applied).toEqual([true, false, false]);
    const cmWrites = requests.filter((r) => r.includes(`/namespaces/${ns}/configmaps/w-config`));
    expect(cmWrites).toHaveLength(1);
    const statusWrites = requests.filter((r) => r.includes(`/namespaces/${ns}/widgets/w/status`));
    expect(statusWrites).toHaveLength(1);
    // The status written after the first reconcile is what the second one sees.
    expect(statuses).toEqual([undefined, 1, 1]);

    const cmap = await h.client.get(configMaps, 'w-config', { namespace: ns });
    expect(cmap.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Widget', name: 'w', controller: true });
    const w = await h.client.get<Widget>(widgets, 'w', { namespace: ns });
    expect(w.status?.['size']).toBe(2);
    expect((w.status?.['conditions'] as Condition[] | undefined)?.[0]).toMatchObject({
      type: 'Ready',
      observedGeneration: 1,
    });
    const events = await h.client.list(builtin.eventsV1, { namespace: ns });
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({
      reason: 'Applied',
      reportingController: 'steward.dev/widgets',
      regarding: { kind: 'Widget', name: 'w' },
    });
  });

  it('does not commit the status of a reconcile that failed', async () => {
    const ns = await h.freshNamespace();
    await h.client.create<Widget>(widgets, { metadata: { name: 'w', namespace: ns } });
    let calls = 0;
    await h.run<Widget>({
      for: widgets,
      namespace: ns,
      rateLimiter: { when: () => 5, forget: () => undefined, numRequeues: () => 0 },
      reconcile: (w, ctx) => {
        calls++;
        ctx.status.set({ phase: calls < 3 ? `try-${calls}` : 'done' });
        if (calls < 3) throw new Error('not yet');
      },
    });
    await waitFor(
      async () => (await h.client.get<Widget>(widgets, 'w', { namespace: ns })).status?.['phase'] === 'done',
      () => `calls ${calls}`,
    );
    await sleep(50);
    expect(requests.filter((r) => r.includes(`/namespaces/${ns}/widgets/w/status`))).toHaveLength(1);
    expect(calls).toBe(4); // three tries, then once more for the status write's own event
  });
});
