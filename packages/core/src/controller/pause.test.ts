import { describe, expect, it } from '@jest/globals';
import { widgets } from '../client/testServer.fixture.js';
import { waitFor } from '../informer/httpListWatcher.fixture.js';
import { PAUSED_ANNOTATION } from '../reconcile/paused.js';
import { controllerHarness, sleep } from './controllerHarness.fixture.js';
import type { Widget } from './controllerHarness.fixture.js';
import { generationChanged } from './predicates.js';

const requests: string[] = [];
const h = controllerHarness('pause', {
  onRequest: (req) => {
    if (req.method !== 'GET') requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    return Promise.resolve(false);
  },
});
const paused = { [PAUSED_ANNOTATION]: 'true' };

describe('pause annotation', () => {
  it('skips reconcile and the finalizer write, says why, and reconciles once unpaused despite predicates', async () => {
    const ns = await h.freshNamespace();
    await h.client.create<Widget>(widgets, {
      metadata: { name: 'w', namespace: ns, annotations: paused },
      spec: { size: 1 },
    });
    const from = requests.length;
    const sizes: number[] = [];
    const { logs } = await h.run<Widget>({
      for: widgets,
      namespace: ns,
      predicates: [generationChanged],
      reconcile: (w) => void sizes.push(w.spec?.size ?? 0),
      cleanup: () => undefined,
    });
    await waitFor(
      () => logs.some((l) => l.msg.startsWith('paused')),
      () => JSON.stringify(logs),
    );
    expect(logs.find((l) => l.msg.startsWith('paused'))).toMatchObject({ level: 'debug', key: `${ns}/w` });
    // A spec change while paused: still nothing.
    await h.client.patch(widgets, 'w', { spec: { size: 2 } }, { namespace: ns, type: 'merge' });
    await waitFor(
      () => logs.filter((l) => l.msg.startsWith('paused')).length >= 2,
      () => 'the spec change was not seen',
    );
    await sleep(50);
    expect(sizes).toEqual([]);
    expect(requests.slice(from).filter((r) => r.includes(`/namespaces/${ns}/widgets`))).toHaveLength(1); // our own patch
    // Unpausing is metadata-only (generationChanged drops it) and must still reconcile.
    await h.client.patch(
      widgets,
      'w',
      { metadata: { annotations: { [PAUSED_ANNOTATION]: null } } },
      { namespace: ns, type: 'merge' },
    );
    await waitFor(
      () => sizes.length > 0,
      () => 'unpausing did not reconcile',
    );
    expect(sizes[0]).toBe(2);
    expect((await h.client.get<Widget>(widgets, 'w', { namespace: ns })).metadata.finalizers).toEqual([
      'test.steward.dev/test',
    ]);
  });

  it('runs no cleanup and removes no finalizer for a paused object being deleted', async () => {
    const ns = await h.freshNamespace();
    await h.client.create<Widget>(widgets, { metadata: { name: 'w', namespace: ns } });
    let cleanups = 0;
    await h.run<Widget>({
      for: widgets,
      namespace: ns,
      reconcile: () => undefined,
      cleanup: () => void cleanups++,
    });
    await waitFor(
      async () =>
        (await h.client.get<Widget>(widgets, 'w', { namespace: ns })).metadata.finalizers?.length === 1,
      () => 'finalizer not added',
    );
    await h.client.patch(
      widgets,
      'w',
      { metadata: { annotations: paused } },
      { namespace: ns, type: 'merge' },
    );
    await h.client.delete(widgets, 'w', { namespace: ns });
    await sleep(200);
    expect(cleanups).toBe(0);
    expect(
      (await h.client.get<Widget>(widgets, 'w', { namespace: ns })).metadata.deletionTimestamp,
    ).toBeDefined();
    await h.client.patch(
      widgets,
      'w',
      { metadata: { annotations: { [PAUSED_ANNOTATION]: 'false' } } },
      { namespace: ns, type: 'merge' },
    );
    await waitFor(
      () =>
        h.client.get(widgets, 'w', { namespace: ns }).then(
          () => false,
          () => true,
        ),
      () => 'not deleted after unpausing',
    );
    expect(cleanups).toBe(1);
  });
});
