/**
 * Topic lifecycle end to end: created through the Admin API, partitions raised, config changed live,
 * a partition decrease and a replication factor above the brokers refused with a condition (and
 * nothing changed), a replica-count change carried out as a reassignment, and deletion behind the
 * finalizer.
 */
import 'reflect-metadata';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { findCondition, isConditionTrue } from '@steward/core';
import { waitFor } from '@steward/testing';
import type { Topic } from '../src/api/kafkaTopic.js';
import {
  clusterObject,
  clusters,
  kafkaHistoryViolations,
  startKafkaEnv,
  topicObject,
  topics,
} from './support/kafkaEnv.js';
import type { KafkaEnv } from './support/kafkaEnv.js';

let k: KafkaEnv;
beforeEach(async () => {
  k = await startKafkaEnv();
  await k.env.client.create(clusters, clusterObject(k.namespace));
  await k.ready();
});
afterEach(() => k.stop());

const simTopic = (name: string) => k.kafka.topics({ namespace: k.namespace }).find((t) => t.name === name);
const readyTopic = (name: string, check: (t: Topic) => boolean = () => true) =>
  waitFor(
    async () => {
      const t = await k.topic(name);
      const current = t.status?.observedGeneration === t.metadata.generation;
      return current && isConditionTrue(t.status?.conditions, 'Ready') && check(t) ? t : undefined;
    },
    {
      timeout: 15_000,
      description: `KafkaTopic ${name} Ready`,
      state: () => ({ topic: k.topic(name), kafka: simTopic(name) }),
    },
  );
const condition = (name: string, reason: string) =>
  waitFor(
    async () => {
      const t = await k.topic(name);
      const c = findCondition(t.status?.conditions, 'Ready');
      return t.status?.observedGeneration === t.metadata.generation && c?.reason === reason ? c : undefined;
    },
    { timeout: 15_000, description: `KafkaTopic ${name} ${reason}`, state: () => k.topic(name) },
  );

test('create, grow partitions, change config live, change replicas by reassignment, delete', async () => {
  const { env, namespace } = k;
  await env.client.create(
    topics,
    topicObject(namespace, 'orders', { config: { 'retention.ms': '60000', 'min.insync.replicas': '2' } }),
  );
  await readyTopic('orders');
  expect(simTopic('orders')?.partitions).toHaveLength(3);
  expect(simTopic('orders')?.partitions.every((p) => p.replicas.length === 3)).toBe(true);
  expect(simTopic('orders')?.config).toMatchObject({ 'retention.ms': '60000', 'min.insync.replicas': '2' });

  await env.client.patch(
    topics,
    'orders',
    { spec: { partitions: 6, config: { 'retention.ms': '120000' } } },
    { namespace },
  );
  await readyTopic('orders', (t) => t.status?.partitions === 6);
  expect(simTopic('orders')?.partitions).toHaveLength(6);
  expect(simTopic('orders')?.config['retention.ms']).toBe('120000');

  await env.client.patch(
    topics,
    'orders',
    { spec: { replicas: 2, config: { 'min.insync.replicas': '1' } } },
    { namespace },
  );
  await readyTopic('orders', (t) => t.status?.replicas === 2);
  expect(k.kafka.history().some((e) => e.type === 'reassignment-started' && e.topic === 'orders')).toBe(true);
  expect(simTopic('orders')?.partitions.every((p) => p.replicas.length === 2 && p.isr.length === 2)).toBe(
    true,
  );

  await env.client.delete(topics, 'orders', { namespace });
  await waitFor(() => simTopic('orders') === undefined, {
    timeout: 10_000,
    description: 'topic orders deleted in Kafka',
  });
  await waitFor(
    () =>
      env.client.get(topics, 'orders', { namespace }).then(
        () => false,
        () => true,
      ),
    {
      description: 'KafkaTopic orders gone',
    },
  );
  await k.invariants.assertNone();
  expect(kafkaHistoryViolations(k.kafka, namespace)).toEqual([]);
});

test('a partition decrease is refused with a condition and changes nothing', async () => {
  const { env, namespace } = k;
  await env.client.create(topics, topicObject(namespace, 'events', { partitions: 4 }));
  await readyTopic('events');
  await env.client.patch(
    topics,
    'events',
    { spec: { partitions: 2, config: { 'retention.ms': '1' } } },
    { namespace },
  );
  const refused = await condition('events', 'PartitionDecreaseRefused');
  expect(refused.status).toBe('False');
  expect(refused.message).toMatch(/spec\.partitions: 2 is below the topic's 4 partitions/);
  expect(simTopic('events')?.partitions).toHaveLength(4);
  expect(simTopic('events')?.config['retention.ms']).toBeUndefined();
  await k.invariants.assertNone();
});

test('more replicas than brokers is refused with a condition naming spec.replicas', async () => {
  const { env, namespace } = k;
  await env.client.create(topics, topicObject(namespace, 'wide', { replicas: 4 }));
  const refused = await condition('wide', 'ReplicationFactorTooHigh');
  expect(refused.message).toMatch(/spec\.replicas: 4 replicas but the cluster has 3 brokers/);
  expect(simTopic('wide')).toBeUndefined();
});

test('a broker down does not make a topic that fits the cluster look too wide', async () => {
  const { env, namespace } = k;
  await env.client.create(topics, topicObject(namespace, 'audit', { replicas: 3 }));
  await readyTopic('audit');
  k.kafka.failNode(102); // fenced: Kafka no longer lists it among the brokers
  await env.client.patch(topics, 'audit', { spec: { config: { 'retention.ms': '5000' } } }, { namespace });
  const audit = await readyTopic('audit', () => simTopic('audit')?.config['retention.ms'] === '5000');
  expect(findCondition(audit.status?.conditions, 'Ready')?.reason).toBe('TopicReady');
  k.kafka.recoverNode(102);
  await k.invariants.assertNone();
});
