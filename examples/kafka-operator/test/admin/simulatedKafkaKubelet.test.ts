import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin, type KubeObject } from '@steward/core';
import { startTestEnv, waitFor, type TestEnv } from '@steward/testing';
import type { ClusterAddress } from '../../src/admin/kafkaAdmin.js';
import { simulatedKafka, type SimulatedKafka } from '../../src/admin/index.js';
import { FAST } from './kafkaFixtures.js';

// The simulation as the operator's end-to-end tests use it: attached to the simulated kubelet on the
// embedded API server, with plain pods of the pod convention.
let env: TestEnv;
let sim: SimulatedKafka;
beforeEach(async () => {
  env = await startTestEnv({
    namespace: true,
    simulate: { kubelet: { startDelayMs: 10, readyDelayMs: 10 } },
  });
  sim = simulatedKafka(FAST);
  env.simulation?.kubelet?.attach(sim.dataPlane);
});
afterEach(async () => {
  sim.close();
  await env.stop();
});

const podOf = (role: 'controller' | 'broker', id: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: `demo-${role}-${id}`,
    namespace: env.namespace,
    labels: {
      'kafka.steward.dev/cluster': 'demo',
      'kafka.steward.dev/role': role,
      'kafka.steward.dev/node-id': String(id),
    },
  },
  spec: {
    containers: [
      {
        name: 'kafka',
        image: 'apache/kafka:3.9.0',
        ports: [
          { name: 'clients', containerPort: 9092 },
          { name: 'controller', containerPort: 9093 },
        ],
        env: [
          { name: 'KAFKA_NODE_ID', value: String(id) },
          { name: 'KAFKA_PROCESS_ROLES', value: role },
          { name: 'KAFKA_VERSION', value: '3.9.0' },
        ],
      },
    ],
  },
});

const isReady = async (name: string): Promise<boolean> => {
  const pod = await env.client.get(builtin.pods, name, { namespace: env.namespace }).catch(() => undefined);
  const conditions = (pod?.['status'] as { conditions?: { type: string; status: string }[] } | undefined)
    ?.conditions;
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
};

test('pods are Ready once their node joined or registered and caught up; a restart leaves and rejoins the ISRs; a deleted broker stays registered, fenced', async () => {
  const address: ClusterAddress = {
    namespace: env.namespace,
    cluster: 'demo',
    bootstrap: ['demo-kafka-bootstrap:9092'],
  };
  const names: string[] = [];
  for (const [role, id] of [
    ['controller', 0],
    ['controller', 1],
    ['controller', 2],
    ['broker', 100],
    ['broker', 101],
    ['broker', 102],
  ] as const) {
    await env.client.create(builtin.pods, podOf(role, id));
    names.push(`demo-${role}-${id}`);
  }
  for (const name of names) await waitFor(() => isReady(name), { description: `${name} Ready` });
  const info = await sim.admin.describeCluster(address);
  expect(info.brokers.map((b) => b.id)).toEqual([100, 101, 102]);
  expect(info.brokers.every((b) => /^\d+\.\d+\.\d+\.\d+$/.test(b.host))).toBe(true); // the pod IPs

  await sim.admin.createTopic(address, { name: 'orders', partitions: 3, replicas: 3 });
  const kubelet = env.simulation?.kubelet;
  if (kubelet === undefined) throw new Error('no kubelet simulation');
  await kubelet.restartContainer({ namespace: env.namespace, name: 'demo-broker-101' });
  // The window out of the ISRs is short (catchUpMs): read it from the history, not by polling.
  await waitFor(() => sim.history().some((e) => e.type === 'caught-up' && e.node === 101), {
    description: '101 caught up after the restart',
  });
  const left = sim.history().filter((e) => e.type === 'isr-shrink' && e.detail === 'left: 101');
  expect(left.map((e) => e.partition).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([0, 1, 2]);
  await waitFor(() => sim.topics()[0]?.partitions.every((p) => p.isr.includes(101)), {
    description: '101 back in ISRs',
  });
  await waitFor(() => isReady('demo-broker-101'), { description: 'demo-broker-101 Ready again' });
  expect(sim.nodes().find((n) => n.id === 101)?.starts).toBe(2);

  await env.client.delete(builtin.pods, 'demo-broker-102', { namespace: env.namespace });
  await waitFor(() => sim.nodes().find((n) => n.id === 102)?.fenced, { description: '102 fenced' });
  expect((await sim.admin.describeCluster(address)).brokers.map((b) => b.id)).toEqual([100, 101]);
  expect(sim.nodes().find((n) => n.id === 102)).toMatchObject({ registered: true, running: false });
});
