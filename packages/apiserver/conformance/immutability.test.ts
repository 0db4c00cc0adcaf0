// Conformance: update validation of built-in kinds that operators of data systems run into — immutable
// selectors, StatefulSet spec limits, PVC specs, Service allocations (kubernetes pkg/apis/*/validation).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { IMAGE, create, deployPath, deployment, expectOk, expectStatus } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('immutable');
const stsPath = (ns: string, name?: string) =>
  `/apis/apps/v1/namespaces/${ns}/statefulsets${name ? `/${name}` : ''}`;

function statefulSet(name: string): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      serviceName: name,
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'db', image: IMAGE }] } },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  };
}

describe('immutability and update validation', () => {
  // Patches, not PUTs, throughout: on a real cluster controllers write status meanwhile, and a PUT from a
  // stale read would be a 409 instead of the validation error under test.

  // apps validation: a Deployment's selector cannot change.
  conformanceCase(
    'imm-deployment-selector-422',
    'changing a Deployment spec.selector → 422 with `field is immutable` on spec.selector',
    async () => {
      await create(t, deployPath(t.ns), deployment('sel'));
      const res = await t.client.patch(deployPath(t.ns, 'sel'), 'merge', {
        spec: {
          selector: { matchLabels: { extra: 'x' } },
          template: { metadata: { labels: { extra: 'x' } } },
        },
      });
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.details.causes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            field: 'spec.selector',
            message: expect.stringContaining('field is immutable'),
          }),
        ]),
      );
    },
  );

  // apps validation: a StatefulSet's volumeClaimTemplates cannot change. Verified against kube-apiserver
  // v1.37.2, which names the field (older releases said "updates to statefulset spec for fields other than").
  conformanceCase(
    'imm-statefulset-claim-templates-422',
    'changing a StatefulSet volumeClaimTemplates → 422 with `field is immutable` on spec.volumeClaimTemplates',
    async () => {
      const sts = statefulSet('db');
      await create(t, stsPath(t.ns), sts);
      sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '2Gi';
      const res = await t.client.patch(stsPath(t.ns, 'db'), 'merge', {
        spec: { volumeClaimTemplates: sts.spec.volumeClaimTemplates },
      });
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.details.causes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            field: 'spec.volumeClaimTemplates',
            message: expect.stringContaining('field is immutable'),
          }),
        ]),
      );
    },
  );

  // apps validation: StatefulSet replicas and template may change.
  conformanceCase(
    'imm-statefulset-allowed-fields',
    'changing a StatefulSet replicas and template image → 200, generation 2',
    async () => {
      await create(t, stsPath(t.ns), statefulSet('db2'));
      const patch = {
        spec: {
          replicas: 3,
          template: { spec: { containers: [{ name: 'db', image: 'registry.k8s.io/pause:3.9' }] } },
        },
      };
      const got = expectOk(await t.client.patch(stsPath(t.ns, 'db2'), 'merge', patch), 200);
      expect(got.spec.replicas).toBe(3);
      expect(got.metadata.generation).toBe(2);
    },
  );

  // core validation: a PVC's spec is immutable after creation except resources.requests (and a few others).
  conformanceCase(
    'imm-pvc-spec-422',
    'changing a PVC accessModes → 422 Forbidden on spec ("spec is immutable after creation ...")',
    async () => {
      const path = `/api/v1/namespaces/${t.ns}/persistentvolumeclaims`;
      await create(t, path, {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'claim' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      });
      const res = await t.client.patch(`${path}/claim`, 'merge', {
        spec: { accessModes: ['ReadWriteMany'] },
      });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: /spec: Forbidden: spec is immutable after creation/,
      });
    },
  );

  // Service NodePort allocation happens in the API server.
  conformanceCase(
    'imm-service-nodeport-allocated',
    'a NodePort Service gets a nodePort in 30000-32767',
    async () => {
      const got = await create(t, `/api/v1/namespaces/${t.ns}/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'np' },
        spec: { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80 }] },
      });
      expect(got.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
      expect(got.spec.ports[0].nodePort).toBeLessThanOrEqual(32767);
    },
  );

  // Service clusterIP cannot change once set.
  conformanceCase(
    'imm-service-cluster-ip-422',
    'changing a Service spec.clusterIP → 422 Invalid',
    async () => {
      const path = `/api/v1/namespaces/${t.ns}/services`;
      const made = await create(t, path, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'cip' },
        spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
      });
      const other = made.spec.clusterIP === '10.0.0.123' ? '10.0.0.124' : '10.0.0.123';
      const res = await t.client.patch(`${path}/cip`, 'merge', {
        spec: { clusterIP: other, clusterIPs: [other] },
      });
      expectStatus(res, { code: 422, reason: 'Invalid' });
    },
  );

  // batch validation: a Job's pod template is immutable (outside suspended-job updates).
  conformanceCase(
    'imm-job-template-422',
    'changing a running Job template image → 422 Invalid on spec.template',
    async () => {
      const path = `/apis/batch/v1/namespaces/${t.ns}/jobs`;
      await create(t, path, {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'job' },
        spec: {
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: IMAGE }] } },
        },
      });
      const patch = {
        spec: { template: { spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.9' }] } } },
      };
      const res = await t.client.patch(`${path}/job`, 'merge', patch);
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.details.causes).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'spec.template' })]),
      );
    },
  );
});
