import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { createFaults, type WatchLike } from './faults.js';
import { handleAdmin } from './adminRoutes.js';

// A stand-in for the server's watches: records what the faults did to each.
function fakeWatch(id: number, resource: string, namespace?: string, userAgent = 'test') {
  const calls: string[] = [];
  const w: WatchLike & { calls: string[] } = {
    id,
    resource,
    namespace,
    userAgent,
    calls,
    close: () => void calls.push('close'),
    hold: () => void calls.push('hold'),
    resume: () => void calls.push('resume'),
    halfOpen: () => void calls.push('halfOpen'),
  };
  return w;
}

let watches: ReturnType<typeof fakeWatch>[] = [];
let compactions = 0;
const { faults, intercept } = createFaults(() => ({
  watches: () => watches,
  compact: () => void compactions++,
}));
let server: Server;
let base: string;

beforeAll(async () => {
  // A server that answers 200 unless a fault or the admin API answers first, like the real one.
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    void (async () => {
      if (
        await handleAdmin(req, res, url, faults, () => ({
          watches: () => watches,
          compact: () => void compactions++,
        }))
      )
        return;
      if (await intercept(req, res, url)) return;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  faults.clear();
  watches = [
    fakeWatch(1, 'pods', 'a'),
    fakeWatch(2, 'pods', 'b', 'kubectl/v1.32'),
    fakeWatch(3, 'foos.example.com'),
  ];
  compactions = 0;
});

describe('request faults', () => {
  test('429 carries Retry-After and the TooManyRequests Status, then the fault is spent', async () => {
    const h = faults.failNext(
      { method: 'GET', path: '/api/v1/namespaces/*/pods' },
      { code: 429, retryAfterSeconds: 3 },
    );
    const res = await fetch(`${base}/api/v1/namespaces/default/pods`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.json()).toMatchObject({
      kind: 'Status',
      reason: 'TooManyRequests',
      code: 429,
      details: { retryAfterSeconds: 3 },
    });
    expect(h.hits).toBe(1);
    expect((await fetch(`${base}/api/v1/namespaces/default/pods`)).status).toBe(200);
  });

  test('only matching method, path and watch flag are affected', async () => {
    faults.failNext({ method: 'PUT', path: '/apis/**', watch: false }, { code: 500 }, 2);
    expect((await fetch(`${base}/apis/apps/v1/deployments`)).status).toBe(200); // GET: no match
    expect((await fetch(`${base}/api/v1/pods`, { method: 'PUT' })).status).toBe(200); // path: no match
    const res = await fetch(`${base}/apis/apps/v1/namespaces/x/deployments/d`, { method: 'PUT' });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({
      reason: 'InternalError',
      message: 'Internal error occurred: injected fault',
    });
  });

  test('409 answers with the optimistic-concurrency Conflict', async () => {
    faults.failNext({ path: '/api/v1/namespaces/default/configmaps/cm' }, { code: 409 });
    const body = (await (
      await fetch(`${base}/api/v1/namespaces/default/configmaps/cm`, { method: 'PUT' })
    ).json()) as {
      reason: string;
      message: string;
    };
    expect(body.reason).toBe('Conflict');
    expect(body.message).toContain('the object has been modified');
  });

  test('drop closes the connection without an answer', async () => {
    faults.failNext({ path: '/api/v1/pods' }, { code: 'drop' });
    await expect(fetch(`${base}/api/v1/pods`)).rejects.toThrow(/fetch failed/);
    expect((await fetch(`${base}/api/v1/pods`)).status).toBe(200);
  });

  test('latency delays matching requests until removed', async () => {
    const h = faults.addLatency({ path: '/slow' }, 150);
    const t0 = Date.now();
    expect((await fetch(`${base}/slow`)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    h.remove();
    expect(h.hits).toBe(1);
  });

  test('rejects nonsense counts', () => {
    expect(() => faults.failNext({}, { code: 500 }, 0)).toThrow(/positive integer/);
  });
});

describe('watch faults', () => {
  test('close, half-open and compact act on the chosen watches only', () => {
    expect(faults.closeWatches({ namespace: 'a' })).toBe(1);
    expect(faults.halfOpenWatches({ userAgent: 'kubectl' })).toBe(1);
    faults.compact();
    expect(watches.map((w) => w.calls)).toEqual([['close'], ['halfOpen'], []]);
    expect(compactions).toBe(1);
  });

  test('hold buffers until released, and clear() releases every hold', () => {
    const hold = faults.holdWatches({ resource: 'pods' });
    expect(hold.count).toBe(2);
    expect(watches[0]?.calls).toEqual(['hold']);
    faults.clear();
    expect(watches[0]?.calls).toEqual(['hold', 'resume']);
    expect(watches[2]?.calls).toEqual([]);
  });
});

describe('admin HTTP API', () => {
  test('lists watches and injects a failure', async () => {
    const list = (await (await fetch(`${base}/steward/watches`)).json()) as { watches: unknown[] };
    expect(list.watches).toHaveLength(3);
    const ok = await fetch(`${base}/steward/faults/fail`, {
      method: 'POST',
      body: JSON.stringify({
        match: { path: '/api/v1/nodes' },
        failure: { code: 500, message: 'etcd down' },
      }),
    });
    expect(ok.status).toBe(200);
    const res = await fetch(`${base}/api/v1/nodes`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ message: 'Internal error occurred: etcd down' });
  });

  test('closes watches by filter and reports how many', async () => {
    const res = await fetch(`${base}/steward/faults/close-watches`, {
      method: 'POST',
      body: JSON.stringify({ filter: { resource: 'pods' } }),
    });
    expect(await res.json()).toEqual({ watches: 2 });
  });

  test('bad input gets a 400 that says what is wrong; unknown routes a 404', async () => {
    const bad = await fetch(`${base}/steward/faults/fail`, {
      method: 'POST',
      body: '{"failure":{"code":418}}',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('409 | 429 | 500');
    const notJson = await fetch(`${base}/steward/faults/latency`, { method: 'POST', body: 'nope' });
    expect(notJson.status).toBe(400);
    expect((await fetch(`${base}/steward/nothing`)).status).toBe(404);
  });
});
