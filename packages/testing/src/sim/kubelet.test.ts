/**
 * The simulated kubelet on the embedded API server: nodes registered, pods scheduled through
 * `pods/binding` and run Pending → Running → Ready, readiness gates, node failure, restarts, overrides
 * and deletion.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import type { ApiServer } from '@steward/apiserver';
import { builtin, manager } from '@steward/core';
import type { KubeObject, Manager } from '@steward/core';
import { waitFor } from '../waitFor.js';
import { kubeletSimulation } from './kubelet.js';
import type { KubeletSimulation } from './kubelet.js';

let server: ApiServer;
let mgr: Manager;
let kubelet: KubeletSimulation;
const ns = { namespace: 'default' };

async function start(options: Parameters<typeof kubeletSimulation>[0] = {}): Promise<void> {
  kubelet = kubeletSimulation({ heartbeatMs: 200, ...options });
  mgr = manager({ kubeConfig: server.kubeConfig, log: () => {} });
  await kubelet.install(mgr);
  await mgr.start();
}

beforeEach(async () => {
  server = await startApiServer({ port: 0 });
});
afterEach(async () => {
  await mgr.stop({ deadlineMs: 1000 });
  await server.stop();
});

const podNamed = (name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}) => ({
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'main', image: 'example/app:1' }], ...spec },
});
const getPod = (name: string): Promise<KubeObject> => mgr.client.get(builtin.pods, name, ns);
type PodStatus = {
  phase?: string;
  podIP?: string;
  hostIP?: string;
  startTime?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  containerStatuses?: {
    ready: boolean;
    started: boolean;
    restartCount: number;
    state: Record<string, unknown>;
  }[];
};
const statusOf = (pod: KubeObject): PodStatus => pod['status'] ?? {};
const condition = (pod: KubeObject, type: string) => statusOf(pod).conditions?.find((c) => c.type === type);
const isReady = (pod: KubeObject): boolean => condition(pod, 'Ready')?.status === 'True';
const nodeOf = (pod: KubeObject): string | undefined => (pod['spec'] as { nodeName?: string }).nodeName;
const waitPod = (name: string, holds: (p: KubeObject) => boolean, timeout = 5000) =>
  waitFor(
    async () => {
      const pod = await getPod(name);
      return holds(pod) ? pod : undefined;
    },
    { timeout },
  );

describe('kubeletSimulation', () => {
  test('registers Ready nodes with zones, capacity, addresses and a heartbeat Lease', async () => {
    await start({ nodes: 4 });
    const { items } = await mgr.client.list(builtin.nodes);
    expect(items.map((n) => n.metadata.name)).toEqual([
      'sim-node-0',
      'sim-node-1',
      'sim-node-2',
      'sim-node-3',
    ]);
    expect(items.map((n) => n.metadata.labels?.['topology.kubernetes.io/zone'])).toEqual([
      'zone-a',
      'zone-b',
      'zone-c',
      'zone-a',
    ]);
    const status = items[0]?.['status'] as {
      conditions: { type: string; status: string }[];
      capacity: Record<string, string>;
    };
    expect(status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(status.capacity['pods']).toBe('110');
    const lease = await waitFor(() =>
      mgr.client.get(builtin.leases, 'sim-node-0', { namespace: 'kube-node-lease' }),
    );
    expect((lease['spec'] as { holderIdentity: string }).holderIdentity).toBe('sim-node-0');
  });

  test('schedules a pod through pods/binding, then runs it Pending → Running → Ready', async () => {
    await start({ startDelayMs: 150, readyDelayMs: 150 });
    await mgr.client.create(builtin.pods, podNamed('web'));
    const pending = await waitPod('web', (p) => statusOf(p).phase === 'Pending' && nodeOf(p) !== undefined);
    expect(isReady(pending)).toBe(false);
    expect(condition(pending, 'PodScheduled')?.status).toBe('True');
    const running = await waitPod('web', (p) => statusOf(p).phase === 'Running');
    expect(statusOf(running).podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(statusOf(running).containerStatuses?.[0]).toMatchObject({ started: true, restartCount: 0 });
    const ready = await waitPod('web', isReady);
    for (const type of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'])
      expect(condition(ready, type)?.status).toBe('True');
    expect(statusOf(ready).hostIP).toMatch(/^172\.20\./);
    expect(statusOf(ready).startTime).toBeDefined();
  });

  test('spreads pods over the least-loaded nodes and honours nodeSelector and required zone affinity', async () => {
    await start();
    for (const name of ['a', 'b', 'c']) await mgr.client.create(builtin.pods, podNamed(name));
    await mgr.client.create(
      builtin.pods,
      podNamed('pinned', { nodeSelector: { 'kubernetes.io/hostname': 'sim-node-1' } }),
    );
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-c'] }],
            },
          ],
        },
      },
    };
    await mgr.client.create(builtin.pods, podNamed('zonal', { affinity }));
    const nodesOf = await Promise.all(
      ['a', 'b', 'c'].map((n) => waitPod(n, (p) => nodeOf(p) !== undefined).then(nodeOf)),
    );
    expect(new Set(nodesOf).size).toBe(3);
    expect(nodeOf(await waitPod('pinned', (p) => nodeOf(p) !== undefined))).toBe('sim-node-1');
    expect(nodeOf(await waitPod('zonal', (p) => nodeOf(p) !== undefined))).toBe('sim-node-2');
  });

  test('a pod no node fits stays unbound with an Unschedulable condition', async () => {
    await start();
    await mgr.client.create(builtin.pods, podNamed('nowhere', { nodeSelector: { disk: 'ssd' } }));
    const pod = await waitPod('nowhere', (p) => condition(p, 'PodScheduled')?.reason === 'Unschedulable');
    expect(condition(pod, 'PodScheduled')?.message).toBe(
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
    );
    expect(nodeOf(pod)).toBeUndefined();
  });

  test('leaves pods for another scheduler and pods of other namespaces alone', async () => {
    await start({ namespace: 'default' });
    await mgr.client.create(builtin.namespaces, { metadata: { name: 'other' } });
    await mgr.client.create(builtin.pods, podNamed('custom', { schedulerName: 'my-scheduler' }));
    await mgr.client.create(builtin.pods, {
      ...podNamed('elsewhere'),
      metadata: { name: 'elsewhere', namespace: 'other' },
    });
    await mgr.client.create(builtin.pods, podNamed('mine'));
    await waitPod('mine', isReady);
    expect(nodeOf(await getPod('custom'))).toBeUndefined();
    const elsewhere = await mgr.client.get(builtin.pods, 'elsewhere', { namespace: 'other' });
    expect(nodeOf(elsewhere)).toBeUndefined();
  });

  test('Ready waits for every readiness gate', async () => {
    await start();
    await mgr.client.create(
      builtin.pods,
      podNamed('gated', { readinessGates: [{ conditionType: 'example.com/in-ring' }] }),
    );
    const pod = await waitPod('gated', (p) => condition(p, 'ContainersReady')?.status === 'True');
    expect(condition(pod, 'Ready')).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady' });
    const gate = {
      type: 'example.com/in-ring',
      status: 'True',
      lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    const conditions = [...(statusOf(pod).conditions ?? []), gate];
    await mgr.client.patchStatus(builtin.pods, 'gated', { status: { conditions } }, ns);
    const ready = await waitPod('gated', isReady);
    expect(condition(ready, 'example.com/in-ring')?.status).toBe('True');
  });

  test('failNode makes the node Unknown and its pods NotReady; recoverNode brings them back', async () => {
    await start();
    await mgr.client.create(builtin.pods, podNamed('victim'));
    const pod = await waitPod('victim', isReady);
    const node = nodeOf(pod) ?? '';
    await kubelet.failNode(node);
    const down = await getPod('victim');
    expect(condition(down, 'Ready')).toMatchObject({ status: 'False', reason: 'NodeNotReady' });
    const nodeObj = await mgr.client.get(builtin.nodes, node);
    const ready = (nodeObj['status'] as { conditions: { type: string; status: string }[] }).conditions.find(
      (c) => c.type === 'Ready',
    );
    expect(ready?.status).toBe('Unknown');
    await mgr.client.create(
      builtin.pods,
      podNamed('newcomer', { nodeSelector: { 'kubernetes.io/hostname': node } }),
    );
    await waitPod('newcomer', (p) => condition(p, 'PodScheduled')?.reason === 'Unschedulable');
    await kubelet.recoverNode(node);
    await waitPod('victim', isReady);
    expect(nodeOf(await waitPod('newcomer', isReady))).toBe(node);
  });

  test('restartContainer raises restartCount and makes the pod briefly NotReady', async () => {
    await start({ readyDelayMs: 300 });
    await mgr.client.create(builtin.pods, podNamed('flaky'));
    await waitPod('flaky', isReady);
    await kubelet.restartContainer({ namespace: 'default', name: 'flaky' });
    const restarted = await getPod('flaky');
    expect(isReady(restarted)).toBe(false);
    expect(statusOf(restarted).containerStatuses?.[0]).toMatchObject({ restartCount: 1, ready: false });
    const again = await waitPod('flaky', isReady);
    expect(statusOf(again).containerStatuses?.[0]?.restartCount).toBe(1);
    await expect(kubelet.restartContainer({ namespace: 'default', name: 'flaky' }, 'nope')).rejects.toThrow(
      /no container nope/,
    );
  });

  test('setPodReady overrides readiness until cleared', async () => {
    await start();
    await mgr.client.create(builtin.pods, podNamed('manual'));
    await waitPod('manual', isReady);
    await kubelet.setPodReady({ namespace: 'default', name: 'manual' }, false);
    expect(isReady(await getPod('manual'))).toBe(false);
    await new Promise((r) => setTimeout(r, 300)); // several reconciles later it is still held
    expect(isReady(await getPod('manual'))).toBe(false);
    await kubelet.setPodReady({ namespace: 'default', name: 'manual' }, undefined);
    await waitPod('manual', isReady);
  });

  test('a deleted pod is finalised: the kubelet deletes it with grace 0', async () => {
    await start();
    await mgr.client.create(builtin.pods, podNamed('doomed', { terminationGracePeriodSeconds: 30 }));
    await waitPod('doomed', isReady);
    // Graceful: the server only marks the pod; without a kubelet it would stay Terminating for 30 s.
    const marked = (await mgr.client.delete(builtin.pods, 'doomed', ns)) as KubeObject;
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    const gone = await waitFor(() =>
      getPod('doomed').then(
        () => false,
        () => true,
      ),
    );
    expect(gone).toBe(true);
  });
});
