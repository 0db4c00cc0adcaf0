// DefaultStorageClass admission: which class is the default, and a claim created over HTTP getting it.
/* oxlint-disable typescript/no-explicit-any -- tests read JSON answers field by field */
/* oxlint-disable unicorn/consistent-function-scoping -- builders stay next to the tests of the kind they build */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer, type ApiServer } from '../apiServer.js';
import { defaultStorageClassName } from './defaultStorageClass.js';

const klass = (name: string, creationTimestamp: string, isDefault = true) => ({
  metadata: {
    name,
    creationTimestamp,
    annotations: { 'storageclass.kubernetes.io/is-default-class': isDefault ? 'true' : 'false' },
  },
});

describe('the default StorageClass', () => {
  test('the newest class marked default wins, ties by name; unmarked classes never do', () => {
    expect(defaultStorageClassName([klass('a', '2026-01-01T00:00:00Z', false)])).toBeUndefined();
    expect(
      defaultStorageClassName([klass('old', '2026-01-01T00:00:00Z'), klass('new', '2026-01-02T00:00:00Z')]),
    ).toBe('new');
    expect(
      defaultStorageClassName([klass('b', '2026-01-01T00:00:00Z'), klass('a', '2026-01-01T00:00:00Z')]),
    ).toBe('a');
  });
});

describe('claims created over HTTP', () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer({ port: 0 });
  });
  afterAll(async () => {
    await server.stop();
  });
  const post = async (path: string, body: unknown): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
  const claim = (name: string, spec: Record<string, unknown> = {}) => ({
    metadata: { name },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  });
  const claims = '/api/v1/namespaces/default/persistentvolumeclaims';

  test('get the default class unless they name one (even "")', async () => {
    expect((await post(claims, claim('before'))).json.spec.storageClassName).toBeUndefined();
    const created = await post('/apis/storage.k8s.io/v1/storageclasses', {
      metadata: { name: 'std', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'example.com/p',
    });
    expect(created.status).toBe(201);
    expect((await post(claims, claim('after'))).json.spec.storageClassName).toBe('std');
    expect((await post(claims, claim('none', { storageClassName: '' }))).json.spec.storageClassName).toBe('');
    expect((await post(claims, claim('own', { storageClassName: 'fast' }))).json.spec.storageClassName).toBe(
      'fast',
    );
  });
});
