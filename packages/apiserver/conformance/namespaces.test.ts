// Conformance: namespaces (issue 3; reference §2 item 1; NamespaceLifecycle admission, core namespace strategy).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { cmPath, configMap, create, expectOk, expectStatus } from './fixtures.js';
import { suffix, useTarget } from './target.js';

const t = useTarget('ns');

describe('namespaces', () => {
  // Issue 3: default, kube-system and kube-public exist at start.
  conformanceCase(
    'ns-system-namespaces-exist',
    'default, kube-system and kube-public exist and are Active',
    async () => {
      for (const n of ['default', 'kube-system', 'kube-public']) {
        const res = await t.client.get(`/api/v1/namespaces/${n}`);
        expect({ n, status: res.status, phase: res.json?.status?.phase }).toEqual({
          n,
          status: 200,
          phase: 'Active',
        });
      }
    },
  );

  // core namespace strategy: phase Active, finalizer kubernetes, the metadata.name label.
  conformanceCase(
    'ns-create-defaults',
    'a new Namespace has status.phase Active, spec.finalizers ["kubernetes"] and label kubernetes.io/metadata.name',
    async () => {
      const name = await t.createNamespace('conf-ns-new');
      const got = (await t.client.get(`/api/v1/namespaces/${name}`)).json;
      expect(got).toMatchObject({
        kind: 'Namespace',
        apiVersion: 'v1',
        metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
    },
  );

  // Namespaces are cluster-scoped: NamespaceList at /api/v1/namespaces.
  conformanceCase(
    'ns-list',
    "GET /api/v1/namespaces → NamespaceList containing default and this file's namespace",
    async () => {
      const res = await t.client.get('/api/v1/namespaces');
      expect(res.json.kind).toBe('NamespaceList');
      const names = res.json.items.map((i: any) => i.metadata.name);
      expect(names).toEqual(expect.arrayContaining(['default', t.ns]));
    },
  );

  // Deleting a namespace answers with it in phase Terminating (the namespace controller finishes it).
  conformanceCase(
    'ns-delete-terminating',
    'DELETE of a namespace → 200 with deletionTimestamp and status.phase Terminating',
    async () => {
      const name = await t.createNamespace('conf-ns-del');
      const res = await t.client.delete(`/api/v1/namespaces/${name}`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        kind: 'Namespace',
        metadata: { name, deletionTimestamp: expect.any(String) },
        status: { phase: 'Terminating' },
      });
    },
  );

  // §2 item 1 (apiserver admission/plugin/namespace/lifecycle): creates in a Terminating namespace → 403
  // Forbidden, with a NamespaceTerminating cause on metadata.namespace.
  conformanceCase(
    'ns-terminating-create-403',
    'create in a Terminating namespace → 403 `configmaps "x" is forbidden: unable to create new content in namespace <ns> because it is being terminated`',
    async () => {
      const name = await t.createNamespace('conf-ns-term');
      // A finalizer-held object keeps the namespace Terminating even where a namespace controller runs.
      await create(t, cmPath(name), {
        ...configMap('anchor'),
        metadata: { name: 'anchor', finalizers: ['conformance.steward.dev/hold'] },
      });
      t.defer(() => t.client.patch(cmPath(name, 'anchor'), 'merge', { metadata: { finalizers: null } }));
      expect((await t.client.delete(`/api/v1/namespaces/${name}`)).status).toBe(200);
      const res = await t.client.post(cmPath(name), configMap('x'));
      expectStatus(res, {
        code: 403,
        reason: 'Forbidden',
        message: `configmaps "x" is forbidden: unable to create new content in namespace ${name} because it is being terminated`,
        details: {
          name: 'x',
          kind: 'configmaps',
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${name} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      });
    },
  );

  // NamespaceLifecycle: the immortal namespaces cannot be deleted (checked with dry run, which still runs admission).
  conformanceCase(
    'ns-immortal-403',
    'DELETE ?dryRun=All of kube-system → 403 `namespaces "kube-system" is forbidden: this namespace may not be deleted`',
    async () => {
      const res = await t.client.delete('/api/v1/namespaces/kube-system', { dryRun: 'All' });
      expectStatus(res, {
        code: 403,
        reason: 'Forbidden',
        message: 'namespaces "kube-system" is forbidden: this namespace may not be deleted',
      });
    },
  );

  // A Namespace name that exists → 409 AlreadyExists.
  conformanceCase(
    'ns-already-exists-409',
    'POST of an existing Namespace → 409 `namespaces "<name>" already exists`',
    async () => {
      const res = await t.client.post('/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: t.ns },
      });
      expectStatus(res, {
        code: 409,
        reason: 'AlreadyExists',
        message: `namespaces "${t.ns}" already exists`,
        details: { name: t.ns, kind: 'namespaces' },
      });
    },
  );

  // Reading objects of a namespace that does not exist is an empty list, not an error.
  conformanceCase(
    'ns-list-in-missing-namespace',
    'GET configmaps of a namespace that does not exist → 200 with no items',
    async () => {
      const res = await t.client.get(cmPath(`conf-absent-${suffix()}`));
      expect(expectOk(res, 200).items).toEqual([]);
    },
  );

  // Namespaces are cluster-scoped: a namespaced path for them does not exist.
  conformanceCase('ns-not-namespaced-404', 'GET /api/v1/namespaces/<ns>/namespaces → 404', async () => {
    const res = await t.client.get(`/api/v1/namespaces/${t.ns}/namespaces`);
    expect(res.status).toBe(404);
  });
});
