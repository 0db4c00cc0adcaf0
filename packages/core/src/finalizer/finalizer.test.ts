import { describe, expect, it } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import { ConflictError } from '../client/errors.js';
import { widgets } from '../client/testServer.fixture.js';
import { controllerHarness, sleep } from '../controller/controllerHarness.fixture.js';
import type { Widget } from '../controller/controllerHarness.fixture.js';
import { waitFor } from '../informer/httpListWatcher.fixture.js';
import { builtin } from '../client/resourceRef.js';
import { defaultFinalizerName, finalizer, FinalizerNameError, validateFinalizerName } from './finalizer.js';

const requests: string[] = [];
const h = controllerHarness('fin', {
  onRequest: (req: IncomingMessage) => {
    if (req.method !== 'GET') requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    return Promise.resolve(false);
  },
});
const FIN = 'test.steward.dev/test';
const OTHER = 'other.example.com/keep';

const getWidget = (ns: string, name: string): Promise<Widget | undefined> =>
  h.client.get<Widget>(widgets, name, { namespace: ns }).catch(() => undefined);

describe('finalizer names', () => {
  it('defaults to the primary group (or steward.dev) and the controller name', () => {
    expect(defaultFinalizerName(widgets, 'widget-ctrl')).toBe('test.steward.dev/widget-ctrl');
    expect(defaultFinalizerName(builtin.configmaps, 'cm')).toBe('steward.dev/cm');
  });
  it('accepts qualified names with a prefix and refuses the rest', () => {
    for (const ok of ['a.b/c', 'example.com/my_ctrl.v1', 'x/Y-1'])
      expect(() => validateFinalizerName(ok)).not.toThrow();
    for (const bad of ['noprefix', 'Example.com/x', 'a.b/', 'a.b/-x', '/x', `a/${'x'.repeat(64)}`, 'a b/c'])
      expect(() => validateFinalizerName(bad)).toThrow(FinalizerNameError);
  });
  it('refuses an invalid name when the controller is built', async () => {
    await expect(
      h.run({ for: widgets, name: 'Bad Name', reconcile: () => undefined, cleanup: () => undefined }),
    ).rejects.toMatchObject({ code: 'FINALIZER_NAME' });
  });
});

