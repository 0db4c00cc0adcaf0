// CRD lifecycle over real HTTP: serving on create, Established status, validation of custom resources,
/* oxlint-disable typescript/no-explicit-any -- tests read JSON answers field by field */
// several served versions, and deletion that removes every custom resource first.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer, type ApiServer } from '../apiServer.js';

let server: ApiServer;

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'Content-Type': contentType },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  // A path under a group no CRD serves any more gets the mux's plain-text 404, not JSON.
  const json =
    res.headers.get('content-type')?.startsWith('application/json') && text ? JSON.parse(text) : undefined;
  return { status: res.status, json };
}

const schema = {
  openAPIV3Schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: { replicas: { type: 'integer', minimum: 1, default: 1 }, color: { type: 'string' } },
      },
      status: { type: 'object', properties: { ready: { type: 'boolean' } } },
    },
  },
};
const crd = (versions: string[]) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gizmos.test.steward.dev' },
  spec: {
    group: 'test.steward.dev',
    scope: 'Namespaced',
    names: { kind: 'Gizmo', plural: 'gizmos', singular: 'gizmo', listKind: 'GizmoList', shortNames: ['gz'] },
    versions: versions.map((name, i) => ({
      name,
      served: true,
      storage: i === 0,
      schema,
      subresources: { status: {} },
    })),
  },
});
const crds = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const gizmos = (v = 'v1') => `/apis/test.steward.dev/${v}/namespaces/default/gizmos`;

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
});
afterAll(async () => {
  await server.stop();
});

describe('CRD lifecycle', () => {
  test('a created CRD is served at once and reports NamesAccepted and Established', async () => {
    expect((await call('POST', crds, crd(['v1']))).status).toBe(201);
    const list = await call('GET', gizmos());
    expect(list.json).toMatchObject({ kind: 'GizmoList', apiVersion: 'test.steward.dev/v1', items: [] });
    await new Promise((r) => setTimeout(r, 20));
    const got = (await call('GET', `${crds}/gizmos.test.steward.dev`)).json;
    const conditions = Object.fromEntries(got.status.conditions.map((c: any) => [c.type, c.status]));
    expect(conditions).toMatchObject({ NamesAccepted: 'True', Established: 'True' });
    expect(got.status.acceptedNames.kind).toBe('Gizmo');
    const discovery = (await call('GET', '/apis/test.steward.dev/v1')).json;
    expect(discovery.resources.map((r: any) => r.name)).toEqual(['gizmos', 'gizmos/status']);
  });

  test('custom resources are defaulted, pruned, validated (422 with causes) and get generation 1', async () => {
    const made = await call('POST', gizmos(), {
      apiVersion: 'test.steward.dev/v1',
      kind: 'Gizmo',
      metadata: { name: 'g1' },
      spec: { color: 'red', extra: 1 },
    });
    expect(made.status).toBe(201);
    expect(made.json.spec).toEqual({ color: 'red', replicas: 1 });
    expect(made.json.metadata.generation).toBe(1);
    const bad = await call('POST', gizmos(), {
      apiVersion: 'test.steward.dev/v1',
      kind: 'Gizmo',
      metadata: { name: 'g2' },
      spec: { replicas: 0 },
    });
    expect(bad.json).toMatchObject({
      code: 422,
      reason: 'Invalid',
      details: { causes: [{ field: 'spec.replicas' }] },
    });
  });

  test('PUT without a resourceVersion is 422 for custom resources; strategic merge patch is 415', async () => {
    const cur = (await call('GET', `${gizmos()}/g1`)).json;
    const { resourceVersion: _rv, ...meta } = cur.metadata;
    const put = await call('PUT', `${gizmos()}/g1`, { ...cur, metadata: meta });
    expect(put.json.message).toContain(
      'gizmos.test.steward.dev "g1" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update',
    );
    const smp = await call(
      'PATCH',
      `${gizmos()}/g1`,
      { spec: { replicas: 2 } },
      'application/strategic-merge-patch+json',
    );
    expect(smp.status).toBe(415);
  });

  test('adding a served version serves the same objects under the new apiVersion', async () => {
    const cur = (await call('GET', `${crds}/gizmos.test.steward.dev`)).json;
    const next = { ...cur, spec: { ...cur.spec, versions: crd(['v1', 'v2']).spec.versions } };
    expect((await call('PUT', `${crds}/gizmos.test.steward.dev`, next)).status).toBe(200);
    const v2 = await call('GET', `${gizmos('v2')}/g1`);
    expect(v2.json).toMatchObject({
      apiVersion: 'test.steward.dev/v2',
      kind: 'Gizmo',
      spec: { color: 'red' },
    });
  });

  test('deleting the CRD deletes its objects (a watcher sees DELETED) and then stops serving', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${server.url}${gizmos()}?watch=1`, { signal: ctrl.signal });
    const reader = res.body!.getReader();
    let text = '';
    const del = await call('DELETE', `${crds}/gizmos.test.steward.dev`);
    expect(del.status).toBe(200);
    const deadline = Date.now() + 2000;
    while (!text.includes('"DELETED"') && Date.now() < deadline) {
      const r = await reader.read();
      if (r.done) break;
      text += new TextDecoder().decode(r.value);
    }
    ctrl.abort();
    expect(text).toContain('"type":"DELETED"');
    await new Promise((r) => setTimeout(r, 20));
    expect((await call('GET', gizmos())).status).toBe(404);
    expect((await call('GET', `${crds}/gizmos.test.steward.dev`)).status).toBe(404);
  });
});
