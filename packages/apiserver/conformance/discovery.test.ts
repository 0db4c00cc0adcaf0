// Conformance: discovery and OpenAPI documents (reference §2 item 2; staging/src/k8s.io/apiserver/pkg/endpoints/discovery).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { useTarget } from './target.js';

const t = useTarget('discovery');

const find = (list: any, name: string) => (list?.resources ?? []).find((r: any) => r.name === name);

describe('discovery', () => {
  // §2 item 2: /version reports the server's release.
  conformanceCase(
    'discovery-version',
    'GET /version → 200 with major, minor and gitVersion strings',
    async () => {
      const res = await t.client.get('/version');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        major: expect.any(String),
        minor: expect.any(String),
        gitVersion: expect.stringMatching(/^v\d+\.\d+\.\d+/),
      });
    },
  );

  // §2 item 2: /api → APIVersions with the single legacy version.
  conformanceCase('discovery-api-versions', 'GET /api → APIVersions {versions:["v1"]}', async () => {
    const res = await t.client.get('/api');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    expect(Array.isArray(res.json.serverAddressByClientCIDRs)).toBe(true);
  });

  // §2 item 2: /apis → APIGroupList naming every group the issue requires.
  conformanceCase(
    'discovery-apis-group-list',
    'GET /apis → APIGroupList with apps, batch, policy, coordination, events, rbac, apiextensions',
    async () => {
      const res = await t.client.get('/apis');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ kind: 'APIGroupList', apiVersion: 'v1' });
      const names = res.json.groups.map((g: any) => g.name);
      for (const g of [
        'apps',
        'batch',
        'policy',
        'coordination.k8s.io',
        'events.k8s.io',
        'rbac.authorization.k8s.io',
        'apiextensions.k8s.io',
      ]) {
        expect(names).toContain(g);
      }
      const apps = res.json.groups.find((g: any) => g.name === 'apps');
      expect(apps).toMatchObject({
        versions: expect.arrayContaining([{ groupVersion: 'apps/v1', version: 'v1' }]),
        preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
      });
    },
  );

  // §2 item 2: /api/v1 → APIResourceList; each resource names kind, scope, verbs and short names.
  conformanceCase(
    'discovery-core-v1-resources',
    'GET /api/v1 → APIResourceList with pods (Pod, namespaced, short name po) and namespaces (cluster-scoped)',
    async () => {
      const res = await t.client.get('/api/v1');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
      expect(find(res.json, 'pods')).toMatchObject({
        name: 'pods',
        singularName: 'pod',
        namespaced: true,
        kind: 'Pod',
        shortNames: ['po'],
        verbs: expect.arrayContaining([
          'create',
          'delete',
          'deletecollection',
          'get',
          'list',
          'patch',
          'update',
          'watch',
        ]),
      });
      expect(find(res.json, 'namespaces')).toMatchObject({
        namespaced: false,
        kind: 'Namespace',
        shortNames: ['ns'],
      });
      for (const r of [
        'configmaps',
        'secrets',
        'services',
        'endpoints',
        'serviceaccounts',
        'persistentvolumeclaims',
        'persistentvolumes',
        'events',
        'nodes',
      ]) {
        expect(find(res.json, r)).toBeDefined();
      }
    },
  );

  // §2 item 2: subresources are separate entries with the parent's kind, verbs get/patch/update.
  conformanceCase(
    'discovery-status-subresource-entry',
    'pods/status is listed with kind Pod and verbs get, patch, update',
    async () => {
      const res = await t.client.get('/api/v1');
      expect(find(res.json, 'pods/status')).toMatchObject({
        namespaced: true,
        kind: 'Pod',
        verbs: ['get', 'patch', 'update'],
      });
    },
  );

  // §2 item 2 (customresource_discovery_controller.go): a subresource is listed after its main resource,
  // which client-node's KubernetesObjectApi relies on (first match by kind).
  conformanceCase(
    'discovery-subresource-after-main',
    'the main resource precedes its subresources in APIResourceList',
    async () => {
      const res = await t.client.get('/api/v1');
      const names: string[] = res.json.resources.map((r: any) => r.name);
      expect(names.indexOf('pods')).toBeGreaterThanOrEqual(0);
      expect(names.indexOf('pods')).toBeLessThan(names.indexOf('pods/status'));
    },
  );

  // §2 item 2: scale subresources are group autoscaling, version v1, kind Scale.
  conformanceCase(
    'discovery-scale-subresource-entry',
    'deployments/scale is listed with group autoscaling, version v1, kind Scale',
    async () => {
      const res = await t.client.get('/apis/apps/v1');
      expect(res.json).toMatchObject({ kind: 'APIResourceList', groupVersion: 'apps/v1' });
      expect(find(res.json, 'deployments')).toMatchObject({
        kind: 'Deployment',
        namespaced: true,
        shortNames: ['deploy'],
      });
      expect(find(res.json, 'deployments/scale')).toMatchObject({
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
      });
      expect(find(res.json, 'statefulsets')).toMatchObject({ kind: 'StatefulSet', shortNames: ['sts'] });
    },
  );

  // §2 item 2: every group in the kind list serves its resources.
  conformanceCase(
    'discovery-group-resources',
    'batch/v1 jobs, policy/v1 poddisruptionbudgets, coordination.k8s.io/v1 leases and events.k8s.io/v1 events are served',
    async () => {
      const want: [string, string, string][] = [
        ['batch/v1', 'jobs', 'Job'],
        ['policy/v1', 'poddisruptionbudgets', 'PodDisruptionBudget'],
        ['coordination.k8s.io/v1', 'leases', 'Lease'],
        ['events.k8s.io/v1', 'events', 'Event'],
        ['rbac.authorization.k8s.io/v1', 'clusterroles', 'ClusterRole'],
        ['apiextensions.k8s.io/v1', 'customresourcedefinitions', 'CustomResourceDefinition'],
      ];
      for (const [gv, plural, kind] of want) {
        const res = await t.client.get(`/apis/${gv}`);
        expect({ gv, status: res.status }).toEqual({ gv, status: 200 });
        expect(find(res.json, plural)).toMatchObject({ kind });
      }
    },
  );

  // §2 item 2: the CRD resource is cluster-scoped with short name crd.
  conformanceCase(
    'discovery-crd-resource',
    'customresourcedefinitions is cluster-scoped with short names crd, crds',
    async () => {
      const res = await t.client.get('/apis/apiextensions.k8s.io/v1');
      expect(find(res.json, 'customresourcedefinitions')).toMatchObject({
        namespaced: false,
        shortNames: expect.arrayContaining(['crd', 'crds']),
      });
    },
  );

  // §2 item 3: a group that does not exist is a 404.
  conformanceCase('discovery-unknown-group-404', 'GET /apis/<unknown group>/v1 → 404', async () => {
    const res = await t.client.get('/apis/nope.conformance.steward.dev/v1');
    expect(res.status).toBe(404);
  });

  // §2 item 2: aggregated discovery when the client asks for apidiscovery.k8s.io/v2 (kubectl does).
  conformanceCase(
    'discovery-aggregated-v2',
    'GET /apis with Accept as=APIGroupDiscoveryList → apidiscovery.k8s.io/v2 APIGroupDiscoveryList',
    async () => {
      const res = await t.client.request('GET', '/apis', {
        accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('as=APIGroupDiscoveryList');
      expect(res.json).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
      const apps = res.json.items.find((g: any) => g.metadata?.name === 'apps');
      const v1 = apps?.versions?.find((v: any) => v.version === 'v1');
      const deployments = v1?.resources?.find((r: any) => r.resource === 'deployments');
      // Verified against kube-apiserver v1.37.2: a built-in's responseKind leaves group and version empty when
      // they equal the enclosing group-version; subresources are listed scale, then status.
      expect(deployments).toMatchObject({
        responseKind: { group: '', version: '', kind: 'Deployment' },
        scope: 'Namespaced',
        singularResource: 'deployment',
        shortNames: ['deploy'],
        categories: ['all'],
      });
      expect(deployments.subresources).toEqual([
        {
          subresource: 'scale',
          responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
          verbs: ['get', 'patch', 'update'],
        },
        {
          subresource: 'status',
          responseKind: { group: '', version: '', kind: 'Deployment' },
          verbs: ['get', 'patch', 'update'],
        },
      ]);
    },
  );

  // Issue 3: /openapi/v2 good enough for kubectl (definitions keyed by the Go package path).
  conformanceCase(
    'discovery-openapi-v2',
    'GET /openapi/v2 → swagger 2.0 with io.k8s.api.core.v1.ConfigMap',
    async () => {
      const res = await t.client.get('/openapi/v2');
      expect(res.status).toBe(200);
      expect(res.json?.swagger).toBe('2.0');
      expect(res.json.definitions['io.k8s.api.core.v1.ConfigMap']).toBeDefined();
    },
  );

  // Issue 3: /openapi/v3 is an index of per-group-version documents.
  conformanceCase(
    'discovery-openapi-v3',
    'GET /openapi/v3 lists api/v1; its document has components.schemas for ConfigMap',
    async () => {
      const res = await t.client.get('/openapi/v3');
      expect(res.status).toBe(200);
      const entry = res.json?.paths?.['api/v1'];
      expect(entry).toMatchObject({ serverRelativeURL: expect.stringMatching(/^\/openapi\/v3\/api\/v1/) });
      const doc = await t.client.get(entry.serverRelativeURL);
      expect(doc.status).toBe(200);
      expect(doc.json.openapi).toMatch(/^3\./);
      expect(doc.json.components.schemas['io.k8s.api.core.v1.ConfigMap']).toBeDefined();
    },
  );

  // Health endpoints answer plain "ok".
  conformanceCase('discovery-healthz', 'GET /healthz, /livez and /readyz → 200 "ok"', async () => {
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const res = await t.client.get(p);
      expect({ p, status: res.status, text: res.text }).toEqual({ p, status: 200, text: 'ok' });
    }
  });
});
