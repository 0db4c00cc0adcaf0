import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import type { KubeObject } from '../client/types.js';
import { configMaps, httpListWatcher, versions, waitFor } from './httpListWatcher.fixture.js';
import { informer, type Informer, type InformerEvent, type InformerOptions } from './informer.js';
import { InformerStoppedError } from './informerErrors.js';
import { objectKey } from './store.js';

type Server = Awaited<ReturnType<typeof startApiServer>>;
let server: Server;
let nsCount = 0;
const running: Informer[] = [];

beforeAll(async () => {
  server = await startApiServer({ port: 0, bookmarkIntervalMs: 100 });
});
afterEach(async () => {
  server.faults.clear();
  await Promise.all(running.splice(0).map((i) => i.stop()));
});
afterAll(async () => {
  await server.stop();
});

async function request(method: string, path: string, body?: unknown): Promise<KubeObject> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(`${server.url}${path}`, init);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as KubeObject;
}
async function namespace(): Promise<string> {
  const name = `inf-${++nsCount}`;
  await request('POST', '/api/v1/namespaces', { metadata: { name } });
  return name;
}
const cmPath = (ns: string, name = ''): string =>
  `/api/v1/namespaces/${ns}/configmaps${name ? `/${name}` : ''}`;
const create = (ns: string, name: string, data: Record<string, string> = { v: '0' }): Promise<KubeObject> =>
  request('POST', cmPath(ns), { metadata: { name, labels: { app: 'x' } }, data });
async function patch(ns: string, name: string, v: string): Promise<KubeObject> {
  const init: RequestInit = {
    method: 'PATCH',
    headers: { 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ data: { v } }),
  };
  const res = await fetch(`${server.url}${cmPath(ns, name)}`, init);
  if (res.status !== 200) throw new Error(`patch ${ns}/${name}: ${res.status}`);
  return (await res.json()) as KubeObject;
}
const remove = (ns: string, name: string): Promise<KubeObject> => request('DELETE', cmPath(ns, name));

/** Waits until the server holds a watch on `ns`'s ConfigMaps, so a fault reaches it. */
async function serverWatching(ns: string): Promise<void> {
  await waitFor(
    async () => {
      const res = await fetch(`${server.url}/steward/watches`);
      const { watches } = (await res.json()) as { watches: { resource: string; namespace: string | null }[] };
      return watches.some((w) => w.resource === 'configmaps' && w.namespace === ns);
    },
    () => `no watch on configmaps in ${ns}`,
  );
}

/** Starts an informer on `ns` and mirrors its events into a map, to check no event is lost. */
function start(ns: string, extra: Partial<InformerOptions> = {}) {
  const lw = httpListWatcher(server.url);
  const inf = informer({
    listWatcher: lw,
    ref: configMaps,
    namespace: ns,
    idleTimeoutMs: 600,
    backoff: { initialMs: 10, maxMs: 100 },
    ...extra,
  });
  const mirror = new Map<string, KubeObject>();
  const events: InformerEvent[] = [];
  inf.events$.subscribe((e) => {
    events.push(e);
    if (e.type === 'delete') mirror.delete(objectKey(e.object));
    else mirror.set(objectKey(e.object), e.object);
  });
  running.push(inf);
  inf.start();
  return { inf, lw, mirror, events };
}

/** The cache, and the map built from events, both equal a fresh list; the informer still runs. */
async function expectConverged(ns: string, inf: Informer, mirror: Map<string, KubeObject>): Promise<void> {
  let fresh: Record<string, string> = {};
  await waitFor(
    async () => {
      fresh = versions(
        await httpListWatcher(server.url)
          .list(configMaps, { namespace: ns })
          .then((r) => r.items),
      );
      return (
        JSON.stringify(versions(inf.store.list())) === JSON.stringify(fresh) &&
        JSON.stringify(versions([...mirror.values()])) === JSON.stringify(fresh)
      );
    },
    () =>
      `cache ${JSON.stringify(versions(inf.store.list()))} events ${JSON.stringify(versions([...mirror.values()]))} server ${JSON.stringify(fresh)} health ${JSON.stringify(inf.health())}`,
  );
  expect(inf.health().running).toBe(true);
}

