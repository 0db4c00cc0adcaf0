import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin, type KubeObject } from '@steward/core';
import { startTestEnv, waitFor, type TestEnv } from '@steward/testing';
import type { Node } from '../../src/admin/cassandraAdmin.js';
import { simulatedRing, type SimulatedRing } from '../../src/admin/simulatedRing.js';

// The ring as the operator's end-to-end tests use it: attached to the simulated kubelet, behind a
// StatefulSet whose claims the volume part binds, keyed by claim uid through the test's client.
let env: TestEnv;
let sim: SimulatedRing;
beforeEach(async () => {
  env = await startTestEnv({
    namespace: true,
    simulate: {
      kubelet: { startDelayMs: 10, readyDelayMs: 10 },
      statefulSets: true,
      volumes: true,
      garbageCollector: true,
    },
  });
  sim = simulatedRing({ client: env.client, startMs: 5, joinMs: 30, decommissionMs: 30 });
  env.simulation?.kubelet?.attach(sim.dataPlane);
});
afterEach(async () => {
  sim.close();
  await env.stop();
});

const labels = { 'cassandra.steward.dev/datacenter': 'dc1', 'cassandra.steward.dev/rack': 'r1' };

function statefulSet(replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'dc1-r1', namespace: env.namespace },
    spec: {
      replicas,
      serviceName: 'dc1',
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'cassandra',
              image: 'cassandra:4.1',
              ports: [
                { name: 'mgmt-api', containerPort: 8080 },
                { name: 'cql', containerPort: 9042 },
              ],
              volumeMounts: [{ name: 'server-data', mountPath: '/var/lib/cassandra' }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'server-data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  };
}

async function runningNode(name: string): Promise<Node> {
  const pod = await waitFor(
    async () => {
      const p = await env.client.get(builtin.pods, name, { namespace: env.namespace });
      return (p['status'] as { podIP?: string } | undefined)?.podIP === undefined ? undefined : p;
    },
    { description: `pod ${name} running` },
  );
  const ip = (pod['status'] as { podIP: string }).podIP;
  return { namespace: env.namespace, pod: name, host: ip, port: 8080 };
}

const isReady = async (name: string): Promise<boolean> => {
  const pod = await env.client.get(builtin.pods, name, { namespace: env.namespace });
  const conditions = (pod['status'] as { conditions?: { type: string; status: string }[] }).conditions;
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
};

test('pods run the agent only; Ready once their node is UN; a recreated claim is a new node', async () => {
  await env.client.create(builtin.statefulsets, statefulSet(2));
  const n0 = await runningNode('dc1-r1-0');
  const n1 = await runningNode('dc1-r1-1');
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await isReady('dc1-r1-0')).toBe(false); // Cassandra is not started yet

  await sim.admin.start(n0, { seeds: [n0.host] });
  await waitFor(() => isReady('dc1-r1-0'), { description: 'dc1-r1-0 Ready' });
  await sim.admin.start(n1, { seeds: [n0.host] });
  await waitFor(() => isReady('dc1-r1-1'), { description: 'dc1-r1-1 Ready' });
  const byAddress = [n0.host, n1.host].sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
  expect((await sim.admin.ring(n1)).map((m) => [m.address, m.state])).toEqual([
    [byAddress[0], 'UN'],
    [byAddress[1], 'UN'],
  ]);

  // Scale down as the operator must: decommission, wait for LEFT, shrink, delete the claim.
  const oldId = sim.ring().find((m) => m.pod === 'dc1-r1-1')?.hostId;
  await sim.admin.decommission(n1);
  await waitFor(() => sim.ring().find((m) => m.pod === 'dc1-r1-1')?.state === 'LEFT', {
    description: 'dc1-r1-1 LEFT',
  });
  // Its pod restarting on the same claim is still the decommissioned node: Cassandra refuses it.
  const leftPod = await env.client.get(builtin.pods, 'dc1-r1-1', { namespace: env.namespace });
  await env.client.delete(builtin.pods, 'dc1-r1-1', { namespace: env.namespace });
  const restarted = await waitFor(
    async () => {
      const p = await env.client.get(builtin.pods, 'dc1-r1-1', { namespace: env.namespace });
      return (
        p.metadata.uid !== leftPod.metadata.uid && (p['status'] as { podIP?: string }).podIP !== undefined
      );
    },
    { description: 'dc1-r1-1 recreated and running' },
  ).then(() => runningNode('dc1-r1-1'));
  const refused = await waitFor(
    () =>
      sim.admin.start(restarted).then(
        () => undefined,
        (e: unknown) => ((e as { code?: string }).code === 'CASSANDRA_UNREACHABLE' ? undefined : e),
      ),
    { description: 'start refused on the decommissioned claim' },
  );
  expect(refused).toMatchObject({ code: 'CASSANDRA_DECOMMISSIONED', retryable: false });

  await env.client.patch(
    builtin.statefulsets,
    'dc1-r1',
    { spec: { replicas: 1 } },
    { namespace: env.namespace, type: 'merge' },
  );
  await waitFor(
    () =>
      env.client.get(builtin.pods, 'dc1-r1-1', { namespace: env.namespace }).then(
        () => false,
        () => true,
      ),
    { description: 'dc1-r1-1 gone' },
  );
  await env.client.delete(builtin.persistentvolumeclaims, 'server-data-dc1-r1-1', {
    namespace: env.namespace,
  });

  // Scale up again: a fresh claim under the same name is a new node with a new host id.
  await env.client.patch(
    builtin.statefulsets,
    'dc1-r1',
    { spec: { replicas: 2 } },
    { namespace: env.namespace, type: 'merge' },
  );
  const again = await runningNode('dc1-r1-1');
  await waitFor(() => sim.admin.start(again, { seeds: [n0.host] }).then(() => true), {
    description: 'dc1-r1-1 started again',
  });
  await waitFor(() => isReady('dc1-r1-1'), { description: 'dc1-r1-1 Ready again' });
  expect(sim.ring().find((m) => m.pod === 'dc1-r1-1' && m.state === 'UN')?.hostId).not.toBe(oldId);
});
