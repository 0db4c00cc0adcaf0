// Conformance: CRD registration, discovery of custom resources, versions and deletion (reference §2 items
// 2, 28; apiextensions-apiserver customresource_discovery_controller.go, finalizer/crd_finalizer.go).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import {
  create,
  expectOk,
  expectStatus,
  installCrd,
  lazyWidgetCrd,
  randomGroup,
  widget,
  widgetCrdBody,
} from './fixtures.js';
import { eventually, suffix, useTarget } from './target.js';

const t = useTarget('crd-reg');
const crd = lazyWidgetCrd(t);
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

describe('CRD registration', () => {
  // §2 item 28: NamesAccepted and Established become True.
  conformanceCase(
    'crd-established',
    'a created CRD reaches conditions NamesAccepted=True and Established=True with acceptedNames',
    async () => {
      const c = await crd();
      const got = (await t.client.get(`${CRDS}/${c.name}`)).json;
      const conds = Object.fromEntries(got.status.conditions.map((x: any) => [x.type, x.status]));
      expect(conds).toMatchObject({ NamesAccepted: 'True', Established: 'True' });
      expect(got.status.acceptedNames).toMatchObject({
        plural: 'widgets',
        kind: 'Widget',
        singular: 'widget',
        listKind: 'WidgetList',
      });
      expect(got.status.storedVersions).toEqual(['v1']);
    },
  );

  // §2 item 2: the CR's APIResourceList entry and its subresources.
  conformanceCase(
    'crd-discovery-resources',
    '/apis/<group>/v1 lists widgets (kind, verbs, shortNames, categories), then widgets/status, then widgets/scale',
    async () => {
      const c = await crd();
      const res = await t.client.get(`/apis/${c.group}/v1`);
      expect(res.json).toMatchObject({ kind: 'APIResourceList', groupVersion: `${c.group}/v1` });
      const names = res.json.resources.map((r: any) => r.name);
      expect(names).toEqual(['widgets', 'widgets/status', 'widgets/scale']);
      const main = res.json.resources.find((r: any) => r.name === 'widgets');
      expect(main).toMatchObject({
        singularName: 'widget',
        namespaced: true,
        kind: 'Widget',
        shortNames: [expect.any(String)],
        categories: ['steward-conformance'],
        storageVersionHash: expect.any(String),
      });
      // customresource_discovery_controller.go lists the verbs in this fixed order.
      expect(main.verbs).toEqual([
        'delete',
        'deletecollection',
        'get',
        'list',
        'patch',
        'create',
        'update',
        'watch',
      ]);
      expect(res.json.resources.find((r: any) => r.name === 'widgets/status')).toMatchObject({
        kind: 'Widget',
        verbs: ['get', 'patch', 'update'],
      });
      expect(res.json.resources.find((r: any) => r.name === 'widgets/scale')).toMatchObject({
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    },
  );

  // §2 item 2: the group appears in /apis with both served versions, v1 preferred.
  conformanceCase(
    'crd-apis-group',
    '/apis lists the CRD group with versions v1 and v1beta1, preferredVersion v1',
    async () => {
      const c = await crd();
      const res = await t.client.get('/apis');
      const g = res.json.groups.find((x: any) => x.name === c.group);
      expect(g).toMatchObject({ preferredVersion: { groupVersion: `${c.group}/v1`, version: 'v1' } });
      expect(g.versions.map((v: any) => v.version)).toEqual(['v1', 'v1beta1']);
    },
  );

  // §2 item 28: conversion None — an object written in v1 reads back in v1beta1 with that apiVersion.
  conformanceCase(
    'crd-multi-version-none-conversion',
    'a CR created through v1 reads through v1beta1 with apiVersion <group>/v1beta1',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'mv', { replicas: 2 }));
      const res = await t.client.get(c.path(t.ns, 'mv', undefined, 'v1beta1'));
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        apiVersion: `${c.group}/v1beta1`,
        kind: 'Widget',
        spec: { replicas: 2 },
      });
    },
  );

  // §2 item 3: CR lists are <Kind>List and their items carry kind and apiVersion.
  conformanceCase(
    'crd-list-shape',
    'a CR list is WidgetList {apiVersion <group>/v1} and items carry kind and apiVersion',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'li', { replicas: 1 }));
      const res = await t.client.get(c.path(t.ns));
      expect(res.json).toMatchObject({
        kind: 'WidgetList',
        apiVersion: `${c.group}/v1`,
        metadata: { resourceVersion: expect.any(String) },
      });
      expect(res.json.items.find((i: any) => i.metadata.name === 'li')).toMatchObject({
        kind: 'Widget',
        apiVersion: `${c.group}/v1`,
      });
    },
  );

  // §2 item 9: NotFound for a CR names plural.group and details.group.
  conformanceCase(
    'crd-cr-not-found',
    'GET of a missing CR → 404 `widgets.<group> "x" not found` with details.group',
    async () => {
      const c = await crd();
      const res = await t.client.get(c.path(t.ns, 'x'));
      expectStatus(res, {
        code: 404,
        reason: 'NotFound',
        message: `widgets.${c.group} "x" not found`,
        details: { name: 'x', group: c.group, kind: 'widgets' },
      });
    },
  );

  // §2 item 9: AlreadyExists for a CR.
  conformanceCase(
    'crd-cr-already-exists',
    'a second create of a CR → 409 `widgets.<group> "dup" already exists`',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'dup', { replicas: 1 }));
      const res = await t.client.post(c.path(t.ns), widget(c, 'dup', { replicas: 1 }));
      expectStatus(res, {
        code: 409,
        reason: 'AlreadyExists',
        message: `widgets.${c.group} "dup" already exists`,
        details: { name: 'dup', group: c.group, kind: 'widgets' },
      });
    },
  );

  // CRD validation: the name must be <plural>.<group>.
  conformanceCase(
    'crd-name-mismatch-422',
    'a CRD whose metadata.name is not <plural>.<group> → 422 naming metadata.name',
    async () => {
      const body = widgetCrdBody(randomGroup());
      body.metadata.name = `wrong.${body.spec.group}`;
      const res = await t.client.post(CRDS, body);
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: /metadata\.name: Invalid value: "wrong\..*": must be spec\.names\.plural\+"\."\+spec\.group/,
      });
    },
  );

  // §2 item 29: v1 CRDs require a structural schema.
  conformanceCase(
    'crd-non-structural-422',
    'a CRD schema property without a type → 422 Invalid',
    async () => {
      const body = widgetCrdBody(randomGroup());
      for (const v of body.spec.versions)
        v.schema.openAPIV3Schema.properties.spec.properties.untyped = { description: 'no type' };
      const res = await t.client.post(CRDS, body);
      // Verified on kube-apiserver v1.37.2: identical per-version schemas are validated once, under the
      // internal spec.validation path.
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: `CustomResourceDefinition.apiextensions.k8s.io "${body.metadata.name}" is invalid: spec.validation.openAPIV3Schema.properties[spec].properties[untyped].type: Required value: must not be empty for specified object fields`,
      });
    },
  );

  // A cluster-scoped CRD serves objects without a namespace.
  conformanceCase(
    'crd-cluster-scoped',
    'a cluster-scoped CR lives at /apis/<group>/v1/<plural>/<name> without a namespace',
    async () => {
      const body = widgetCrdBody(randomGroup(), { plural: 'globals', kind: 'Global' });
      body.spec.scope = 'Cluster';
      const c = await installCrd(t, body);
      const name = `g-${suffix()}`;
      const res = await t.client.post(`/apis/${c.group}/v1/globals`, widget(c, name, { replicas: 1 }));
      const got = expectOk(res, 201);
      expect(got.metadata.namespace).toBeUndefined();
      expect((await t.client.get(`/apis/${c.group}/v1/globals/${name}`)).status).toBe(200);
      const disc = await t.client.get(`/apis/${c.group}/v1`);
      expect(disc.json.resources.find((r: any) => r.name === 'globals')).toMatchObject({ namespaced: false });
    },
  );

  // §2 item 28: deleting a CRD deletes its objects and the endpoints disappear.
  conformanceCase(
    'crd-delete-removes-objects',
    'deleting a CRD removes its CRs; re-creating it shows an empty collection',
    async () => {
      const group = randomGroup();
      const c = await installCrd(t, widgetCrdBody(group, { plural: 'temps', kind: 'Temp' }));
      await create(t, c.path(t.ns), widget(c, 'doomed', { replicas: 1 }));
      expect((await t.client.delete(`${CRDS}/${c.name}`)).status).toBe(200);
      await eventually(
        'CRD gone',
        async () => (await t.client.get(`${CRDS}/${c.name}`)).status === 404,
        10_000,
      );
      await eventually(
        'endpoint gone',
        async () => (await t.client.get(c.path(t.ns))).status === 404,
        10_000,
      );
      const again = await installCrd(t, widgetCrdBody(group, { plural: 'temps', kind: 'Temp' }));
      // Verified against kube-apiserver v1.37.2: right after re-creation the storage may still be initialising
      // (429 TooManyRequests with Retry-After), so wait for the list to be served.
      const list = await eventually(
        're-created CRD served',
        async () => {
          const r = await t.client.get(again.path(t.ns));
          return r.status === 200 ? r.json : undefined;
        },
        10_000,
      );
      expect(list.items).toEqual([]);
    },
  );

  // Issue 3: /openapi/v3 lists the CRD's group-version so kubectl explain works.
  conformanceCase(
    'crd-openapi-v3',
    '/openapi/v3 lists apis/<group>/v1 and its document has the Widget schema',
    async () => {
      const c = await crd();
      const entry = await eventually(
        'openapi v3 entry',
        async () => (await t.client.get('/openapi/v3')).json?.paths?.[`apis/${c.group}/v1`],
      );
      const doc = await t.client.get(entry.serverRelativeURL);
      expect(doc.status).toBe(200);
      const schemas = Object.keys(doc.json.components.schemas);
      expect(schemas.some((k) => k.endsWith('.v1.Widget'))).toBe(true);
    },
  );

  // §2 item 3: the CRD collection is a CustomResourceDefinitionList.
  conformanceCase(
    'crd-list-kind',
    'GET of the CRD collection → CustomResourceDefinitionList including the new CRD',
    async () => {
      const c = await crd();
      const res = await t.client.get(CRDS);
      expect(res.json.kind).toBe('CustomResourceDefinitionList');
      expect(res.json.items.map((i: any) => i.metadata.name)).toContain(c.name);
    },
  );

  // §2 item 2: aggregated discovery describes the CR with its subresources inline.
  conformanceCase(
    'crd-aggregated-discovery',
    'GET /apis as APIGroupDiscoveryList → the CRD group with resource widgets, scope Namespaced, subresources status and scale',
    async () => {
      const c = await crd();
      const res = await t.client.request('GET', '/apis', {
        accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      });
      const group = res.json.items.find((g: any) => g.metadata?.name === c.group);
      const v1 = group?.versions?.find((v: any) => v.version === 'v1');
      const entry = v1?.resources?.find((r: any) => r.resource === 'widgets');
      expect(entry).toMatchObject({
        resource: 'widgets',
        singularResource: 'widget',
        scope: 'Namespaced',
        responseKind: { group: c.group, version: 'v1', kind: 'Widget' },
        verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
        categories: ['steward-conformance'],
      });
      expect(entry.subresources).toEqual([
        {
          subresource: 'status',
          responseKind: { group: c.group, version: 'v1', kind: 'Widget' },
          verbs: ['get', 'patch', 'update'],
        },
        {
          subresource: 'scale',
          responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
          verbs: ['get', 'patch', 'update'],
        },
      ]);
    },
  );
});
