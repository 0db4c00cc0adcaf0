// Conformance: kind-specific behaviour of built-in resources that lives in the API server — defaulting,
// validation and allocation in each kind's strategy (kubernetes pkg/apis/*/v1/defaults.go,
// pkg/apis/*/validation, pkg/registry/*/strategy.go; issue 3 "Kinds").
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import {
  IMAGE,
  cmPath,
  configMap,
  create,
  deployPath,
  deployment,
  expectOk,
  expectStatus,
  pod,
  podPath,
} from './fixtures.js';
import { suffix, useTarget } from './target.js';

const t = useTarget('builtins');

describe('built-in kinds', () => {
  // The decoder defaults apiVersion/kind from the endpoint when the body omits them.
  conformanceCase(
    'builtin-create-without-kind',
    'POST of a ConfigMap body without apiVersion and kind → 201 with kind ConfigMap',
    async () => {
      const got = await create(t, cmPath(t.ns), { metadata: { name: 'nokind' }, data: { a: '1' } });
      expect(got).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', data: { a: '1' } });
    },
  );

  // core/v1 Secret: stringData is merged into data (base64) and not stored; type defaults to Opaque.
  conformanceCase(
    'builtin-secret-string-data',
    'a Secret with stringData → data holds base64 values, no stringData, type Opaque',
    async () => {
      const got = await create(t, `/api/v1/namespaces/${t.ns}/secrets`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'sd' },
        stringData: { user: 'admin' },
      });
      expect(got.data).toEqual({ user: Buffer.from('admin').toString('base64') });
      expect(got.stringData).toBeUndefined();
      expect(got.type).toBe('Opaque');
    },
  );

  // Secret data must be base64.
  conformanceCase(
    'builtin-secret-bad-base64-400',
    'a Secret whose data is not base64 → 400 BadRequest (decode error)',
    async () => {
      const res = await t.client.post(`/api/v1/namespaces/${t.ns}/secrets`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'b64' },
        data: { k: '%%%not-base64' },
      });
      expectStatus(res, { code: 400, reason: 'BadRequest' });
    },
  );

  // core/v1 Service: the API server allocates a ClusterIP and defaults type, protocol and targetPort.
  conformanceCase(
    'builtin-service-defaults',
    'a Service gets a ClusterIP, type ClusterIP, sessionAffinity None, protocol TCP and targetPort = port',
    async () => {
      const got = await create(t, `/api/v1/namespaces/${t.ns}/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'svc' },
        spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
      });
      expect(got.spec).toMatchObject({
        type: 'ClusterIP',
        sessionAffinity: 'None',
        ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      });
      expect(got.spec.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$|:/);
      expect(got.spec.clusterIPs).toEqual([got.spec.clusterIP]);
    },
  );

  // apps/v1 Deployment defaults.
  conformanceCase(
    'builtin-deployment-defaults',
    'a Deployment gets strategy RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600',
    async () => {
      const got = await create(t, deployPath(t.ns), deployment('dd'));
      expect(got.spec).toMatchObject({
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      });
      expect(got.spec.template.spec).toMatchObject({
        restartPolicy: 'Always',
        dnsPolicy: 'ClusterFirst',
        terminationGracePeriodSeconds: 30,
      });
    },
  );

  // apps/v1 Deployment validation: the selector must match the template labels.
  conformanceCase(
    'builtin-deployment-selector-mismatch-422',
    'a Deployment whose selector does not match its template labels → 422 with a cause on spec.template.metadata.labels',
    async () => {
      const d = deployment('dm');
      d.spec.template.metadata.labels = { app: 'other' };
      const res = await t.client.post(deployPath(t.ns), d);
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.details.causes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            field: 'spec.template.metadata.labels',
            message: expect.stringContaining('`selector` does not match template `labels`'),
          }),
        ]),
      );
    },
  );

  // apps/v1 StatefulSet defaults.
  conformanceCase(
    'builtin-statefulset-defaults',
    'a StatefulSet gets podManagementPolicy OrderedReady, updateStrategy RollingUpdate (partition 0), revisionHistoryLimit 10',
    async () => {
      const got = await create(t, `/apis/apps/v1/namespaces/${t.ns}/statefulsets`, {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'ss' },
        spec: {
          serviceName: 'ss',
          selector: { matchLabels: { app: 'ss' } },
          template: {
            metadata: { labels: { app: 'ss' } },
            spec: { containers: [{ name: 'main', image: IMAGE }] },
          },
        },
      });
      expect(got.spec).toMatchObject({
        replicas: 1,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        revisionHistoryLimit: 10,
      });
    },
  );

  // batch/v1 Job defaults and the generated selector.
  conformanceCase(
    'builtin-job-defaults',
    'a Job gets backoffLimit 6, completions 1, parallelism 1, completionMode NonIndexed and a generated controller-uid selector',
    async () => {
      const got = await create(t, `/apis/batch/v1/namespaces/${t.ns}/jobs`, {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'job' },
        spec: {
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: IMAGE }] } },
        },
      });
      expect(got.spec).toMatchObject({
        backoffLimit: 6,
        completions: 1,
        parallelism: 1,
        completionMode: 'NonIndexed',
        suspend: false,
      });
      expect(got.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(got.metadata.uid);
      expect(got.spec.template.metadata.labels['batch.kubernetes.io/job-name']).toBe('job');
    },
  );

  // batch/v1 Job validation: restartPolicy must be Never or OnFailure.
  conformanceCase(
    'builtin-job-restart-policy-422',
    'a Job whose pod template has restartPolicy Always → 422 naming spec.template.spec.restartPolicy',
    async () => {
      const res = await t.client.post(`/apis/batch/v1/namespaces/${t.ns}/jobs`, {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'badjob' },
        spec: {
          template: { spec: { restartPolicy: 'Always', containers: [{ name: 'main', image: IMAGE }] } },
        },
      });
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.details.causes).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'spec.template.spec.restartPolicy' })]),
      );
    },
  );

  // core/v1 Pod validation: containers are required.
  conformanceCase(
    'builtin-pod-no-containers-422',
    'a Pod without containers → 422 `spec.containers: Required value`',
    async () => {
      const res = await t.client.post(podPath(t.ns), {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'empty' },
        spec: { containers: [] },
      });
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.details.causes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ reason: 'FieldValueRequired', field: 'spec.containers' }),
        ]),
      );
    },
  );

  // core/v1 Pod update: only a few spec fields (images among them) may change.
  conformanceCase('builtin-pod-image-update-ok', 'changing a Pod container image → 200', async () => {
    const made = await create(t, podPath(t.ns), pod('img'));
    made.spec.containers[0].image = 'registry.k8s.io/pause:3.9';
    expect(expectOk(await t.client.put(podPath(t.ns, 'img'), made), 200).spec.containers[0].image).toBe(
      'registry.k8s.io/pause:3.9',
    );
  });

  // core/v1 Pod update: other spec changes are forbidden.
  conformanceCase(
    'builtin-pod-spec-immutable-422',
    'changing a Pod\'s restartPolicy → 422 Forbidden "pod updates may not change fields other than ..."',
    async () => {
      const made = await create(t, podPath(t.ns), pod('immut'));
      made.spec.restartPolicy = 'Never';
      const res = await t.client.put(podPath(t.ns, 'immut'), made);
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: /spec: Forbidden: pod updates may not change fields other than/,
      });
    },
  );

  // §2 item 22: a negative grace period is coerced to 1.
  conformanceCase(
    'builtin-pod-negative-grace',
    'DELETE ?gracePeriodSeconds=-5 of a scheduled Pod → deletionGracePeriodSeconds 1',
    async () => {
      await create(t, podPath(t.ns), pod('neg', { nodeName: 'conformance-node' }));
      const res = await t.client.delete(podPath(t.ns, 'neg'), { gracePeriodSeconds: -5 });
      expect(expectOk(res, 200).metadata.deletionGracePeriodSeconds).toBe(1);
      await t.client.delete(podPath(t.ns, 'neg'), { gracePeriodSeconds: 0 });
    },
  );

  // §2 item 21: the grace period can only be shortened.
  conformanceCase(
    'builtin-pod-grace-only-shortens',
    'a second DELETE with a longer grace period keeps the shorter one',
    async () => {
      await create(t, podPath(t.ns), pod('shorten', { nodeName: 'conformance-node' }));
      const first = expectOk(
        await t.client.delete(podPath(t.ns, 'shorten'), { gracePeriodSeconds: 20 }),
        200,
      );
      const second = expectOk(await t.client.delete(podPath(t.ns, 'shorten'), { gracePeriodSeconds: 60 }));
      expect(second.metadata.deletionGracePeriodSeconds).toBe(20);
      expect(second.metadata.deletionTimestamp).toBe(first.metadata.deletionTimestamp);
      await t.client.delete(podPath(t.ns, 'shorten'), { gracePeriodSeconds: 0 });
    },
  );

  // core/v1 PersistentVolumeClaim: status.phase Pending and volumeMode Filesystem by default.
  conformanceCase(
    'builtin-pvc-defaults',
    'a PVC gets status.phase Pending and spec.volumeMode Filesystem',
    async () => {
      const got = await create(t, `/api/v1/namespaces/${t.ns}/persistentvolumeclaims`, {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'pvc' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      });
      expect(got.spec.volumeMode).toBe('Filesystem');
      expect(got.status.phase).toBe('Pending');
    },
  );

  // core/v1 Node is cluster-scoped.
  conformanceCase(
    'builtin-node-cluster-scoped',
    'a Node is created at /api/v1/nodes and has no namespace',
    async () => {
      const name = `conf-node-${suffix()}`;
      t.defer(() => t.client.delete(`/api/v1/nodes/${name}`));
      const got = await create(t, '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } });
      expect(got.metadata.namespace).toBeUndefined();
      expect((await t.client.get(`/api/v1/nodes/${name}`)).status).toBe(200);
    },
  );

  // policy/v1 PodDisruptionBudget: minAvailable and maxUnavailable are exclusive.
  conformanceCase(
    'builtin-pdb-exclusive-422',
    'a PDB with both minAvailable and maxUnavailable → 422 Invalid',
    async () => {
      const res = await t.client.post(`/apis/policy/v1/namespaces/${t.ns}/poddisruptionbudgets`, {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'pdb' },
        spec: { minAvailable: 1, maxUnavailable: 1, selector: { matchLabels: { app: 'x' } } },
      });
      // The real value slot holds an internal struct rendering; only the frame and the detail are pinned.
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message:
          /^PodDisruptionBudget\.policy "pdb" is invalid: spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set$/,
      });
    },
  );

  // rbac.authorization.k8s.io/v1 objects are stored.
  conformanceCase('builtin-rbac-stored', 'a Role and a RoleBinding are created and read back', async () => {
    const role = await create(t, `/apis/rbac.authorization.k8s.io/v1/namespaces/${t.ns}/roles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'reader' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
    });
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }]);
    const binding = await create(t, `/apis/rbac.authorization.k8s.io/v1/namespaces/${t.ns}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: t.ns }],
    });
    expect(binding.roleRef.name).toBe('reader');
  });

  // apimachinery ValidateOwnerReferences: uid is required (verified against kube-apiserver v1.37.2).
  conformanceCase(
    'builtin-owner-reference-uid-required-422',
    'an ownerReference without uid → 422 `ConfigMap "owned" is invalid: metadata.ownerReferences[0].uid: Required value: must not be empty`',
    async () => {
      const res = await t.client.post(cmPath(t.ns), {
        ...configMap('owned'),
        metadata: {
          name: 'owned',
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner' }],
        },
      });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message:
          'ConfigMap "owned" is invalid: metadata.ownerReferences[0].uid: Required value: must not be empty',
        details: {
          name: 'owned',
          kind: 'ConfigMap',
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value: must not be empty',
              field: 'metadata.ownerReferences[0].uid',
            },
          ],
        },
      });
    },
  );

  // Immutable Secrets behave like immutable ConfigMaps.
  conformanceCase(
    'builtin-immutable-secret-422',
    'changing data of an immutable Secret → 422 `data: Forbidden: field is immutable when `immutable` is set`',
    async () => {
      const made = await create(t, `/api/v1/namespaces/${t.ns}/secrets`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'frozen' },
        immutable: true,
        data: { a: 'MQ==' },
      });
      const res = await t.client.put(`/api/v1/namespaces/${t.ns}/secrets/frozen`, {
        ...made,
        data: { a: 'Mg==' },
      });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: 'Secret "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set',
      });
    },
  );

  // core validation: kubernetes.io/tls Secrets need tls.crt and tls.key (verified on kube-apiserver v1.37.2).
  conformanceCase(
    'builtin-secret-tls-keys-422',
    'a kubernetes.io/tls Secret without keys → 422 `Secret "tls" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]`',
    async () => {
      const res = await t.client.post(`/api/v1/namespaces/${t.ns}/secrets`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'tls' },
        type: 'kubernetes.io/tls',
        data: {},
      });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: 'Secret "tls" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]',
        details: {
          name: 'tls',
          kind: 'Secret',
          causes: [
            { reason: 'FieldValueRequired', message: 'Required value', field: 'data[tls.crt]' },
            { reason: 'FieldValueRequired', message: 'Required value', field: 'data[tls.key]' },
          ],
        },
      });
    },
  );

  // core validation: ConfigMap keys are config keys (verified on kube-apiserver v1.37.2).
  conformanceCase(
    'builtin-configmap-key-422',
    'a ConfigMap key "bad key!" → 422 `data[bad key!]: Invalid value: "bad key!": a valid config key must consist of ...`',
    async () => {
      const res = await t.client.post(cmPath(t.ns), configMap('badkey', { 'bad key!': 'v' }));
      const detail =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: `ConfigMap "badkey" is invalid: data[bad key!]: Invalid value: "bad key!": ${detail}`,
      });
    },
  );

  // core defaults: Endpoints ports default to TCP (verified on kube-apiserver v1.37.2).
  conformanceCase('builtin-endpoints-defaults', 'an Endpoints object gets ports[].protocol TCP', async () => {
    const got = await create(t, `/api/v1/namespaces/${t.ns}/endpoints`, {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'ep' },
      subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 80 }] }],
    });
    expect(got.subsets[0].ports[0]).toEqual({ port: 80, protocol: 'TCP' });
  });
});
