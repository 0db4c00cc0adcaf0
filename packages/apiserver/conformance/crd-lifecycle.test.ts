// Conformance: the lifecycle of a CRD beyond creation — unknown versions, deletecollection of CRs, and a
// Terminating CRD held by a CR finalizer (reference §2 items 2, 28; apiextensions-apiserver
// customresource_handler.go, customresource_discovery_controller.go, finalizer/crd_finalizer.go).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import {
  byCodePoint,
  create,
  expectOk,
  expectStatus,
  installCrd,
  lazyWidgetCrd,
  names,
  randomGroup,
  widget,
  widgetCrdBody,
} from './fixtures.js';
import { eventually, useTarget } from './target.js';

const t = useTarget('crd-life');
const crd = lazyWidgetCrd(t);
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const HOLD = 'conformance.steward.dev/hold';

describe('CRD lifecycle', () => {
  // A version the CRD does not declare is not served.
  conformanceCase(
    'crd-undeclared-version-404',
    'GET /apis/<group>/v2/... of a CRD without v2 → 404',
    async () => {
      const c = await crd();
      const res = await t.client.get(`/apis/${c.group}/v2/namespaces/${t.ns}/widgets`);
      expect(res.status).toBe(404);
    },
  );

  // A declared but unserved version is not served either, and is absent from discovery.
  conformanceCase(
    'crd-unserved-version-404',
    'a version with served: false → 404 on its endpoint and absent from the group in /apis',
    async () => {
      const body = widgetCrdBody(randomGroup(), { plural: 'quiets', kind: 'Quiet' });
      body.spec.versions[1].served = false;
      const c = await installCrd(t, body);
      expect((await t.client.get(c.path(t.ns, undefined, undefined, 'v1beta1'))).status).toBe(404);
      const g = (await t.client.get('/apis')).json.groups.find((x: any) => x.name === c.group);
      expect(g.versions.map((v: any) => v.version)).toEqual(['v1']);
    },
  );

  // deletecollection works on custom resources, honouring label selectors.
  conformanceCase(
    'crd-deletecollection',
    'DELETE on a CR collection with labelSelector removes only the matching CRs',
    async () => {
      const c = await crd();
      const ns = await t.createNamespace('conf-crd-dc');
      await create(t, c.path(ns), { ...widget(c, 'x1'), metadata: { name: 'x1', labels: { sweep: 'yes' } } });
      await create(t, c.path(ns), { ...widget(c, 'x2'), metadata: { name: 'x2', labels: { sweep: 'yes' } } });
      await create(t, c.path(ns), widget(c, 'keep'));
      expect((await t.client.delete(c.path(ns), { labelSelector: 'sweep=yes' })).status).toBe(200);
      expect(names(expectOk(await t.client.get(c.path(ns)), 200))).toEqual(['keep']);
    },
  );

  // §2 item 28: a CRD whose CRs are held by finalizers stays Terminating; discovery advertises only
  // delete, deletecollection, get, list, watch; creates are refused; releasing the CR finishes the deletion.
  conformanceCase(
    'crd-terminating',
    'a deleting CRD with a held CR: condition Terminating, read/delete-only verbs, create → 403 "create not allowed while custom resource definition is terminating", gone once released',
    async () => {
      const c = await installCrd(t, widgetCrdBody(randomGroup(), { plural: 'holds', kind: 'Hold' }));
      await create(t, c.path(t.ns), { ...widget(c, 'held'), metadata: { name: 'held', finalizers: [HOLD] } });
      expect((await t.client.delete(`${CRDS}/${c.name}`)).status).toBe(200);
      const terminating = await eventually('Terminating condition', async () => {
        const got = (await t.client.get(`${CRDS}/${c.name}`)).json;
        return got?.status?.conditions?.find((x: any) => x.type === 'Terminating' && x.status === 'True')
          ? got
          : undefined;
      });
      expect(terminating.metadata.finalizers).toContain('customresourcecleanup.apiextensions.k8s.io');
      const entry = await eventually('read-only discovery verbs', async () => {
        const r = (await t.client.get(`/apis/${c.group}/v1`)).json?.resources?.find(
          (x: any) => x.name === 'holds',
        );
        return r && !r.verbs.includes('create') ? r : undefined;
      });
      expect([...entry.verbs].sort(byCodePoint)).toEqual([
        'delete',
        'deletecollection',
        'get',
        'list',
        'watch',
      ]);
      const refused = await t.client.post(c.path(t.ns), widget(c, 'late'));
      // customresource_handler.go wraps admission in forbidCreateAdmission while the CRD terminates.
      expectStatus(refused, {
        code: 403,
        reason: 'Forbidden',
        message: `holds.${c.group} "late" is forbidden: create not allowed while custom resource definition is terminating`,
        details: { name: 'late', group: c.group, kind: 'holds' },
      });
      await t.client.patch(c.path(t.ns, 'held'), 'merge', { metadata: { finalizers: null } });
      await eventually(
        'CRD removed',
        async () => (await t.client.get(`${CRDS}/${c.name}`)).status === 404,
        10_000,
      );
    },
  );

  // §2 item 28: a CRD write changing its schema is picked up by the CR endpoint.
  conformanceCase(
    'crd-schema-update-applies',
    'raising the replicas maximum in the CRD lets a previously invalid CR through',
    async () => {
      const c = await installCrd(t, widgetCrdBody(randomGroup(), { plural: 'growers', kind: 'Grower' }));
      expect((await t.client.post(c.path(t.ns), widget(c, 'big', { replicas: 150 }))).status).toBe(422);
      const current = (await t.client.get(`${CRDS}/${c.name}`)).json;
      for (const v of current.spec.versions)
        v.schema.openAPIV3Schema.properties.spec.properties.replicas.maximum = 200;
      expectOk(await t.client.put(`${CRDS}/${c.name}`, current), 200);
      await eventually('new schema served', async () => {
        const r = await t.client.post(c.path(t.ns), widget(c, 'big', { replicas: 150 }), { dryRun: 'All' });
        return r.status === 201;
      });
    },
  );

  // Creating a CRD with a group-name clash (same plural.group) → 409.
  conformanceCase(
    'crd-already-exists-409',
    'a second CRD with the same name → 409 `customresourcedefinitions.apiextensions.k8s.io "<name>" already exists`',
    async () => {
      const c = await crd();
      const res = await t.client.post(CRDS, widgetCrdBody(c.group));
      expect(res.status).toBe(409);
      expect(res.json).toMatchObject({
        reason: 'AlreadyExists',
        message: `customresourcedefinitions.apiextensions.k8s.io "${c.name}" already exists`,
      });
    },
  );

  // The CR registry does not return deleted objects: DELETE answers a Success Status naming plural and group.
  conformanceCase(
    'crd-cr-delete-status',
    'DELETE of a CR → 200 Status Success with details {name, group, kind: <plural>, uid}',
    async () => {
      const c = await crd();
      const made = await create(t, c.path(t.ns), widget(c, 'gone', { replicas: 1 }));
      const res = await t.client.delete(c.path(t.ns, 'gone'));
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Success',
        details: { name: 'gone', group: c.group, kind: 'widgets', uid: made.metadata.uid },
      });
    },
  );
});
