// The verb handlers over real HTTP: create/get/list/update/patch/delete/deletecollection with the real
/* oxlint-disable typescript/no-explicit-any -- tests read JSON answers field by field */
// server's status codes and messages.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer, type ApiServer } from '../apiServer.js';

let server: ApiServer;
const ns = 'handlers-test';

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'Content-Type': contentType, 'User-Agent': 'handlers-test/1.0' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
  const made = await call('POST', '/api/v1/namespaces', { metadata: { name: ns } });
  if (made.status !== 201) throw new Error(`namespace setup failed: ${made.status}`);
});
afterAll(async () => {
  await server.stop();
});

const cms = `/api/v1/namespaces/${ns}/configmaps`;
const deploys = `/apis/apps/v1/namespaces/${ns}/deployments`;
const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'c', image: 'nginx:1' }] },
    },
  },
});

describe('create', () => {
  test('sets uid, creationTimestamp and resourceVersion, and answers 201', async () => {
    const r = await call('POST', cms, { metadata: { name: 'c1' }, data: { a: 'b' } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'c1', namespace: ns, uid: expect.any(String) },
    });
    expect(r.json.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('generateName gets five random characters', async () => {
    const r = await call('POST', cms, { metadata: { generateName: 'gen-' } });
    expect(r.json.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test('an existing name is 409 AlreadyExists; a missing namespace 404; a body namespace that differs 400', async () => {
    await call('POST', cms, { metadata: { name: 'dup' } });
    expect((await call('POST', cms, { metadata: { name: 'dup' } })).json).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'configmaps "dup" already exists',
    });
    expect(
      (await call('POST', '/api/v1/namespaces/nope/configmaps', { metadata: { name: 'x' } })).json,
    ).toMatchObject({ code: 404, message: 'namespaces "nope" not found' });
    expect((await call('POST', cms, { metadata: { name: 'x', namespace: 'other' } })).json).toMatchObject({
      code: 400,
      message: 'the namespace of the provided object does not match the namespace sent on the request',
    });
  });

  test('a name that is not a DNS-1123 subdomain is 422 Invalid with the real message', async () => {
    const r = await call('POST', cms, { metadata: { name: 'Bad_Name' } });
    expect(r.status).toBe(422);
    expect(r.json.message).toBe(
      `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
  });

  test('Pods need containers; they start Pending with defaults', async () => {
    const bad = await call('POST', `/api/v1/namespaces/${ns}/pods`, {
      metadata: { name: 'p0' },
      spec: { containers: [] },
    });
    expect(bad.json).toMatchObject({
      code: 422,
      details: { causes: [{ field: 'spec.containers', reason: 'FieldValueRequired' }] },
    });
    const ok = await call('POST', `/api/v1/namespaces/${ns}/pods`, {
      metadata: { name: 'p1' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    expect(ok.json).toMatchObject({
      status: { phase: 'Pending' },
      spec: { restartPolicy: 'Always', containers: [{ imagePullPolicy: 'Always' }] },
      metadata: { generation: 1 },
    });
  });

  test('a Lease with a millisecond renewTime is the real 400 MicroTime decode error', async () => {
    const r = await call('POST', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`, {
      metadata: { name: 'l' },
      spec: { renewTime: '2026-01-01T00:00:00.123Z' },
    });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('cannot parse ".123Z" as ".000000"');
    const ok = await call('POST', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`, {
      metadata: { name: 'l' },
      spec: { renewTime: '2026-01-01T00:00:00.123456Z' },
    });
    expect(ok.status).toBe(201);
  });

  test('dryRun=All validates but stores nothing; other dryRun values are 422', async () => {
    const r = await call('POST', `${cms}?dryRun=All`, { metadata: { name: 'dry' } });
    expect(r.status).toBe(201);
    expect((await call('GET', `${cms}/dry`)).status).toBe(404);
    expect((await call('POST', `${cms}?dryRun=Some`, { metadata: { name: 'dry' } })).status).toBe(422);
  });

  test('malformed JSON is 400, a wrong content type 415, a body over 3 MiB 413', async () => {
    expect((await call('POST', cms, '{nope')).status).toBe(400);
    expect((await call('POST', cms, 'x', 'text/plain')).status).toBe(415);
    expect(
      (await call('POST', cms, { metadata: { name: 'big' }, data: { a: 'x'.repeat(3 * 1024 * 1024) } }))
        .status,
    ).toBe(413);
  });
});

describe('update and patch', () => {
  test('a stale resourceVersion is 409 with the real message; a no-op PUT keeps the resourceVersion', async () => {
    const made = (await call('POST', cms, { metadata: { name: 'u1' }, data: { a: '1' } })).json;
    const same = await call('PUT', `${cms}/u1`, made);
    expect(same.json.metadata.resourceVersion).toBe(made.metadata.resourceVersion);
    await call('PUT', `${cms}/u1`, { ...made, data: { a: '2' } });
    const stale = await call('PUT', `${cms}/u1`, { ...made, data: { a: '3' } });
    expect(stale.json).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "u1": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  test('generation moves with the spec, not with metadata or status', async () => {
    const made = (await call('POST', deploys, deployment('g1'))).json;
    expect(made.metadata.generation).toBe(1);
    const labelled = await call(
      'PATCH',
      `${deploys}/g1`,
      { metadata: { labels: { x: 'y' } } },
      'application/merge-patch+json',
    );
    expect(labelled.json.metadata.generation).toBe(1);
    const scaled = await call(
      'PATCH',
      `${deploys}/g1`,
      { spec: { replicas: 3 } },
      'application/strategic-merge-patch+json',
    );
    expect(scaled.json.metadata.generation).toBe(2);
    const status = await call(
      'PATCH',
      `${deploys}/g1/status`,
      { status: { replicas: 3 }, spec: { replicas: 9 } },
      'application/merge-patch+json',
    );
    expect(status.json).toMatchObject({
      status: { replicas: 3 },
      spec: { replicas: 3 },
      metadata: { generation: 2 },
    });
  });

  test('the scale subresource reads and writes spec.replicas as an autoscaling/v1 Scale', async () => {
    await call('POST', deploys, deployment('s1'));
    const scale = await call('GET', `${deploys}/s1/scale`);
    expect(scale.json).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 1 },
      status: { selector: 'app=s1' },
    });
    const put = await call('PUT', `${deploys}/s1/scale`, { ...scale.json, spec: { replicas: 4 } });
    expect(put.json.spec.replicas).toBe(4);
    expect((await call('GET', `${deploys}/s1`)).json.spec.replicas).toBe(4);
  });
});

describe('delete', () => {
  test('an object without finalizers goes at once: Success Status for ConfigMaps', async () => {
    const made = (await call('POST', cms, { metadata: { name: 'd1' } })).json;
    const r = await call('DELETE', `${cms}/d1`);
    expect(r.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'd1', kind: 'configmaps', uid: made.metadata.uid },
    });
    expect((await call('GET', `${cms}/d1`)).status).toBe(404);
  });

  test('finalizers keep the object with a deletionTimestamp; emptying them deletes it; new ones are refused', async () => {
    await call('POST', cms, { metadata: { name: 'd2', finalizers: ['x/y'] } });
    const marked = await call('DELETE', `${cms}/d2?propagationPolicy=Foreground`);
    expect(marked.status).toBe(200);
    expect(marked.json.metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(marked.json.metadata.finalizers).toEqual(['x/y', 'foregroundDeletion']);
    const added = await call(
      'PATCH',
      `${cms}/d2`,
      { metadata: { finalizers: ['x/y', 'foregroundDeletion', 'z/new'] } },
      'application/merge-patch+json',
    );
    expect(added.json.message).toContain(
      'no new finalizers can be added if the object is being deleted, found new finalizers []string{"z/new"}',
    );
    await call('PATCH', `${cms}/d2`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    expect((await call('GET', `${cms}/d2`)).status).toBe(404);
  });

  test('deleting a namespace makes it Terminating, and creates inside it are 403', async () => {
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'doomed' } });
    const r = await call('DELETE', '/api/v1/namespaces/doomed');
    expect(r.json).toMatchObject({ status: { phase: 'Terminating' }, spec: { finalizers: ['kubernetes'] } });
    const c = await call('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'late' } });
    expect(c.json).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(c.json.message).toContain('because it is being terminated');
  });

  test('deletecollection deletes what the selector matches', async () => {
    await call('POST', cms, { metadata: { name: 'dc1', labels: { batch: 'x' } } });
    await call('POST', cms, { metadata: { name: 'dc2', labels: { batch: 'x' } } });
    await call('POST', cms, { metadata: { name: 'dc3' } });
    const r = await call('DELETE', `${cms}?labelSelector=batch%3Dx`);
    expect(r.json.items.map((i: any) => i.metadata.name)).toEqual(['dc1', 'dc2']);
    expect((await call('GET', `${cms}/dc3`)).status).toBe(200);
  });
});

describe('list', () => {
  test('limit/continue pages one snapshot; a token older than compaction is 410 with a fresh token', async () => {
    const pns = 'paging';
    await call('POST', '/api/v1/namespaces', { metadata: { name: pns } });
    for (const n of ['a', 'b', 'c'])
      await call('POST', `/api/v1/namespaces/${pns}/configmaps`, { metadata: { name: n } });
    const p1 = (await call('GET', `/api/v1/namespaces/${pns}/configmaps?limit=2`)).json;
    expect(p1).toMatchObject({
      kind: 'ConfigMapList',
      apiVersion: 'v1',
      metadata: { remainingItemCount: 1 },
    });
    expect(p1.items.map((i: any) => i.metadata.name)).toEqual(['a', 'b']);
    expect(p1.items[0].kind).toBeUndefined();
    await call('DELETE', `/api/v1/namespaces/${pns}/configmaps/c`);
    const p2 = (
      await call('GET', `/api/v1/namespaces/${pns}/configmaps?limit=2&continue=${p1.metadata.continue}`)
    ).json;
    expect(p2.items.map((i: any) => i.metadata.name)).toEqual(['c']);
    server.internals.compact();
    const old = await call(
      'GET',
      `/api/v1/namespaces/${pns}/configmaps?limit=2&continue=${p1.metadata.continue}`,
    );
    expect(old.json).toMatchObject({
      code: 410,
      reason: 'Expired',
      metadata: { continue: expect.any(String) },
    });
  });

  test('bad selectors are 400', async () => {
    expect((await call('GET', `${cms}?labelSelector=a%20in`)).status).toBe(400);
    expect((await call('GET', `${cms}?fieldSelector=spec.nodeName%3Dx`)).status).toBe(400);
  });
});
