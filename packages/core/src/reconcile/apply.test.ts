import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import { builtin } from '../client/resourceRef.js';
import { clientFor } from '../client/testServer.fixture.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import { APPLIED_HASH_ANNOTATION, appliedHash, applyObject, containsFields } from './apply.js';

let server: Awaited<ReturnType<typeof startApiServer>>;
let client: KubeClient;
const requests: string[] = [];
const cms = builtin.configmaps;
const manager = { fieldManager: 'widget-controller' };

beforeAll(async () => {
  server = await startApiServer({
    port: 0,
    onRequest: (req) => {
      requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
      return Promise.resolve(false);
    },
  });
  client = clientFor(server).client;
});
afterAll(async () => {
  client.close();
  await server.stop();
});

const configMap = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', labels: { app: 'w' } },
  data,
});
const dataOf = (o: KubeObject): unknown => o['data'];

describe('applyObject', () => {
  test('creates, then an identical call sends nothing', async () => {
    const desired = configMap('create', { a: '1' });
    const mark = requests.length;
    const first = await applyObject(client, cms, desired, manager);
    expect(first.changed).toBe(true);
    expect(requests.slice(mark)).toEqual([
      'PATCH /api/v1/namespaces/default/configmaps/create?fieldManager=widget-controller&force=true',
    ]);
    expect(first.object.metadata.uid).toBeDefined();
    expect(first.object.metadata.annotations?.[APPLIED_HASH_ANNOTATION]).toBe(appliedHash(desired));
    expect(desired.metadata.annotations).toBeUndefined(); // not modified

    const second = await applyObject(client, cms, configMap('create', { a: '1' }), {
      ...manager,
      current: first.object,
    });
    expect(second).toEqual({ object: first.object, changed: false });
    expect(requests.length).toBe(mark + 1);
  });

  test('a changed field is written', async () => {
    const first = await applyObject(client, cms, configMap('change', { a: '1' }), manager);
    const second = await applyObject(client, cms, configMap('change', { a: '2' }), {
      ...manager,
      current: first.object,
    });
    expect(second.changed).toBe(true);
    expect(dataOf(second.object)).toEqual({ a: '2' });
  });

  test('a field removed from desired is written, and the server drops it', async () => {
    const first = await applyObject(client, cms, configMap('remove', { a: '1', b: '2' }), manager);
    const mark = requests.length;
    // current still holds every desired field: only the hash tells that b was removed.
    const second = await applyObject(client, cms, configMap('remove', { a: '1' }), {
      ...manager,
      current: first.object,
    });
    expect(requests.length).toBe(mark + 1);
    expect(second.changed).toBe(true);
    expect(dataOf(second.object)).toEqual({ a: '1' });
    const read = await client.get(cms, 'remove', { namespace: 'default' });
    expect(dataOf(read)).toEqual({ a: '1' });
  });

  test("someone else's edit of an owned field is corrected on the next call", async () => {
    const desired = configMap('drift', { a: '1' });
    const first = await applyObject(client, cms, desired, manager);
    const edited = await client.patch(
      cms,
      'drift',
      { data: { a: 'hand-edited' } },
      {
        namespace: 'default',
        fieldManager: 'kubectl-edit',
      },
    );
    const second = await applyObject(client, cms, desired, { ...manager, current: edited });
    expect(second.changed).toBe(true);
    expect(dataOf(second.object)).toEqual({ a: '1' });
    expect(second.object.metadata.resourceVersion).not.toBe(first.object.metadata.resourceVersion);
  });

  test('without force, a field another manager owns is a conflict', async () => {
    await applyObject(client, cms, configMap('contested', { a: '1' }), manager);
    await expect(
      applyObject(client, cms, configMap('contested', { a: '2' }), { fieldManager: 'other', force: false }),
    ).rejects.toMatchObject({ statusCode: 409 });
  });

  test('a current object without the hash (made by someone else) is applied', async () => {
    const plain = await client.create(cms, configMap('adopt', { a: '1' }));
    const mark = requests.length;
    const result = await applyObject(client, cms, configMap('adopt', { a: '1' }), {
      ...manager,
      current: plain,
    });
    expect(requests.length).toBe(mark + 1);
    expect(result.object.metadata.annotations?.[APPLIED_HASH_ANNOTATION]).toBeDefined();
  });

  test('a current object from a list (no apiVersion or kind) still matches', async () => {
    const first = await applyObject(client, cms, configMap('listed', { a: '1' }), manager);
    const { apiVersion: _a, kind: _k, ...item } = first.object;
    const mark = requests.length;
    expect(
      (await applyObject(client, cms, configMap('listed', { a: '1' }), { ...manager, current: item }))
        .changed,
    ).toBe(false);
    expect(requests.length).toBe(mark);
  });
});

