import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { startApiServer } from '@steward/apiserver';
import type { ApiServer } from '@steward/apiserver';
import { NotFoundError, TransportError, WatchIdleError } from './errors.js';
import { kubeClient } from './kubeClient.js';
import { builtin, refFor } from './resourceRef.js';
import { clientFor } from './testServer.fixture.js';
import type { KubeClient, WatchEvent, WatchStream } from './types.js';

let server: ApiServer;
let client: KubeClient;

beforeAll(async () => {
  server = await startApiServer({ port: 0, bookmarkIntervalMs: 100 });
  ({ client } = clientFor(server));
});

afterAll(async () => {
  client.close();
  await server.stop();
});

/** Reads events until `until` says stop; resolves with them. */
async function collect(stream: WatchStream, until: (e: WatchEvent) => boolean): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  for await (const event of stream) {
    events.push(event);
    if (until(event)) break;
  }
  return events;
}

test('yields ADDED, MODIFIED and DELETED from the list resourceVersion, in order', async () => {
  const ns = 'w1';
  await client.create(builtin.namespaces, { metadata: { name: ns } });
  const { resourceVersion } = await client.list(builtin.configmaps, { namespace: ns });
  const stream = client.watch(builtin.configmaps, { namespace: ns, resourceVersion });
  const reading = collect(stream, (e) => e.type === 'DELETED');
  await client.create(builtin.configmaps, { metadata: { name: 'a', namespace: ns }, data: { v: '1' } });
  await client.patch(builtin.configmaps, 'a', { data: { v: '2' } }, { namespace: ns });
  await client.delete(builtin.configmaps, 'a', { namespace: ns });
  const events = await reading;
  expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  expect(events[1]?.object['data']).toEqual({ v: '2' });
});

test('bookmarks arrive when asked for', async () => {
  const { resourceVersion } = await client.list(builtin.secrets, { namespace: 'default' });
  const stream = client.watch(builtin.secrets, {
    namespace: 'default',
    resourceVersion,
    allowWatchBookmarks: true,
  });
  const events = await collect(stream, (e) => e.type === 'BOOKMARK');
  expect(events.at(-1)?.object.metadata.resourceVersion).toBeTruthy();
});

test('a resourceVersion older than history yields the 410 ERROR event as an event', async () => {
  await client.create(builtin.configmaps, { metadata: { name: 'before-compact', namespace: 'default' } });
  const { resourceVersion } = await client.list(builtin.configmaps, { namespace: 'default' });
  await client.create(builtin.configmaps, { metadata: { name: 'after-list', namespace: 'default' } });
  server.faults.compact();
  const stream = client.watch(builtin.configmaps, { namespace: 'default', resourceVersion });
  const events = await collect(stream, (e) => e.type === 'ERROR');
  expect(events.at(-1)).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410 } });
});

test('a half-open watch fails with WatchIdleError after the inactivity deadline', async () => {
  const stream = client.watch(builtin.services, { namespace: 'default', idleTimeoutMs: 300 });
  const iterator = stream[Symbol.asyncIterator]();
  const first = iterator.next();
  // Wait until the server holds the watch, then make it silent.
  for (let i = 0; i < 100 && server.faults.halfOpenWatches({ resource: 'services' }) === 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const err = await first.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WatchIdleError);
  expect(err).toMatchObject({ code: 'WATCH_IDLE', retryable: true, idleTimeoutMs: 300 });
});

test('a quiet watch with bookmarks stays alive past the inactivity deadline', async () => {
  const stream = client.watch(builtin.serviceaccounts, {
    namespace: 'default',
    allowWatchBookmarks: true,
    idleTimeoutMs: 250,
  });
  let bookmarks = 0;
  const events = await collect(stream, (e) => e.type === 'BOOKMARK' && ++bookmarks === 5);
  expect(events.filter((e) => e.type === 'BOOKMARK')).toHaveLength(5);
});

test('close() ends iteration cleanly; so does a server-side close', async () => {
  // From the list's resourceVersion: without one a watch starts with ADDED for every existing object.
  const { resourceVersion } = await client.list(builtin.configmaps, { namespace: 'default' });
  const mine = client.watch(builtin.configmaps, { namespace: 'default', resourceVersion });
  const reading = collect(mine, () => false);
  await new Promise((r) => setTimeout(r, 50));
  mine.close();
  await expect(reading).resolves.toEqual([]);

  const theirs = client.watch(builtin.pods, { namespace: 'default' });
  const ended = collect(theirs, () => false);
  for (let i = 0; i < 100 && server.faults.closeWatches({ resource: 'pods' }) === 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  await expect(ended).resolves.toEqual([]);
});

test('an abort signal ends the watch like close()', async () => {
  const controller = new AbortController();
  const stream = client.watch(builtin.endpoints, { namespace: 'default', signal: controller.signal });
  const reading = collect(stream, () => false);
  setTimeout(() => controller.abort(), 30);
  await expect(reading).resolves.toEqual([]);
});

test('a non-200 answer throws the typed error from the iterator', async () => {
  const stream = client.watch(refFor('example.com/v1', 'Nothing', 'nothings', true), {
    namespace: 'default',
  });
  await expect(collect(stream, () => true)).rejects.toBeInstanceOf(NotFoundError);
});

test('a watch connection dropped by the server is a TransportError', async () => {
  server.faults.failNext(
    { watch: true, path: '/api/v1/namespaces/default/persistentvolumeclaims' },
    { code: 'drop' },
    2,
  );
  const stream = client.watch(builtin.persistentvolumeclaims, { namespace: 'default' });
  await expect(collect(stream, () => true)).rejects.toBeInstanceOf(TransportError);
});

test('sendInitialEvents: the current state as ADDED, then the initial-events-end bookmark', async () => {
  await client.create(builtin.namespaces, { metadata: { name: 'w-initial' } });
  await client.create(builtin.configmaps, { metadata: { name: 'one', namespace: 'w-initial' } });
  const stream = client.watch(builtin.configmaps, {
    namespace: 'w-initial',
    sendInitialEvents: true,
    allowWatchBookmarks: true,
  });
  const events = await collect(stream, (e) => e.type === 'BOOKMARK');
  expect(events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
  expect(events[1]?.object.metadata.annotations).toMatchObject({ 'k8s.io/initial-events-end': 'true' });
});

test("the client's close() ends its open watches", async () => {
  const kc = new KubeConfig();
  kc.loadFromString(JSON.stringify(server.kubeConfig));
  const own = kubeClient(kc);
  const { resourceVersion } = await own.list(builtin.configmaps, { namespace: 'default' });
  const reading = collect(
    own.watch(builtin.configmaps, { namespace: 'default', resourceVersion }),
    () => false,
  );
  await new Promise((r) => setTimeout(r, 30));
  own.close();
  await expect(reading).resolves.toEqual([]);
});

test('an event larger than many network chunks arrives whole', async () => {
  await client.create(builtin.namespaces, { metadata: { name: 'w-large' } });
  const { resourceVersion } = await client.list(builtin.configmaps, { namespace: 'w-large' });
  const stream = client.watch(builtin.configmaps, { namespace: 'w-large', resourceVersion });
  const reading = collect(stream, (e) => e.type === 'ADDED');
  const big = 'é'.repeat(400_000); // multi-byte characters split across chunk boundaries too
  await client.create(builtin.configmaps, { metadata: { name: 'big', namespace: 'w-large' }, data: { big } });
  const events = await reading;
  expect(events[0]?.object['data']).toEqual({ big });
});
