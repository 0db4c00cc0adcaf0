/**
 * Broker scale-up and scale-down end to end: a new broker joins; a leaving broker's partition
 * replicas move to the others before its pod goes and it is unregistered; a scale-down the remaining
 * brokers cannot hold is refused with a condition and nothing changes.
 */
import 'reflect-metadata';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin, findCondition } from '@steward/core';
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
});
afterEach(() => k.stop());

const brokers = (n: number) => ({ spec: { brokers: { replicas: n } } });

test('scale up to 4, then down to 3: partitions move off broker 103 before it goes', async () => {
  const { env, namespace } = k;
  await env.client.create(clusters, clusterObject(namespace));
  await k.ready();
  await env.client.patch(clusters, 'demo', brokers(4), { namespace });
  expect((await k.ready()).status?.brokerIds).toEqual([100, 101, 102, 103]);

  // A topic spread over all four brokers, so 103 holds replicas.
  await env.client.create(topics, topicObject(namespace, 'spread', { partitions: 8, replicas: 2 }));
  await k.until('topic on 103', () =>
    k.kafka.topics({ namespace }).some((t) => t.partitions.some((p) => p.replicas.includes(103))),
  );
  await env.client.patch(clusters, 'demo', brokers(3), { namespace });
  const done = await k.ready();
  expect(done.status?.brokerIds).toEqual([100, 101, 102]);
  expect((await k.pods()).map((p) => p.metadata.name)).not.toContain('demo-broker-103');
  const claims = await env.client.list(builtin.persistentvolumeclaims, { namespace });
  expect(claims.items.map((c) => c.metadata.name)).not.toContain('data-demo-broker-103');
  const spread = k.kafka.topics({ namespace }).find((t) => t.name === 'spread');
  expect(spread?.partitions).toHaveLength(8);
  expect(spread?.partitions.every((p) => p.replicas.length === 2 && !p.replicas.includes(103))).toBe(true);

  // The order Kafka saw: moves completed, then 103 stopped, then it was unregistered.
  const history = k.kafka.history();
  const lastMove = history.findLastIndex((e) => e.type === 'reassignment-completed');
  const stopped = history.findIndex((e) => e.type === 'stopped' && e.node === 103);
  const unregistered = history.findIndex((e) => e.type === 'unregistered' && e.node === 103);
  expect(lastMove).toBeGreaterThan(-1);
  expect(stopped).toBeGreaterThan(lastMove);
  expect(unregistered).toBeGreaterThan(stopped);
  await k.invariants.assertNone();
  expect(kafkaHistoryViolations(k.kafka, namespace)).toEqual([]);
});

test('a scale-down below the largest replication factor is refused and changes nothing', async () => {
  const { env, namespace } = k;
  await env.client.create(clusters, clusterObject(namespace));
  await k.ready();
  await env.client.create(topics, topicObject(namespace, 'rf3', { partitions: 2, replicas: 3 }));
  await k.until('topic rf3', () => k.kafka.topics({ namespace }).some((t) => t.name === 'rf3'));
  const before = JSON.stringify(
    k.kafka.topics({ namespace }).map((t) => t.partitions.map((p) => p.replicas)),
  );

  await env.client.patch(clusters, 'demo', brokers(2), { namespace });
  const refused = await k.until(
    'ScalingDown refused',
    (c) =>
      c.status?.observedGeneration === c.metadata.generation &&
      findCondition(c.status?.conditions, 'ScalingDown')?.reason === 'NotEnoughBrokers',
  );
  expect(findCondition(refused.status?.conditions, 'ScalingDown')?.message).toMatch(
    /3 replicas and only 2 brokers would remain/,
  );
  expect(findCondition(refused.status?.conditions, 'Warning')?.status).toBe('True');
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(
    (await k.pods()).filter((p) => p.metadata.labels?.['kafka.steward.dev/role'] === 'broker'),
  ).toHaveLength(3);
  expect(JSON.stringify(k.kafka.topics({ namespace }).map((t) => t.partitions.map((p) => p.replicas)))).toBe(
    before,
  );
  expect(k.kafka.history().some((e) => e.type === 'reassignment-started')).toBe(false);

  // Giving up the scale-down clears the refusal.
  await env.client.patch(clusters, 'demo', brokers(3), { namespace });
  const ready = await k.ready();
  expect(findCondition(ready.status?.conditions, 'Warning')?.status).toBe('False');
  await k.invariants.assertNone();
});