// The real server (kube-apiserver v1.37.2) stores a StatefulSet applied with pod template
// `annotations: {}` without that map and answers a repeated apply with the same generation.
const statefulSet = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'empty-annotations', namespace: 'default' },
  spec: {
    serviceName: 'empty-annotations',
    replicas: 0,
    selector: { matchLabels: { app: 'e' } },
    template: {
      metadata: { labels: { app: 'e' }, annotations: {} },
      spec: { containers: [{ name: 'c', image: 'i:1', ports: [{ containerPort: 80 }] }] },
    },
  },
});

describe('applyObject with an empty map the server drops', () => {
  test('the second reconcile sends nothing and the generation stays 1', async () => {
    const sts = builtin.statefulsets;
    const first = await applyObject(client, sts, statefulSet(), manager);
    const template = (first.object['spec'] as { template: { metadata: Record<string, unknown> } }).template;
    expect(template.metadata['annotations']).toBeUndefined();
    expect(first.object.metadata.generation).toBe(1);
    const mark = requests.length;
    const second = await applyObject(client, sts, statefulSet(), { ...manager, current: first.object });
    expect(second).toEqual({ object: first.object, changed: false });
    expect(requests.length).toBe(mark);
    // Without the skip the server also changes nothing: same generation and resourceVersion.
    const forced = await applyObject(client, sts, statefulSet(), manager);
    expect(forced.object.metadata.generation).toBe(1);
    expect(forced.object.metadata.resourceVersion).toBe(first.object.metadata.resourceVersion);
  });
});

describe('appliedHash and containsFields', () => {
  test('the hash ignores key order and its own annotation, and sees every value', () => {
    const a = configMap('h', { x: '1', y: '2' });
    const b: KubeObject = {
      data: { y: '2', x: '1' },
      metadata: { labels: { app: 'w' }, namespace: 'default', name: 'h' },
      kind: 'ConfigMap',
      apiVersion: 'v1',
    };
    expect(appliedHash(a)).toBe(appliedHash(b));
    const annotated = {
      ...a,
      metadata: { ...a.metadata, annotations: { [APPLIED_HASH_ANNOTATION]: 'old' } },
    };
    expect(appliedHash(annotated)).toBe(appliedHash(a));
    expect(appliedHash(configMap('h', { x: '1' }))).not.toBe(appliedHash(a));
    expect(appliedHash(a)).toMatch(/^[0-9a-f]{32}$/);
  });

  test('containsFields ignores extra fields but not extra list entries', () => {
    expect(containsFields({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).toBe(true);
    expect(containsFields({ a: 1 }, { a: 2 })).toBe(false);
    expect(containsFields({ l: [{ n: 'x', extra: 1 }] }, { l: [{ n: 'x' }] })).toBe(true);
    expect(containsFields({ l: [{ n: 'x' }, { n: 'y' }] }, { l: [{ n: 'x' }] })).toBe(false);
  });

  test('containsFields: an empty desired map or list is held by a missing field, not by another value', () => {
    expect(containsFields({}, { a: {} })).toBe(true);
    expect(containsFields({}, { a: [] })).toBe(true);
    expect(
      containsFields({ t: { labels: { x: '1' } } }, { t: { labels: { x: '1' }, annotations: {} } }),
    ).toBe(true);
    expect(containsFields({ a: 'x' }, { a: {} })).toBe(false);
    expect(containsFields({ a: null }, { a: [] })).toBe(false);
    expect(containsFields({}, { a: { b: 1 } })).toBe(false);
  });
});
