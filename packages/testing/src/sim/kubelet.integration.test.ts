/**
 * The simulated kubelet against the real control plane (etcd + kube-apiserver +
 * kube-controller-manager, no scheduler, no kubelet): a Pod, and a Deployment's Pods made by the real
 * ReplicaSet controller, are scheduled by the simulation and become Running and Ready there. Skipped
 * unless STEWARD_CONTROL_PLANE_KUBECONFIG is set; everything lives in a namespace of its own and on
 * nodes of its own, removed at the end.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { builtin, loadKubeConfig, manager } from '@steward/core';
import type { KubeObject, Manager } from '@steward/core';
import { waitFor } from '../waitFor.js';
import { kubeletSimulation } from './kubelet.js';
import type { KubeletSimulation } from './kubelet.js';

const kubeconfig = process.env['STEWARD_CONTROL_PLANE_KUBECONFIG'];
const suffix = randomBytes(3).toString('hex');
const namespace = `sim-kubelet-${suffix}`;
const nodeNames = [`sim-${suffix}-0`, `sim-${suffix}-1`];
const ns = { namespace };

let mgr: Manager;
let kubelet: KubeletSimulation;

const isReady = (pod: KubeObject): boolean =>
  ((pod['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

(kubeconfig ? describe : describe.skip)('the simulated kubelet on the real control plane', () => {
  beforeAll(async () => {
    kubelet = kubeletSimulation({ nodes: nodeNames, namespace, heartbeatMs: 5000 });
    mgr = manager({ kubeConfig: loadKubeConfig(kubeconfig), log: () => {} });
    await mgr.client.create(builtin.namespaces, { metadata: { name: namespace } });
    // The ServiceAccount admission plugin refuses pods until the controller made `default`.
    await waitFor(() => mgr.client.get(builtin.serviceaccounts, 'default', ns), { timeout: 30_000 });
    await kubelet.install(mgr);
    await mgr.start();
  }, 60_000);

  afterAll(async () => {
    if (mgr === undefined) return;
    await mgr.client.delete(builtin.namespaces, namespace).catch(() => undefined);
    // The kubelet finalises the namespace's pods (the namespace controller deletes them gracefully).
    await waitFor(async () => (await mgr.client.list(builtin.pods, ns)).items.length === 0, {
      timeout: 60_000,
    }).catch(() => undefined);
    await mgr.stop({ deadlineMs: 2000 });
    for (const name of nodeNames) {
      await mgr.client.delete(builtin.nodes, name).catch(() => undefined);
      await mgr.client.delete(builtin.leases, name, { namespace: 'kube-node-lease' }).catch(() => undefined);
    }
    mgr.client.close();
  }, 90_000);

  test('a Pod is bound to a simulated node and becomes Running and Ready', async () => {
    await mgr.client.create(builtin.pods, {
      metadata: { name: 'single', namespace },
      spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] },
    });
    const pod = await waitFor(
      async () => {
        const p = await mgr.client.get(builtin.pods, 'single', ns);
        return isReady(p) ? p : undefined;
      },
      { timeout: 30_000 },
    );
    expect(nodeNames).toContain((pod['spec'] as { nodeName: string }).nodeName);
    expect(pod['status']).toMatchObject({ phase: 'Running', podIP: expect.stringMatching(/^10\.244\./) });
  }, 60_000);

  test("a Deployment's pods (made by the real controllers) become Ready; the Deployment counts them", async () => {
    const labels = { app: `web-${suffix}` };
    await mgr.client.create(builtin.deployments, {
      metadata: { name: 'web', namespace },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'web', image: 'registry.k8s.io/pause:3.10' }] },
        },
      },
    });
    const deployment = await waitFor(
      async () => {
        const d = await mgr.client.get(builtin.deployments, 'web', ns);
        return (d['status'] as { readyReplicas?: number } | undefined)?.readyReplicas === 2 ? d : undefined;
      },
      { timeout: 45_000 },
    );
    expect((deployment['status'] as { availableReplicas?: number }).availableReplicas).toBe(2);
    const pods = (await mgr.client.list(builtin.pods, { ...ns, labelSelector: `app=web-${suffix}` })).items;
    expect(pods.filter(isReady)).toHaveLength(2);
  }, 60_000);

  test('failNode marks the node Unknown and its pods NotReady; recoverNode brings them back', async () => {
    const pod = await mgr.client.get(builtin.pods, 'single', ns);
    const node = (pod['spec'] as { nodeName: string }).nodeName;
    await kubelet.failNode(node);
    expect(isReady(await mgr.client.get(builtin.pods, 'single', ns))).toBe(false);
    await kubelet.recoverNode(node);
    await waitFor(async () => isReady(await mgr.client.get(builtin.pods, 'single', ns)), { timeout: 30_000 });
  }, 60_000);
});
