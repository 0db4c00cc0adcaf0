import { describe, expect, it } from '@jest/globals';
import { builtin } from '../client/resourceRef.js';
import { widgets } from '../client/testServer.fixture.js';
import type { KubeObject } from '../client/types.js';
import { waitFor } from '../informer/httpListWatcher.fixture.js';
import type { Informer } from '../informer/informerTypes.js';
import { store } from '../informer/store.js';
import { controllerHarness, sleep } from './controllerHarness.fixture.js';
import type { Widget } from './controllerHarness.fixture.js';
import { readYourWrites } from './readYourWrites.js';

const h = controllerHarness('ryw');
const rv = (o: KubeObject | undefined): number => Number(o?.metadata.resourceVersion ?? 0);
const obj = (name: string, version: string): KubeObject => ({
  metadata: { name, namespace: 'ns', resourceVersion: version },
});

describe('read-your-writes', () => {
  it('never reconciles against a cache older than its own last write, however long the watch lags', async () => {
    const ns = await h.freshNamespace();
    await h.client.create<Widget>(widgets, {
      metadata: { name: 'w', namespace: ns, annotations: { n: '0' } },
    });
    let lastWritten = 0;
    const seen: { rv: number; lastWritten: number }[] = [];
    let writes = 0;
    const { logs } = await h.run<Widget>({
      for: widgets,
      namespace: ns,
      readYourWritesTimeoutMs: 100,
      rateLimiter: { when: () => 20, forget: () => undefined, numRequeues: () => 0 },
      reconcile: async (w, ctx) => {
        seen.push({ rv: rv(w), lastWritten });
        if (writes >= 6) return undefined;
        writes++;
        const n = Number(w.metadata.annotations?.['n'] ?? 0) + 1;
        const written = await ctx.client.patch(
          widgets,
          'w',
          { metadata: { annotations: { n: String(n) } } },
          { namespace: ns, type: 'merge' },
        );
        lastWritten = rv(written);
        return { requeueAfter: 0 };
      },
    });
    await waitFor(
      () => writes >= 2,
      () => `writes ${writes}`,
    );
    // Hold the watch: the cache stops moving while the controller keeps writing and requeueing.
    const hold = h.server.faults.holdWatches({ resource: 'widgets.test.steward.dev' });
    expect(hold.count).toBeGreaterThan(0);
    const before = seen.length;
    const writesBefore = writes;
    await sleep(400);
    // At most the reconcile already past its wait; then only "not caught up" requeues.
    expect(seen.length - before).toBeLessThanOrEqual(1);
    expect(writes - writesBefore).toBeLessThanOrEqual(1);
    expect(logs.some((l) => l.msg.includes('has not caught up'))).toBe(true);
    hold.release();
    await waitFor(
      () => writes >= 6 && seen.length >= 7,
      () => `writes ${writes}, reconciles ${seen.length}`,
    );
    for (const s of seen) expect(s.rv).toBeGreaterThanOrEqual(s.lastWritten);
    const final = await h.client.get<Widget>(widgets, 'w', { namespace: ns });
    expect(final.metadata.annotations?.['n']).toBe('6');
  });

  it('keeps entries only until they are seen or the key is forgotten', async () => {
    const cache = store();
    let lastRv = '5';
    const inf = { store: cache, health: () => ({ resourceVersion: lastRv }) } as unknown as Informer;
    const ryw = readYourWrites({ timeoutMs: 30, covering: (ref) => (ref === widgets ? [inf] : []) });
    const signal = new AbortController().signal;
    cache.upsert(obj('a', '5'));
    ryw.record('ns/p', widgets, obj('a', '7'), obj('a', '7'));
    ryw.record('ns/p', builtin.secrets, obj('s', '8'), obj('s', '8')); // no informer: nothing to wait for
    ryw.record('ns/q', widgets, obj('b', '9'), obj('b', '9'));
    expect(ryw.size()).toBe(2);
    expect(await ryw.waitFor('ns/p', signal)).toBe(false);
    cache.upsert(obj('a', '10')); // a later version than ours counts (decimal versions)
    expect(await ryw.waitFor('ns/p', signal)).toBe(true);
    expect(ryw.size()).toBe(1);
    // An object deleted since: the informer's position past our write says the cache has seen it.
    lastRv = '11';
    expect(await ryw.waitFor('ns/q', signal)).toBe(true);
    expect(ryw.size()).toBe(0);
    // A delete answered with a Status: caught up once the object is gone from the cache.
    ryw.record('ns/p', widgets, undefined, obj('a', ''));
    expect(await ryw.waitFor('ns/p', signal)).toBe(false);
    cache.remove('ns/a');
    expect(await ryw.waitFor('ns/p', signal)).toBe(true);
    // Opaque versions: only the exact version counts; forget drops the entry.
    cache.upsert(obj('c', 'abc'));
    ryw.record('ns/r', widgets, obj('c', 'xyz'), obj('c', 'xyz'));
    expect(await ryw.waitFor('ns/r', signal)).toBe(false);
    ryw.forget('ns/r');
    expect(ryw.size()).toBe(0);
  });
});
