// Conformance: the subresources controllers and tools use besides status and scale — pods/binding,
// pods/eviction, namespaces/finalize (kubernetes pkg/registry/core/pod/storage, namespace/storage).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { create, expectOk, pod, podPath } from './fixtures.js';
import { eventually, useTarget } from './target.js';

const t = useTarget('subres');

describe('more subresources', () => {
  // The scheduler binds Pods through pods/binding; the Pod gets spec.nodeName.
  conformanceCase(
    'sub-pod-binding',
    'POST pods/<name>/binding with target Node n1 → 201 Success; the Pod has spec.nodeName n1',
    async () => {
      await create(t, podPath(t.ns), pod('bind-me'));
      const res = await t.client.post(`${podPath(t.ns, 'bind-me')}/binding`, {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'bind-me' },
        target: { apiVersion: 'v1', kind: 'Node', name: 'n1' },
      });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ kind: 'Status', status: 'Success' });
      expect((await t.client.get(podPath(t.ns, 'bind-me'))).json.spec.nodeName).toBe('n1');
      await t.client.delete(podPath(t.ns, 'bind-me'), { gracePeriodSeconds: 0 });
    },
  );

  // A bound Pod cannot be bound again.
  conformanceCase('sub-pod-binding-twice-409', 'binding an already bound Pod → 409 Conflict', async () => {
    await create(t, podPath(t.ns), pod('bound', { nodeName: 'n1' }));
    const res = await t.client.post(`${podPath(t.ns, 'bound')}/binding`, {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'bound' },
      target: { apiVersion: 'v1', kind: 'Node', name: 'n2' },
    });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'Conflict' });
    await t.client.delete(podPath(t.ns, 'bound'), { gracePeriodSeconds: 0 });
  });

  // pods/eviction deletes the Pod (no PDB in the way).
  conformanceCase(
    'sub-pod-eviction',
    'POST pods/<name>/eviction (policy/v1 Eviction) → 201; the unscheduled Pod is gone',
    async () => {
      await create(t, podPath(t.ns), pod('evict-me'));
      const res = await t.client.post(`${podPath(t.ns, 'evict-me')}/eviction`, {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: 'evict-me', namespace: t.ns },
      });
      expect(res.status).toBe(201);
      await eventually(
        'evicted pod gone',
        async () => (await t.client.get(podPath(t.ns, 'evict-me'))).status === 404,
      );
    },
  );

  // An eviction that would violate a PodDisruptionBudget is refused with 429.
  conformanceCase(
    'sub-pod-eviction-pdb-429',
    'evicting the only Pod of a PDB with minAvailable 1 → 429 TooManyRequests',
    async () => {
      const ns = await t.createNamespace('conf-sub-pdb');
      const p = pod('guarded', { labels: { app: 'guarded' } });
      await create(t, podPath(ns), p);
      // The disruption budget counts healthy Pods; mark the Pod Running and Ready as a kubelet would.
      await t.client.patch(`${podPath(ns, 'guarded')}/status`, 'merge', {
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      });
      await create(t, `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`, {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'pdb' },
        spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } },
      });
      const res = await t.client.post(`${podPath(ns, 'guarded')}/eviction`, {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: 'guarded', namespace: ns },
      });
      expect(res.status).toBe(429);
      expect(res.json).toMatchObject({ kind: 'Status', reason: 'TooManyRequests' });
      expect((await t.client.get(podPath(ns, 'guarded'))).status).toBe(200);
    },
  );

  // namespaces/<name>/finalize updates spec.finalizers (the namespace controller's last step).
  conformanceCase(
    'sub-namespace-finalize',
    'PUT namespaces/<name>/finalize with spec.finalizers [] → 200 and no finalizers left',
    async () => {
      const name = await t.createNamespace('conf-sub-fin');
      const ns = (await t.client.get(`/api/v1/namespaces/${name}`)).json;
      const res = await t.client.put(`/api/v1/namespaces/${name}/finalize`, {
        ...ns,
        spec: { finalizers: [] },
      });
      const got = expectOk(res, 200);
      expect(got.spec.finalizers ?? []).toEqual([]);
    },
  );

  // kube-node-lease exists beside the other system namespaces.
  conformanceCase(
    'sub-kube-node-lease-namespace',
    'the kube-node-lease namespace exists and is Active',
    async () => {
      const res = await t.client.get('/api/v1/namespaces/kube-node-lease');
      expect({ status: res.status, phase: res.json?.status?.phase }).toEqual({
        status: 200,
        phase: 'Active',
      });
    },
  );
});
