// A large WatchList over real HTTP: every object and the end bookmark arrive, the server's socket buffer
// stays bounded (initial events wait for drain), and live events come after the bookmark in order.
import { OutgoingMessage } from 'node:http';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startApiServer, type ApiServer } from '../apiServer.js';

const COUNT = 20_000;
const ns = 'watchlist';
let server: ApiServer;

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
  const res = await fetch(`${server.url}/api/v1/namespaces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ metadata: { name: ns } }),
  });
  if (res.status !== 201) throw new Error(`namespace: ${res.status}`);
  // Straight into storage: 20k POSTs would be most of the test's time.
  const coll = server.internals.storage.collection('configmaps');
  for (let i = 0; i < COUNT; i++) {
    coll.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${String(i).padStart(5, '0')}`, namespace: ns },
      data: { payload: 'x'.repeat(500) },
    });
  }
});
afterAll(async () => {
  await server.stop();
});

test('a WatchList of 20k objects sends each once, then the end bookmark, then live events, with a bounded buffer', async () => {
  let peak = 0;
  // Spies on the server's writes: the most any response had buffered after a write.
  type Write = (this: OutgoingMessage, ...args: unknown[]) => boolean;
  const original = Reflect.get(OutgoingMessage.prototype, 'write') as Write;
  const spy: Write = function (...args) {
    const result = original.apply(this, args);
    peak = Math.max(peak, this.writableLength);
    return result;
  };
  Reflect.set(OutgoingMessage.prototype, 'write', spy);
  try {
    const q = 'watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true';
    const ctrl = new AbortController();
    const res = await fetch(`${server.url}/api/v1/namespaces/${ns}/configmaps?${q}`, { signal: ctrl.signal });
    expect(res.status).toBe(200);
    // Written while the initial events are still going out: must follow the bookmark.
    const coll = server.internals.storage.collection('configmaps');
    const late = coll.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: ns } });
    coll.remove(ns, 'cm-00000');

    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    const names = new Set<string>();
    let added = 0;
    let endRv: string | undefined;
    const after: string[] = [];
    while (after.length < 2) {
      const r = await reader.read();
      if (r.done) break;
      buf += decoder.decode(r.value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const ev = JSON.parse(buf.slice(0, i)) as {
          type: string;
          object: {
            metadata: { name?: string; resourceVersion: string; annotations?: Record<string, string> };
          };
        };
        buf = buf.slice(i + 1);
        if (endRv !== undefined) after.push(`${ev.type} ${ev.object.metadata.name}`);
        else if (ev.type === 'ADDED') {
          added++;
          names.add(ev.object.metadata.name ?? '');
        } else if (ev.type === 'BOOKMARK' && ev.object.metadata.annotations?.['k8s.io/initial-events-end']) {
          endRv = ev.object.metadata.resourceVersion;
        }
      }
    }
    ctrl.abort();
    expect(added).toBe(COUNT);
    expect(names.size).toBe(COUNT);
    expect(Number(endRv)).toBeLessThan(late.rv);
    expect(after).toEqual(['ADDED late', 'DELETED cm-00000']);
    // About 11 MB of events in all; only a chunk (1 MiB) at a time may wait in the socket's buffer.
    expect(peak).toBeLessThan(3 * 1024 * 1024);
  } finally {
    Reflect.set(OutgoingMessage.prototype, 'write', original);
  }
});
