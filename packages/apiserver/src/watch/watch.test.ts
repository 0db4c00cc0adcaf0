// Watch over real HTTP: start points, resume, selector transitions, bookmarks, WatchList, timeouts, 410,
/* oxlint-disable typescript/no-explicit-any -- tests read JSON answers field by field */
// and the fault hooks (hold/resume, compaction).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer, type ApiServer } from '../apiServer.js';

let server: ApiServer;
const ns = 'watch-test';

beforeAll(async () => {
  server = await startApiServer({ port: 0, bookmarkIntervalMs: 50 });
  await call('POST', '/api/v1/namespaces', { metadata: { name: ns } });
});
afterAll(async () => {
  await server.stop();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<any> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'Content-Type': contentType },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return res.json();
}

const cmPath = `/api/v1/namespaces/${ns}/configmaps`;
const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) => ({
  metadata: { name, labels },
  data,
});

/** Opens a watch and returns a reader of its events (one per line) plus a closer. */
async function watch(
  query: string,
): Promise<{ status: number; next(ms?: number): Promise<any>; close(): void; ended(): Promise<boolean> }> {
  const ctrl = new AbortController();
  const res = await fetch(`${server.url}${cmPath}?watch=true&${query}`, { signal: ctrl.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  let done = false;
  const lines: string[] = [];
  // One read is outstanding at a time, so a timed-out wait never loses the chunk that arrives later.
  let pending: ReturnType<typeof reader.read> | undefined;
  const pump = async (ms: number): Promise<void> => {
    const deadline = Date.now() + ms;
    while (lines.length === 0 && !done) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      pending ??= reader.read();
      const r = await Promise.race([
        pending,
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), left)),
      ]);
      if (r === 'timeout') return;
      pending = undefined;
      if (r.done) done = true;
      else {
        buf += decoder.decode(r.value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          lines.push(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      }
    }
  };
  return {
    status: res.status,
    async next(ms = 2000) {
      await pump(ms);
      const l = lines.shift();
      return l === undefined ? undefined : JSON.parse(l);
    },
    close: () => ctrl.abort(),
    async ended() {
      await pump(2000);
      return done && lines.length === 0;
    },
  };
}

describe('watch', () => {
  test('without a resourceVersion it starts with ADDED for existing objects, then live events', async () => {
    await call('POST', cmPath, cm('w-initial', { set: 'a' }));
    const w = await watch('labelSelector=set%3Da');
    try {
      expect(await w.next()).toMatchObject({
        type: 'ADDED',
        object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'w-initial' } },
      });
      await call('PATCH', `${cmPath}/w-initial`, { data: { x: '1' } }, 'application/merge-patch+json');
      expect(await w.next()).toMatchObject({ type: 'MODIFIED', object: { data: { x: '1' } } });
    } finally {
      w.close();
    }
  });

  test('from a resourceVersion it replays only later events', async () => {
    const made = await call('POST', cmPath, cm('w-resume', { set: 'b' }));
    await call('PATCH', `${cmPath}/w-resume`, { data: { step: '2' } }, 'application/merge-patch+json');
    const w = await watch(`labelSelector=set%3Db&resourceVersion=${made.metadata.resourceVersion}`);
    try {
      const e = await w.next();
      expect(e).toMatchObject({ type: 'MODIFIED', object: { data: { step: '2' } } });
      expect(Number(e.object.metadata.resourceVersion)).toBeGreaterThan(
        Number(made.metadata.resourceVersion),
      );
    } finally {
      w.close();
    }
  });

  test('an object that stops matching the selector is DELETED for the watcher; one that starts matching is ADDED', async () => {
    await call('POST', cmPath, cm('w-trans', { phase: 'one' }));
    const w = await watch('labelSelector=phase%3Dtwo&resourceVersion=0');
    try {
      await call(
        'PATCH',
        `${cmPath}/w-trans`,
        { metadata: { labels: { phase: 'two' } } },
        'application/merge-patch+json',
      );
      expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'w-trans' } } });
      const moved = await call(
        'PATCH',
        `${cmPath}/w-trans`,
        { metadata: { labels: { phase: 'three' } } },
        'application/merge-patch+json',
      );
      const e = await w.next();
      expect(e).toMatchObject({
        type: 'DELETED',
        object: { metadata: { name: 'w-trans', labels: { phase: 'two' } } },
      });
      expect(e.object.metadata.resourceVersion).toBe(moved.metadata.resourceVersion);
    } finally {
      w.close();
    }
  });

  test('allowWatchBookmarks sends BOOKMARKs carrying only the resourceVersion', async () => {
    const w = await watch('labelSelector=none%3Dnone&allowWatchBookmarks=true&resourceVersion=0');
    try {
      const e = await w.next();
      expect(e.type).toBe('BOOKMARK');
      expect(e.object).toEqual({
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { resourceVersion: expect.any(String), creationTimestamp: null },
      });
    } finally {
      w.close();
    }
  });

  test('sendInitialEvents ends the initial state with the k8s.io/initial-events-end bookmark', async () => {
    await call('POST', cmPath, cm('w-list', { set: 'c' }));
    const w = await watch(
      'labelSelector=set%3Dc&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true',
    );
    try {
      expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'w-list' } } });
      expect(await w.next()).toMatchObject({
        type: 'BOOKMARK',
        object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } },
      });
    } finally {
      w.close();
    }
  });

  test('sendInitialEvents without resourceVersionMatch=NotOlderThan is a 422', async () => {
    const res = await fetch(`${server.url}${cmPath}?watch=true&sendInitialEvents=true`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toContain(
      'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    );
  });

  test('timeoutSeconds ends the stream cleanly', async () => {
    const w = await watch('labelSelector=none%3Dnone&timeoutSeconds=1&resourceVersion=0');
    expect(await w.ended()).toBe(true);
  });

  test('a compacted resourceVersion gets HTTP 200, one ERROR 410 event, and the end of the stream', async () => {
    const made = await call('POST', cmPath, cm('w-old'));
    server.internals.compact();
    const w = await watch(`resourceVersion=${made.metadata.resourceVersion}`);
    expect(w.status).toBe(200);
    expect(await w.next()).toMatchObject({
      type: 'ERROR',
      object: {
        kind: 'Status',
        status: 'Failure',
        reason: 'Expired',
        code: 410,
        message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/),
      },
    });
    expect(await w.ended()).toBe(true);
  });

  test('a held watch gets nothing until resumed, then everything in order', async () => {
    const w = await watch('labelSelector=set%3Dheld&resourceVersion=0');
    try {
      await new Promise((r) => setTimeout(r, 50));
      const active = server.internals
        .watches()
        .find((x) => x.resource === 'configmaps' && x.namespace === ns);
      expect(active).toBeDefined();
      for (const a of server.internals.watches()) a.hold();
      await call('POST', cmPath, cm('w-held-1', { set: 'held' }));
      await call('POST', cmPath, cm('w-held-2', { set: 'held' }));
      expect(await w.next(200)).toBeUndefined();
      for (const a of server.internals.watches()) a.resume();
      expect((await w.next()).object.metadata.name).toBe('w-held-1');
      expect((await w.next()).object.metadata.name).toBe('w-held-2');
    } finally {
      w.close();
    }
  });
});
