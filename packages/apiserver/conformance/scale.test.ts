// Conformance: the scale subresource (issue 3; reference §2 item 2; apiextensions customresource scale
// storage, apps deployment scale REST).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import {
  IMAGE,
  create,
  deployPath,
  deployment,
  expectOk,
  expectStatus,
  lazyWidgetCrd,
  widget,
} from './fixtures.js';
import { useTarget, type Response } from './target.js';

const t = useTarget('scale');
const crd = lazyWidgetCrd(t);

describe('scale subresource', () => {
  // A CR's scale reads spec/status replicas through the paths the CRD declares.
  conformanceCase(
    'scale-cr-get',
    'GET widgets/<name>/scale → autoscaling/v1 Scale with spec.replicas and status.replicas',
    async () => {
      const c = await crd();
      const made = await create(t, c.path(t.ns), widget(c, 'sc1', { replicas: 3 }));
      await t.client.patch(c.path(t.ns, 'sc1', 'status'), 'merge', {
        status: { replicas: 2, selector: 'app=sc1' },
      });
      const res = await t.client.get(c.path(t.ns, 'sc1', 'scale'));
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: { name: 'sc1', namespace: t.ns, uid: made.metadata.uid },
        spec: { replicas: 3 },
        status: { replicas: 2, selector: 'app=sc1' },
      });
    },
  );

  // Scale's status.replicas is not omitempty: absent status reads as 0.
  conformanceCase('scale-cr-status-zero', 'a CR with no status has Scale status.replicas 0', async () => {
    const c = await crd();
    await create(t, c.path(t.ns), widget(c, 'sc2', { replicas: 5 }));
    const res = await t.client.get(c.path(t.ns, 'sc2', 'scale'));
    expect(res.json.status).toEqual({ replicas: 0 });
  });

  // Writing the scale writes spec.replicas (and so bumps generation).
  conformanceCase(
    'scale-cr-put',
    'PUT scale with spec.replicas 7 → the CR has spec.replicas 7 and generation 2',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'sc3', { replicas: 1 }));
      const scale = (await t.client.get(c.path(t.ns, 'sc3', 'scale'))).json;
      const got = expectOk(
        await t.client.put(c.path(t.ns, 'sc3', 'scale'), { ...scale, spec: { replicas: 7 } }),
        200,
      );
      expect(got).toMatchObject({ kind: 'Scale', spec: { replicas: 7 } });
      const cr = (await t.client.get(c.path(t.ns, 'sc3'))).json;
      expect(cr.spec.replicas).toBe(7);
      expect(cr.metadata.generation).toBe(2);
    },
  );

  // Scale can be patched too (kubectl scale uses a merge patch).
  conformanceCase(
    'scale-cr-merge-patch',
    'merge PATCH scale {spec:{replicas:4}} → CR spec.replicas 4',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'sc4', { replicas: 1 }));
      expectOk(await t.client.patch(c.path(t.ns, 'sc4', 'scale'), 'merge', { spec: { replicas: 4 } }), 200);
      expect((await t.client.get(c.path(t.ns, 'sc4'))).json.spec.replicas).toBe(4);
    },
  );

  // Scale writes honour optimistic concurrency.
  conformanceCase('scale-stale-rv-409', 'PUT scale with a stale resourceVersion → 409 Conflict', async () => {
    const c = await crd();
    await create(t, c.path(t.ns), widget(c, 'sc5', { replicas: 1 }));
    const scale = (await t.client.get(c.path(t.ns, 'sc5', 'scale'))).json;
    expectOk(await t.client.patch(c.path(t.ns, 'sc5'), 'merge', { spec: { replicas: 2 } }), 200);
    const res = await t.client.put(c.path(t.ns, 'sc5', 'scale'), { ...scale, spec: { replicas: 3 } });
    expectStatus(res, { code: 409, reason: 'Conflict' });
  });

  // The schema still applies: scaling below the minimum is invalid.
  conformanceCase(
    'scale-cr-validated',
    'PUT scale with replicas 0 when the schema says minimum 1 → 422',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'sc6', { replicas: 1 }));
      const scale = (await t.client.get(c.path(t.ns, 'sc6', 'scale'))).json;
      const res = await t.client.put(c.path(t.ns, 'sc6', 'scale'), { ...scale, spec: { replicas: 0 } });
      expectStatus(res, { code: 422, reason: 'Invalid' });
    },
  );

  // Deployments expose scale with their label selector as a string.
  conformanceCase(
    'scale-deployment-get',
    'GET deployments/<name>/scale → Scale with spec.replicas and status.selector "app=<name>"',
    async () => {
      await create(t, deployPath(t.ns), deployment('sd', 2));
      const res = await t.client.get(`${deployPath(t.ns, 'sd')}/scale`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        spec: { replicas: 2 },
        // status.replicas is whatever the Deployment controller reported (none on the embedded server).
        status: { replicas: expect.any(Number), selector: 'app=sd' },
      });
    },
  );

  // Writing a Deployment's scale writes spec.replicas.
  conformanceCase(
    'scale-deployment-put',
    'PUT deployments/<name>/scale replicas 5 → Deployment spec.replicas 5',
    async () => {
      await create(t, deployPath(t.ns), deployment('sd2', 1));
      // A real Deployment controller writes status concurrently; retry on 409 as any client must.
      let res: Response | undefined;
      for (let attempt = 0; attempt < 5; attempt++) {
        const scale = (await t.client.get(`${deployPath(t.ns, 'sd2')}/scale`)).json;
        res = await t.client.put(`${deployPath(t.ns, 'sd2')}/scale`, { ...scale, spec: { replicas: 5 } });
        if (res.status !== 409) break;
      }
      if (res === undefined) throw new Error('no scale write attempted');
      expectOk(res, 200);
      expect((await t.client.get(deployPath(t.ns, 'sd2'))).json.spec.replicas).toBe(5);
    },
  );

  // StatefulSets expose scale too (what a data-system operator scales).
  conformanceCase(
    'scale-statefulset',
    'GET statefulsets/<name>/scale → Scale with spec.replicas and selector; kubectl scale sts writes it',
    async () => {
      const path = `/apis/apps/v1/namespaces/${t.ns}/statefulsets`;
      await create(t, path, {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'ss' },
        spec: {
          serviceName: 'ss',
          replicas: 1,
          selector: { matchLabels: { app: 'ss' } },
          template: {
            metadata: { labels: { app: 'ss' } },
            spec: { containers: [{ name: 'db', image: IMAGE }] },
          },
        },
      });
      const res = await t.client.get(`${path}/ss/scale`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        spec: { replicas: 1 },
        status: { selector: 'app=ss' },
      });
      const r = await t.client.kubectl(['-n', t.ns, 'scale', 'statefulset/ss', '--replicas=3']);
      expect(r).toMatchObject({ code: 0, stdout: 'statefulset.apps/ss scaled\n' });
      expect((await t.client.get(`${path}/ss`)).json.spec.replicas).toBe(3);
    },
  );
});