describe('informer', () => {
  it('lists, then watches: initial events flagged, changes with old and new objects', async () => {
    const ns = await namespace();
    await create(ns, 'a');
    const { inf, events } = start(ns);
    await inf.waitForSync();
    expect(events).toEqual([expect.objectContaining({ type: 'add', initial: true })]);
    await create(ns, 'b');
    await patch(ns, 'a', '1');
    await remove(ns, 'b');
    await waitFor(
      () => events.length === 4,
      () => JSON.stringify(events),
    );
    expect(events.slice(1).map((e) => [e.type, e.object.metadata.name, e.initial])).toEqual([
      ['add', 'b', false],
      ['update', 'a', false],
      ['delete', 'b', false],
    ]);
    expect(events[2]?.oldObject?.['data']).toEqual({ v: '0' });
    expect(events[2]?.object['data']).toEqual({ v: '1' });
    expect(inf.health()).toEqual(
      expect.objectContaining({ hasSynced: true, running: true, size: 1, restarts: 0 }),
    );
    expect(inf.health().lastEventAt).toBeGreaterThan(0);
  });

  it('drops managedFields by default and keeps only metadata when asked', async () => {
    const ns = await namespace();
    const made = await create(ns, 'a');
    expect(made.metadata.managedFields).toBeDefined();
    const plain = start(ns).inf;
    const meta = start(ns, { metadataOnly: true }).inf;
    await Promise.all([plain.waitForSync(), meta.waitForSync()]);
    expect(plain.store.get(`${ns}/a`)?.metadata.managedFields).toBeUndefined();
    expect(plain.store.get(`${ns}/a`)?.['data']).toEqual({ v: '0' });
    expect(Object.keys(meta.store.get(`${ns}/a`) ?? {}).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
  });

  it('replays the cache to a late subscriber as initial adds', async () => {
    const ns = await namespace();
    await create(ns, 'a');
    await create(ns, 'b');
    const { inf } = start(ns);
    await inf.waitForSync();
    const late: InformerEvent[] = [];
    inf.events$.subscribe((e) => late.push(e));
    expect(
      late.map((e) => `${e.type} ${e.object.metadata.name} ${e.initial}`).sort((a, b) => a.localeCompare(b)),
    ).toEqual(['add a true', 'add b true']);
  });

  it('stop completes events$ and rejects a pending waitForSync', async () => {
    const ns = await namespace();
    server.faults.failNext({ path: cmPath(ns) }, { code: 500 }, 1000);
    const { inf } = start(ns);
    const pending = inf.waitForSync();
    let completed = false;
    inf.events$.subscribe({ complete: () => (completed = true) });
    await inf.stop();
    await expect(pending).rejects.toBeInstanceOf(InformerStoppedError);
    expect(completed).toBe(true);
    expect(inf.health().running).toBe(false);
  });

  it('re-emits the cache on resync', async () => {
    const ns = await namespace();
    await create(ns, 'a');
    const { inf, events } = start(ns, { resyncMs: 50 });
    await inf.waitForSync();
    await waitFor(
      () => events.some((e) => e.resync),
      () => JSON.stringify(events),
    );
    const resync = events.find((e) => e.resync);
    expect(resync).toEqual(expect.objectContaining({ type: 'update', initial: false }));
    expect(resync?.oldObject).toBe(resync?.object);
  });
});

describe('informer under faults: the cache ends equal to a fresh list and the informer keeps running', () => {
  it('watch closed by the server: watches again from the last resourceVersion, no relist', async () => {
    const ns = await namespace();
    await create(ns, 'a');
    const { inf, lw, mirror } = start(ns);
    await inf.waitForSync();
    await serverWatching(ns);
    server.faults.closeWatches({ resource: 'configmaps', namespace: ns });
    await patch(ns, 'a', '1');
    await create(ns, 'b');
    await expectConverged(ns, inf, mirror);
    expect(lw.calls.list).toBe(1);
    expect(lw.calls.watch).toBeGreaterThanOrEqual(2);
  });

  it('watch half-open (silent forever): the inactivity deadline reconnects', async () => {
    const ns = await namespace();
    const { inf, mirror } = start(ns);
    await inf.waitForSync();
    await serverWatching(ns);
    server.faults.halfOpenWatches({ resource: 'configmaps', namespace: ns });
    await create(ns, 'a');
    await expectConverged(ns, inf, mirror);
    expect(inf.health().lastError?.code).toBe('INFORMER_IDLE');
  });

  it('410 after compaction: relists, swaps the cache, synthesises deletes and updates', async () => {
    const ns = await namespace();
    await create(ns, 'gone');
    await create(ns, 'changed');
    const { inf, mirror, events } = start(ns, { idleTimeoutMs: 60_000 });
    await inf.waitForSync();
    await serverWatching(ns);
    server.faults.holdWatches({ resource: 'configmaps', namespace: ns });
    await remove(ns, 'gone');
    await patch(ns, 'changed', '9');
    await create(ns, 'new');
    server.faults.compact();
    server.faults.closeWatches({ resource: 'configmaps', namespace: ns });
    await expectConverged(ns, inf, mirror);
    expect(inf.health().relists).toBeGreaterThanOrEqual(1);
    expect(
      events
        .filter((e) => !e.initial)
        .map((e) => `${e.type} ${e.object.metadata.name}`)
        .sort(),
    ).toEqual(['add new', 'delete gone', 'update changed']);
  });

  for (const code of [429, 500] as const) {
    it(`${code} on list and on watch: backs off and retries`, async () => {
      const ns = await namespace();
      await create(ns, 'a');
      server.faults.failNext({ path: cmPath(ns), watch: false }, { code }, 3);
      const { inf, lw, mirror } = start(ns);
      await inf.waitForSync();
      expect(lw.calls.list).toBe(4);
      await serverWatching(ns);
      server.faults.failNext({ path: cmPath(ns), watch: true }, { code }, 3);
      server.faults.closeWatches({ resource: 'configmaps', namespace: ns });
      await create(ns, 'b');
      await expectConverged(ns, inf, mirror);
      expect(lw.calls.watch).toBeGreaterThanOrEqual(5);
      expect(inf.health().lastError?.message).toContain(String(code));
    });
  }

  it('an ERROR event that is not 410: backs off and watches again without relisting', async () => {
    const ns = await namespace();
    const lw = httpListWatcher(server.url);
    let injected = false;
    // The real watch, with one ERROR event put in front of the first stream's events.
    const erring = {
      list: lw.list.bind(lw),
      watch(...args: Parameters<typeof lw.watch>) {
        const stream = lw.watch(...args);
        if (injected) return stream;
        injected = true;
        return {
          close: () => stream.close(),
          async *[Symbol.asyncIterator]() {
            yield { type: 'ERROR' as const, object: { metadata: {}, code: 500, message: 'etcd hiccup' } };
            yield* stream;
          },
        };
      },
    };
    const { inf, mirror } = start(ns, { listWatcher: erring });
    await inf.waitForSync();
    await create(ns, 'a');
    await expectConverged(ns, inf, mirror);
    expect(inf.health().lastError).toEqual(expect.objectContaining({ code: 'WATCH_STATUS' }));
    expect(inf.health().lastError?.message).toContain('etcd hiccup');
    expect(lw.calls.list).toBe(1);
  });

  it('WatchList: fills the cache from sendInitialEvents without a LIST, and again after a 410', async () => {
    const ns = await namespace();
    await create(ns, 'a');
    await create(ns, 'b');
    const { inf, lw, mirror, events } = start(ns, { watchList: true, idleTimeoutMs: 60_000 });
    await inf.waitForSync();
    expect(events.map((e) => `${e.type} ${e.object.metadata.name} ${e.initial}`).sort()).toEqual([
      'add a true',
      'add b true',
    ]);
    await create(ns, 'c');
    await expectConverged(ns, inf, mirror);
    await serverWatching(ns);
    server.faults.holdWatches({ resource: 'configmaps', namespace: ns });
    await remove(ns, 'a');
    server.faults.compact();
    server.faults.closeWatches({ resource: 'configmaps', namespace: ns });
    await expectConverged(ns, inf, mirror);
    expect(events.at(-1)).toEqual(expect.objectContaining({ type: 'delete', initial: false }));
    expect(inf.health().relists).toBeGreaterThanOrEqual(1);
    expect(lw.calls.list).toBe(0);
  });

  it('transforms each object once, whether the ListWatcher applies the transform per page or not', async () => {
    const ns = await namespace();
    for (const name of ['a', 'b', 'c']) await create(ns, name);
    for (const perPage of [true, false]) {
      const lw = httpListWatcher(server.url);
      const seen: string[] = [];
      const inf = informer({
        listWatcher: {
          async list(ref, opts) {
            const result = await lw.list(ref, { ...opts, limit: 2 });
            if (!perPage || opts.transform === undefined) return result;
            // As KubeClient does: items are the transform's results.
            return { ...result, items: result.items.map(opts.transform) };
          },
          watch: (ref, opts) => lw.watch(ref, opts),
        },
        ref: configMaps,
        namespace: ns,
        transform: (o) => {
          seen.push(o.metadata.name ?? '');
          return { ...o, metadata: { ...o.metadata, labels: { seen: 'yes' } } };
        },
      });
      running.push(inf);
      inf.start();
      await inf.waitForSync();
      expect(seen.sort()).toEqual(['a', 'b', 'c']);
      expect(inf.store.list().map((o) => o.metadata.labels?.['seen'])).toEqual(['yes', 'yes', 'yes']);
      await inf.stop();
    }
  });

  it('WatchList cut before its initial-events-end bookmark: records why, then fills the cache by LIST', async () => {
    const ns = await namespace();
    await create(ns, 'a');
    await create(ns, 'b');
    const lw = httpListWatcher(server.url);
    let cut = 0;
    const inf = informer({
      listWatcher: {
        list: lw.list,
        watch(ref, opts) {
          const real = lw.watch(ref, opts);
          if (opts.sendInitialEvents !== true) return real;
          cut++;
          // As a server that closes a watcher whose backlog is too large: one object, then the end.
          return {
            async *[Symbol.asyncIterator]() {
              for await (const event of real) {
                yield event;
                break;
              }
            },
            close: () => real.close(),
          };
        },
      },
      ref: configMaps,
      namespace: ns,
      watchList: true,
      idleTimeoutMs: 60_000,
      backoff: { initialMs: 10, maxMs: 100 },
    });
    running.push(inf);
    inf.start();
    await inf.waitForSync();
    expect(inf.store.keys().sort()).toEqual([`${ns}/a`, `${ns}/b`]);
    expect(cut).toBe(1);
    expect(lw.calls.list).toBe(1);
    expect(inf.health().lastError).toEqual(expect.objectContaining({ code: 'WATCHLIST_INCOMPLETE' }));
  });

  it('API server restart: reconnects when it is back', async () => {
    const ns = await namespace();
    await create(ns, 'a');
    const { inf, mirror } = start(ns);
    await inf.waitForSync();
    await server.restart(300);
    await create(ns, 'b');
    await expectConverged(ns, inf, mirror);
    expect(inf.health().restarts).toBeGreaterThan(0);
  });
});
