/**
 * The simulated endpoints controller on the embedded API server, with the simulated kubelet running
 * the pods: ready and not-ready addresses, named target ports, headless labels, pods leaving, and the
 * Endpoints going with its Service.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import type { ApiServer } from '@steward/apiserver';
import { builtin, manager } from '@steward/core';
import type { Manager } from '@steward/core';
import { waitFor } from '../waitFor.js';
import { endpointsSimulation } from './endpoints.js';
import type { EndpointSubset } from './endpoints/endpointSubsets.js';
import { kubeletSimulation } from './kubelet.js';
import type { KubeletSimulation } from './kubelet.js';

let server: ApiServer;
let mgr: Manager;
let kubelet: KubeletSimulation;
const ns = { namespace: 'default' };

beforeEach(async () => {
  server = await startApiServer({ port: 0 });
  mgr = manager({ kubeConfig: server.kubeConfig, log: () => {} });
  kubelet = kubeletSimulation({ readyDelayMs: 10 });
  await kubelet.install(mgr);
  await endpointsSimulation().install(mgr);
  await mgr.start();
});
afterEach(async () => {
  await mgr.stop({ deadlineMs: 1000 });
  await server.stop();
});

const pod = (name: string, app: string) => ({
  metadata: { name, namespace: 'default', labels: { app } },
  spec: {
    containers: [{ name: 'main', image: 'example/db:1', ports: [{ name: 'cql', containerPort: 9042 }] }],
  },
});
const subsetsOf = async (name: string): Promise<EndpointSubset[] | undefined> => {
  const ep = await mgr.client.get(builtin.endpoints, name, ns).catch(() => undefined);
  return ep === undefined ? undefined : ((ep['subsets'] as EndpointSubset[] | undefined) ?? []);
};
const readyIPs = (subsets: EndpointSubset[] | undefined): string[] =>
  (subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));
const notReadyNames = (subsets: EndpointSubset[] | undefined): string[] =>
  (subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.targetRef.name));

test('ready pods in addresses, not-ready ones in notReadyAddresses, ports by name and number', async () => {
  await mgr.client.create(builtin.services, {
    metadata: { name: 'db', namespace: 'default', labels: { tier: 'data' } },
    spec: {
      selector: { app: 'db' },
      ports: [
        { name: 'cql', port: 9042, targetPort: 'cql' },
        { name: 'metrics', port: 80, targetPort: 8080 },
      ],
    },
  });
  for (const name of ['db-0', 'db-1']) await mgr.client.create(builtin.pods, pod(name, 'db'));
  await mgr.client.create(builtin.pods, pod('other', 'web'));
  const subsets = await waitFor(async () => {
    const s = await subsetsOf('db');
    return readyIPs(s).length === 2 ? s : undefined;
  });
  expect(subsets).toHaveLength(1);
  expect(subsets?.[0]?.ports).toEqual([
    { name: 'cql', port: 9042, protocol: 'TCP' },
    { name: 'metrics', port: 8080, protocol: 'TCP' },
  ]);
  expect(subsets?.[0]?.addresses?.map((a) => a.targetRef.name).sort()).toEqual(['db-0', 'db-1']);
  expect(subsets?.[0]?.addresses?.[0]?.nodeName).toMatch(/^sim-node-/);
  const ep = await mgr.client.get(builtin.endpoints, 'db', ns);
  expect(ep.metadata.labels).toEqual({ tier: 'data' });

  await kubelet.setPodReady({ namespace: 'default', name: 'db-1' }, false);
  const after = await waitFor(async () => {
    const s = await subsetsOf('db');
    return notReadyNames(s).includes('db-1') ? s : undefined;
  });
  expect(readyIPs(after)).toHaveLength(1);

  await mgr.client.delete(builtin.pods, 'db-0', ns);
  await waitFor(async () => readyIPs(await subsetsOf('db')).length === 0);
});

test('a headless Service is labelled; publishNotReadyAddresses lists every pod as ready', async () => {
  await mgr.client.create(builtin.services, {
    metadata: { name: 'peers', namespace: 'default' },
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: { app: 'db' },
      ports: [{ port: 7000 }],
    },
  });
  await mgr.client.create(builtin.pods, pod('db-0', 'db'));
  await waitFor(async () => (await subsetsOf('peers')) !== undefined);
  const ep = await mgr.client.get(builtin.endpoints, 'peers', ns);
  expect(ep.metadata.labels?.['service.kubernetes.io/headless']).toBe('');
  await waitFor(async () => readyIPs(await subsetsOf('peers')).length === 1);
  await kubelet.setPodReady({ namespace: 'default', name: 'db-0' }, false);
  await new Promise((r) => setTimeout(r, 200)); // the pod's change has been reconciled by now
  const subsets = await subsetsOf('peers');
  expect(readyIPs(subsets)).toHaveLength(1);
  expect(subsets?.[0]?.ports).toEqual([{ port: 7000, protocol: 'TCP' }]);
  expect(notReadyNames(subsets)).toEqual([]);
});

test('the Endpoints goes with its Service; a selectorless Service and user Endpoints are left alone', async () => {
  await mgr.client.create(builtin.services, {
    metadata: { name: 'manual', namespace: 'default' },
    spec: { ports: [{ port: 5432 }] },
  });
  const subsets = [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432, protocol: 'TCP' }] }];
  await mgr.client.create(builtin.endpoints, { metadata: { name: 'manual', namespace: 'default' }, subsets });
  await mgr.client.create(builtin.services, {
    metadata: { name: 'db', namespace: 'default' },
    spec: { selector: { app: 'db' }, ports: [{ port: 9042 }] },
  });
  await waitFor(async () => (await subsetsOf('db')) !== undefined);
  await mgr.client.delete(builtin.services, 'db', ns);
  await mgr.client.delete(builtin.services, 'manual', ns);
  await waitFor(async () => (await subsetsOf('db')) === undefined);
  expect(readyIPs(await subsetsOf('manual'))).toEqual(['192.0.2.10']);
});
