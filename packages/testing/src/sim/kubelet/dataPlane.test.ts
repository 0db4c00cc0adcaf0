/**
 * A data plane attached to the simulated kubelet: a fake database ring whose member appears when its
 * pod starts and joins a moment later; the pod is Ready only once it has joined, and leaves the ring
 * when its container restarts or its pod is deleted.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import type { ApiServer } from '@steward/apiserver';
import { builtin, manager } from '@steward/core';
import type { KubeObject, Manager } from '@steward/core';
import { waitFor } from '../../waitFor.js';
import { kubeletSimulation } from '../kubelet.js';
import type { KubeletSimulation } from '../kubelet.js';

let server: ApiServer;
let mgr: Manager;
let kubelet: KubeletSimulation;

beforeEach(async () => {
  server = await startApiServer({ port: 0 });
  kubelet = kubeletSimulation({ readyDelayMs: 10, probeIntervalMs: 20 });
  mgr = manager({ kubeConfig: server.kubeConfig, log: () => {} });
  await kubelet.install(mgr);
  await mgr.start();
});
afterEach(async () => {
  await mgr.stop({ deadlineMs: 1000 });
  await server.stop();
});

/** A ring of members: one appears as `joining` when its pod starts, becomes `up` after `joinMs`. */
function fakeRing(joinMs: number) {
  const members = new Map<string, 'joining' | 'up'>();
  const log: string[] = [];
  return {
    members,
    log,
    selector: { namespace: 'default', labelSelector: { matchLabels: { app: 'ring' } } },
    started(pod: KubeObject) {
      const name = pod.metadata.name ?? '';
      log.push(`started ${name}`);
      members.set(name, 'joining');
      setTimeout(() => members.get(name) === 'joining' && members.set(name, 'up'), joinMs);
    },
    stopped(pod: KubeObject) {
      log.push(`stopped ${pod.metadata.name ?? ''}`);
      members.delete(pod.metadata.name ?? '');
    },
    ready: (pod: KubeObject) => members.get(pod.metadata.name ?? '') === 'up',
  };
}

const ringPod = (name: string, app = 'ring') => ({
  metadata: { name, namespace: 'default', labels: { app } },
  spec: { containers: [{ name: 'db', image: 'example/db:1' }] },
});
const readyStatus = async (name: string): Promise<string | undefined> => {
  const pod = await mgr.client.get(builtin.pods, name, { namespace: 'default' });
  const conditions = (pod['status'] as { conditions?: { type: string; status: string }[] } | undefined)
    ?.conditions;
  return conditions?.find((c) => c.type === 'Ready')?.status;
};

test('a pod is Ready only once its ring member has joined', async () => {
  const ring = fakeRing(400);
  kubelet.attach(ring);
  await mgr.client.create(builtin.pods, ringPod('db-0'));
  await waitFor(() => ring.members.get('db-0') === 'joining');
  // Well past the kubelet's own ready delay, the pod waits for the ring.
  await new Promise((r) => setTimeout(r, 150));
  expect(ring.members.get('db-0')).toBe('joining');
  expect(await readyStatus('db-0')).toBe('False');
  await waitFor(async () => (await readyStatus('db-0')) === 'True');
  expect(ring.members.get('db-0')).toBe('up');
});

test('a restart and a deletion stop the member; other pods are not the ring', async () => {
  const ring = fakeRing(20);
  const detach = kubelet.attach(ring);
  await mgr.client.create(builtin.pods, ringPod('db-0'));
  await mgr.client.create(builtin.pods, ringPod('web-0', 'web'));
  await waitFor(async () => (await readyStatus('db-0')) === 'True');
  await waitFor(async () => (await readyStatus('web-0')) === 'True');
  await kubelet.restartContainer({ namespace: 'default', name: 'db-0' });
  await waitFor(async () => (await readyStatus('db-0')) === 'True');
  await mgr.client.delete(builtin.pods, 'db-0', { namespace: 'default' });
  await waitFor(() => ring.members.size === 0 && ring.log.length === 4);
  expect(ring.log).toEqual(['started db-0', 'stopped db-0', 'started db-0', 'stopped db-0']);
  detach();
  await mgr.client.create(builtin.pods, ringPod('db-1'));
  await waitFor(async () => (await readyStatus('db-1')) === 'True');
  expect(ring.members.has('db-1')).toBe(false);
});

test('the ring going down makes the pod NotReady again (readiness is probed)', async () => {
  const ring = fakeRing(10);
  kubelet.attach(ring);
  await mgr.client.create(builtin.pods, ringPod('db-0'));
  await waitFor(async () => (await readyStatus('db-0')) === 'True');
  ring.members.set('db-0', 'joining');
  await waitFor(async () => (await readyStatus('db-0')) === 'False');
  expect(ring.log).toEqual(['started db-0']); // NotReady, not stopped: the container still runs
});
