/**
 * Bootstrap end to end: a KafkaCluster becomes a KRaft quorum and registered brokers, with the
 * Services, PDBs and labels of the pod convention; pausing stops the operator acting.
 */
import 'reflect-metadata';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin, findCondition, PAUSED_ANNOTATION } from '@steward/core';
import { isPodReady } from '@steward/testing';
import { ANNOTATIONS, LABELS } from '../src/resources/labels.js';
import { clusterObject, clusters, kafkaHistoryViolations, startKafkaEnv } from './support/kafkaEnv.js';
import type { KafkaEnv } from './support/kafkaEnv.js';

let k: KafkaEnv;
beforeEach(async () => {
  k = await startKafkaEnv();
});
afterEach(() => k.stop());

test('a cluster forms: controllers together, brokers one at a time, then Ready with Kafka ids in status', async () => {
  const { env, namespace } = k;
  await env.client.create(clusters, clusterObject(namespace));
  const ready = await k.ready();

  expect(ready.status).toMatchObject({
    brokerIds: [100, 101, 102],
    kafkaVersion: '3.9.0',
    metadataVersion: '3.9-IV0',
    readyBrokers: 3,
  });
  expect(ready.status?.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect([0, 1, 2]).toContain(ready.status?.activeController);
  for (const type of ['ScalingDown', 'RollingRestart', 'Upgrading', 'Warning'])
    expect(findCondition(ready.status?.conditions, type)?.status).toBe('False');

  const pods = await k.pods();
  expect(pods.map((p) => p.metadata.name).sort((a = '', b = '') => a.localeCompare(b))).toEqual([
    'demo-broker-100',
    'demo-broker-101',
    'demo-broker-102',
    'demo-controller-0',
    'demo-controller-1',
    'demo-controller-2',
  ]);
  expect(pods.every(isPodReady)).toBe(true);
  const broker = pods.find((p) => p.metadata.name === 'demo-broker-101');
  expect(broker?.metadata.labels).toMatchObject({
    [LABELS.cluster]: 'demo',
    [LABELS.role]: 'broker',
    [LABELS.nodeId]: '101',
  });
  expect(broker?.metadata.annotations?.[ANNOTATIONS.version]).toBe('3.9.0');

  // Brokers joined one at a time: each started only after the one before was registered and caught up.
  const history = k.kafka.history().filter((e) => e.node !== undefined && e.node >= 100);
  const order = history
    .filter((e) => e.type === 'started' || e.type === 'caught-up')
    .map((e) => `${e.type}:${e.node}`);
  expect(order).toEqual([
    'started:100',
    'caught-up:100',
    'started:101',
    'caught-up:101',
    'started:102',
    'caught-up:102',
  ]);

  const bootstrap = await env.client.get(builtin.services, 'demo-kafka-bootstrap', { namespace });
  expect(bootstrap['spec']).toMatchObject({
    selector: { [LABELS.cluster]: 'demo', [LABELS.role]: 'broker' },
    ports: [{ name: 'clients', port: 9092 }],
  });
  const nodes = await env.client.get(builtin.services, 'demo-kafka-nodes', { namespace });
  expect(nodes['spec']).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
  for (const role of ['brokers', 'controllers']) {
    const pdb = await env.client.get(builtin.poddisruptionbudgets, `demo-kafka-${role}`, { namespace });
    expect(pdb['spec']).toMatchObject({ maxUnavailable: 1 });
  }
  const claims = await env.client.list(builtin.persistentvolumeclaims, { namespace });
  expect(claims.items.map((c) => c.metadata.name)).toContain('data-demo-broker-100');

  await k.invariants.assertNone();
  expect(kafkaHistoryViolations(k.kafka, namespace)).toEqual([]);
});

test('a paused cluster is left alone until the annotation goes', async () => {
  const { env, namespace } = k;
  await env.client.create(
    clusters,
    clusterObject(namespace, { brokers: { replicas: 1, storage: { size: '1Gi' } } }),
  );
  await k.ready();
  await env.client.patch(
    clusters,
    'demo',
    { metadata: { annotations: { [PAUSED_ANNOTATION]: 'true' } } },
    { namespace },
  );
  await env.client.patch(clusters, 'demo', { spec: { brokers: { replicas: 2 } } }, { namespace });
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect((await k.pods()).map((p) => p.metadata.name)).not.toContain('demo-broker-101');

  await env.client.patch(
    clusters,
    'demo',
    { metadata: { annotations: { [PAUSED_ANNOTATION]: null } } },
    { namespace },
  );
  const ready = await k.ready();
  expect(ready.status?.brokerIds).toEqual([100, 101]);
});
