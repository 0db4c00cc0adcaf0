import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { KubeConfig } from '@kubernetes/client-node';
import { startApiServer } from '@steward/apiserver';
import type { ApiServer } from '@steward/apiserver';
import {
  AlreadyExistsError,
  ApiError,
  ClientUsageError,
  ConflictError,
  InvalidError,
  NotFoundError,
  ServerError,
  TooManyRequestsError,
  TransportError,
} from './errors.js';
import { kubeClient } from './kubeClient.js';
import { builtin } from './resourceRef.js';
import { clientFor } from './testServer.fixture.js';
import type { KubeClient, KubeObject } from './types.js';

let server: ApiServer;
let client: KubeClient;
let kc: KubeConfig;
const requests: string[] = [];

beforeAll(async () => {
  server = await startApiServer({
    port: 0,
    onRequest: (req) => {
      requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
      return Promise.resolve(false);
    },
  });
  ({ kc, client } = clientFor(server));
});

afterAll(async () => {
  client.close();
  await server.stop();
});

const cm = (name: string, data: Record<string, string> = { a: '1' }): KubeObject => ({
  metadata: { name, namespace: 'default' },
  data,
});

describe('verbs', () => {
  test('create fills apiVersion/kind, get reads it back', async () => {
    const created = await client.create(builtin.configmaps, cm('crud-1'));
    expect(created.apiVersion).toBe('v1');
    expect(created.kind).toBe('ConfigMap');
    expect(created.metadata.uid).toBeTruthy();
    const got = await client.get(builtin.configmaps, 'crud-1', { namespace: 'default' });
    expect(got['data']).toEqual({ a: '1' });
  });

  test('replace writes with optimistic concurrency: a stale resourceVersion is a ConflictError', async () => {
    const created = await client.create(builtin.configmaps, cm('crud-2'));
    const replaced = await client.replace(builtin.configmaps, { ...created, data: { a: '2' } });
    expect(replaced['data']).toEqual({ a: '2' });
    const stale = client.replace(builtin.configmaps, { ...created, data: { a: '3' } });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(stale).rejects.toMatchObject({ code: 'API_CONFLICT', retryable: true, statusCode: 409 });
  });

  test('merge, JSON and strategic patches', async () => {
    await client.create(builtin.configmaps, cm('crud-3'));
    const opts = { namespace: 'default' };
    const merged = await client.patch(builtin.configmaps, 'crud-3', { data: { b: '2' } }, opts);
    expect(merged['data']).toEqual({ a: '1', b: '2' });
    const json = await client.patch(builtin.configmaps, 'crud-3', [{ op: 'remove', path: '/data/a' }], {
      ...opts,
      type: 'json',
    });
    expect(json['data']).toEqual({ b: '2' });
    const strategic = await client.patch(
      builtin.configmaps,
      'crud-3',
      { metadata: { labels: { x: 'y' } } },
      { ...opts, type: 'strategic' },
    );
    expect(strategic.metadata.labels).toEqual({ x: 'y' });
    await expect(
      client.patch(builtin.configmaps, 'crud-3', { not: 'ops' }, { ...opts, type: 'json' }),
    ).rejects.toThrow(ClientUsageError);
  });

  test('server-side apply records the field manager; a second manager conflicts unless forced', async () => {
    const applied = await client.apply(builtin.configmaps, cm('ssa-1', { k: 'mine' }), {
      fieldManager: 'alpha',
    });
    expect(applied.metadata.managedFields).toEqual(
      expect.arrayContaining([expect.objectContaining({ manager: 'alpha', operation: 'Apply' })]),
    );
    const other = client.apply(builtin.configmaps, cm('ssa-1', { k: 'theirs' }), { fieldManager: 'beta' });
    await expect(other).rejects.toBeInstanceOf(ConflictError);
    const forced = await client.apply(builtin.configmaps, cm('ssa-1', { k: 'theirs' }), {
      fieldManager: 'beta',
      force: true,
    });
    expect(forced['data']).toEqual({ k: 'theirs' });
  });

  test('dryRun validates without storing', async () => {
    const dry = await client.create(builtin.configmaps, cm('dry-1'), { dryRun: true });
    expect(dry.metadata.name).toBe('dry-1');
    await expect(client.get(builtin.configmaps, 'dry-1', { namespace: 'default' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  test('delete returns a Status, or the object while a finalizer holds it; preconditions are sent', async () => {
    await client.create(builtin.configmaps, cm('del-1'));
    const status = await client.delete(builtin.configmaps, 'del-1', { namespace: 'default' });
    expect(status).toMatchObject({ kind: 'Status', status: 'Success' });

    const withFinalizer: KubeObject = {
      metadata: { name: 'del-2', namespace: 'default', finalizers: ['steward.dev/test'] },
    };
    const held = await client.create(builtin.configmaps, withFinalizer);
    const wrongUid = client.delete(builtin.configmaps, 'del-2', {
      namespace: 'default',
      preconditions: { uid: 'not-the-uid' },
    });
    await expect(wrongUid).rejects.toBeInstanceOf(ConflictError);
    const terminating = await client.delete(builtin.configmaps, 'del-2', {
      namespace: 'default',
      propagationPolicy: 'Foreground',
      preconditions: { uid: held.metadata.uid ?? '' },
    });
    expect((terminating as KubeObject).metadata.deletionTimestamp).toBeTruthy();
    expect((terminating as KubeObject).metadata.finalizers).toContain('foregroundDeletion');
  });

  test('status subresource writes change status only', async () => {
    await client.create(builtin.pods, {
      metadata: { name: 'status-1', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    const patched = await client.patchStatus<KubeObject & { status?: { phase?: string } }>(
      builtin.pods,
      'status-1',
      { status: { phase: 'Running' } },
      { namespace: 'default' },
    );
    expect(patched.status?.phase).toBe('Running');
    const replaced = await client.replaceStatus(builtin.pods, { ...patched, status: { phase: 'Succeeded' } });
    expect(replaced['status']).toMatchObject({ phase: 'Succeeded' });
  });

  test('a namespaced object without a namespace is a usage error, not a request', async () => {
    await expect(client.get(builtin.configmaps, 'x')).rejects.toThrow(ClientUsageError);
  });
});

describe('list', () => {
  test('follows continue tokens page by page and returns every item with the list resourceVersion', async () => {
    await client.create(builtin.namespaces, { metadata: { name: 'paged' } });
    for (let i = 0; i < 7; i++) {
      await client.create(builtin.configmaps, { metadata: { name: `page-${i}`, namespace: 'paged' } });
    }
    requests.length = 0;
    const result = await client.list(builtin.configmaps, { namespace: 'paged', limit: 2 });
    const names = result.items.map((o) => o.metadata.name);
    expect(names).toHaveLength(7);
    expect(new Set(names)).toEqual(new Set(Array.from({ length: 7 }, (_, i) => `page-${i}`)));
    expect(Number(result.resourceVersion)).toBeGreaterThan(0);
    const pages = requests.filter((r) => r.startsWith('GET /api/v1/namespaces/paged/configmaps'));
    expect(pages).toHaveLength(4);
    expect(pages.slice(1).every((r) => r.includes('continue='))).toBe(true);
  });

  test('label selectors reach the server', async () => {
    await client.create(builtin.configmaps, {
      metadata: { name: 'sel-1', namespace: 'default', labels: { t: 's' } },
    });
    const result = await client.list(builtin.configmaps, { namespace: 'default', labelSelector: 't=s' });
    expect(result.items.map((o) => o.metadata.name)).toEqual(['sel-1']);
  });
});

describe('typed errors from the server Status', () => {
  test('NotFound names the object, not retryable', async () => {
    const err = await client
      .get(builtin.configmaps, 'missing', { namespace: 'default' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      code: 'API_NOT_FOUND',
      retryable: false,
      reason: 'NotFound',
      statusCode: 404,
    });
    expect((err as Error).message).toContain('configmaps "missing" not found');
  });

  test('AlreadyExists on a second create', async () => {
    await client.create(builtin.configmaps, cm('dup-1'));
    await expect(client.create(builtin.configmaps, cm('dup-1'))).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  test('Invalid carries the causes with their fields', async () => {
    const err = await client.create(builtin.configmaps, cm('Not_A_Name')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidError);
    expect((err as InvalidError).causes).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'metadata.name' })]),
    );
  });

  test('injected 500 and 409 answers are typed', async () => {
    server.faults.failNext(
      { method: 'GET', path: '/api/v1/namespaces/default/configmaps/crud-1' },
      { code: 500 },
    );
    const e500 = client.get(builtin.configmaps, 'crud-1', { namespace: 'default' });
    await expect(e500).rejects.toBeInstanceOf(ServerError);
    server.faults.failNext({ method: 'PATCH' }, { code: 409 });
    const e409 = client.patch(builtin.configmaps, 'crud-1', { data: {} }, { namespace: 'default' });
    await expect(e409).rejects.toMatchObject({ code: 'API_CONFLICT', retryable: true });
  });

  test('429 with Retry-After is retried, within the bound', async () => {
    const fault = server.faults.failNext(
      { path: '/api/v1/namespaces/default/configmaps/crud-1' },
      { code: 429, retryAfterSeconds: 0 },
      2,
    );
    const ok = await client.get(builtin.configmaps, 'crud-1', { namespace: 'default' });
    expect(ok.metadata.name).toBe('crud-1');
    expect(fault.hits).toBe(2);

    const strict = kubeClient(kc, { qps: Infinity, maxRetries: 1 });
    server.faults.failNext(
      { path: '/api/v1/namespaces/default/configmaps/crud-1' },
      { code: 429, retryAfterSeconds: 0 },
      2,
    );
    const err = await strict
      .get(builtin.configmaps, 'crud-1', { namespace: 'default' })
      .catch((e: unknown) => e);
    strict.close();
    expect(err).toBeInstanceOf(TooManyRequestsError);
    expect((err as TooManyRequestsError).retryAfterSeconds).toBe(0);
  });

  test('a dropped connection is a retryable TransportError (after one resend on a reused socket)', async () => {
    const fault = server.faults.failNext(
      { method: 'GET', path: '/api/v1/namespaces/default/configmaps/crud-1' },
      { code: 'drop' },
      2,
    );
    const err = await client
      .get(builtin.configmaps, 'crud-1', { namespace: 'default' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ code: 'TRANSPORT', retryable: true });
    expect(fault.hits).toBe(2);
  });

  test('a dropped POST is not resent: the server may have stored it', async () => {
    const fault = server.faults.failNext({ method: 'POST' }, { code: 'drop' }, 2);
    const err = await client.create(builtin.configmaps, cm('dropped-post')).catch((e: unknown) => e);
    fault.remove();
    expect(err).toBeInstanceOf(TransportError);
    expect(fault.hits).toBe(1);
  });
});