describe('finalizer with cleanup', () => {
  it('adds the finalizer as the first write, before reconcile runs', async () => {
    const ns = await h.freshNamespace();
    await h.client.create<Widget>(widgets, { metadata: { name: 'w', namespace: ns }, spec: { size: 1 } });
    const seen: string[][] = [];
    const from = requests.length;
    await h.run<Widget>({
      for: widgets,
      namespace: ns,
      reconcile: async (w, ctx) => {
        seen.push(w.metadata.finalizers ?? []);
        await ctx.client.create(builtin.configmaps, { metadata: { name: 'child', namespace: ns } });
      },
      cleanup: () => undefined,
    });
    await waitFor(
      () => seen.length > 0,
      () => 'never reconciled',
    );
    const writes = requests.slice(from).filter((r) => r.includes(`/namespaces/${ns}/`));
    expect(writes[0]).toMatch(new RegExp(`^PATCH /apis/test.steward.dev/v1/namespaces/${ns}/widgets/w`));
    expect(writes[1]).toMatch(/^POST .*\/configmaps/);
    expect(seen[0]).toEqual([FIN]);
    expect((await getWidget(ns, 'w'))?.metadata.finalizers).toEqual([FIN]);
  });

  it('runs cleanup on delete, keeps the object while cleanup fails, and lets it go once cleanup succeeds', async () => {
    const ns = await h.freshNamespace();
    await h.client.create<Widget>(widgets, { metadata: { name: 'w', namespace: ns, finalizers: [OTHER] } });
    let failures = 2;
    const cleanups: string[] = [];
    let reconciles = 0;
    await h.run<Widget>({
      for: widgets,
      namespace: ns,
      rateLimiter: { when: () => 20, forget: () => undefined, numRequeues: () => 0 },
      reconcile: (w) => void (w.metadata.deletionTimestamp === undefined || reconciles++),
      cleanup: (w) => {
        cleanups.push(w.metadata.deletionTimestamp ?? 'none');
        if (failures-- > 0) throw new Error('the external thing is not gone yet');
      },
    });
    await waitFor(
      async () => (await getWidget(ns, 'w'))?.metadata.finalizers?.includes(FIN) === true,
      () => 'finalizer not added',
    );
    expect((await getWidget(ns, 'w'))?.metadata.finalizers).toEqual([OTHER, FIN]);
    await h.client.delete(widgets, 'w', { namespace: ns });
    await waitFor(
      () => cleanups.length >= 1,
      () => 'cleanup never ran',
    );
    // While cleanup fails, the object and both finalizers stay.
    expect((await getWidget(ns, 'w'))?.metadata.finalizers).toEqual([OTHER, FIN]);
    await waitFor(
      async () => (await getWidget(ns, 'w'))?.metadata.finalizers?.length === 1,
      () => `cleanups ${cleanups.length}`,
    );
    expect(cleanups.length).toBe(3);
    expect(cleanups.every((t) => t !== 'none')).toBe(true);
    // Another controller's finalizer survives ours; the object goes when it is removed too.
    const kept = await getWidget(ns, 'w');
    expect(kept?.metadata.finalizers).toEqual([OTHER]);
    await h.client.patch(widgets, 'w', { metadata: { finalizers: null } }, { namespace: ns, type: 'merge' });
    await waitFor(
      async () => (await getWidget(ns, 'w')) === undefined,
      () => 'the object was not deleted',
    );
    await sleep(50);
    expect(cleanups.length).toBe(3);
    expect(reconciles).toBe(0); // objects being deleted go to cleanup, never to reconcile
  });

  it('deletes the object once cleanup succeeds, and a requeue keeps the finalizer', async () => {
    const ns = await h.freshNamespace();
    await h.client.create<Widget>(widgets, { metadata: { name: 'w', namespace: ns } });
    let calls = 0;
    let presentDuringRequeue = false;
    await h.run<Widget>({
      for: widgets,
      namespace: ns,
      reconcile: () => undefined,
      cleanup: async () => {
        calls++;
        if (calls === 1) return { requeueAfter: 10 };
        presentDuringRequeue = (await getWidget(ns, 'w'))?.metadata.finalizers?.includes(FIN) === true;
        return undefined;
      },
    });
    await waitFor(
      async () => (await getWidget(ns, 'w'))?.metadata.finalizers?.includes(FIN) === true,
      () => 'finalizer not added',
    );
    await h.client.delete(widgets, 'w', { namespace: ns });
    await waitFor(
      async () => (await getWidget(ns, 'w')) === undefined,
      () => `still there after ${calls} cleanups`,
    );
    expect(calls).toBe(2);
    expect(presentDuringRequeue).toBe(true);
  });

  it('never drops a finalizer added by someone else since the object was read', async () => {
    const ns = await h.freshNamespace();
    const stale = await h.client.create(widgets, { metadata: { name: 'w', namespace: ns } });
    await h.client.patch(
      widgets,
      'w',
      { metadata: { finalizers: [OTHER] } },
      { namespace: ns, type: 'merge' },
    );
    const f = finalizer({ name: FIN, client: h.client, ref: widgets });
    await expect(f.add(stale)).rejects.toBeInstanceOf(ConflictError);
    const fresh = await h.client.get(widgets, 'w', { namespace: ns });
    const added = await f.add(fresh);
    expect(added.metadata.finalizers).toEqual([OTHER, FIN]);
    await h.client.patch(
      widgets,
      'w',
      { metadata: { labels: { x: 'y' } } },
      { namespace: ns, type: 'merge' },
    );
    await expect(f.remove(added)).rejects.toBeInstanceOf(ConflictError);
    expect((await f.remove(await h.client.get(widgets, 'w', { namespace: ns }))).metadata.finalizers).toEqual(
      [OTHER],
    );
    expect(f.step({ metadata: { finalizers: [FIN], deletionTimestamp: 'now' } })).toBe('cleanup');
    expect(f.step({ metadata: { deletionTimestamp: 'now' } })).toBe('skip');
    expect(f.step({ metadata: {} })).toBe('add');
    expect(f.step({ metadata: { finalizers: [FIN] } })).toBe('reconcile');
  });
});

describe('without cleanup', () => {
  it('adds no finalizer, and reconcile sees objects being deleted', async () => {
    const ns = await h.freshNamespace();
    await h.client.create<Widget>(widgets, { metadata: { name: 'w', namespace: ns, finalizers: [OTHER] } });
    const deleting: boolean[] = [];
    await h.run<Widget>({
      for: widgets,
      namespace: ns,
      reconcile: (w) => void deleting.push(w.metadata.deletionTimestamp !== undefined),
    });
    await waitFor(
      () => deleting.length === 1,
      () => 'not reconciled',
    );
    await h.client.delete(widgets, 'w', { namespace: ns });
    await waitFor(
      () => deleting.includes(true),
      () => `seen ${deleting.join()}`,
    );
    expect((await getWidget(ns, 'w'))?.metadata.finalizers).toEqual([OTHER]);
    await h.client.patch(widgets, 'w', { metadata: { finalizers: null } }, { namespace: ns, type: 'merge' });
  });
});
