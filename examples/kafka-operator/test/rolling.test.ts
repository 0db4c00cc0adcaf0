/**
 * Rolling restarts and upgrades end to end: a static setting rolls controllers first (the active one
 * last), then brokers one at a time without a partition below min.insync.replicas; a dynamic setting
 * is applied live with no restart; a version change rolls every node, then raises metadata.version.
 */
import 'reflect-metadata';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin, findCondition } from '@steward/core';
import { ANNOTATIONS } from '../src/resources/labels.js';
import type { KafkaEvent } from '../src/admin/simulatedState.js';
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
  const { env, namespace } = k;
  await env.client.create(clusters, clusterObject(namespace, { config: { 'min.insync.replicas': '2' } }));
  await k.ready();
  await env.client.create(topics, topicObject(namespace, 'payments', { partitions: 6, replicas: 3 }));
  await k.until('topic payments', () => k.kafka.topics({ namespace }).some((t) => t.name === 'payments'));
});
afterEach(() => k.stop());

const since = (mark: number): KafkaEvent[] => k.kafka.history().slice(mark);
const stops = (events: KafkaEvent[]): number[] =>
  events.filter((e) => e.type === 'stopped').map((e) => e.node ?? -1);

test('a static setting rolls controllers first (active last), then brokers one at a time, within min.insync.replicas', async () => {
  const { env, namespace } = k;
  const active = (await k.cluster()).status?.activeController;
  const before = new Set((await k.pods()).map((p) => p.metadata.annotations?.[ANNOTATIONS.revision]));
  const mark = k.kafka.history().length;
  await env.client.patch(
    clusters,
    'demo',
    { spec: { config: { 'min.insync.replicas': '2', 'num.partitions': '6' } } },
    { namespace },
  );
  await k.until(
    'RollingRestart',
    (c) => findCondition(c.status?.conditions, 'RollingRestart')?.status === 'True',
  );
  await k.ready();

  const order = stops(since(mark));
  expect(order.slice(0, 3).sort((a, b) => a - b)).toEqual([0, 1, 2]);
  expect(order[2]).toBe(active);
  expect(order.slice(3)).toEqual([100, 101, 102]);
  // One at a time: each node caught up (brokers) or rejoined before the next one stopped.
  const events = since(mark);
  for (const id of [100, 101]) {
    const caughtUp = events.findIndex((e) => e.type === 'caught-up' && e.node === id);
    const nextStop = events.findIndex((e) => e.type === 'stopped' && e.node === id + 1);
    expect(caughtUp).toBeGreaterThan(-1);
    expect(nextStop).toBeGreaterThan(caughtUp);
  }
  // Every pod now carries the new revision, and the mounted server.properties has the setting.
  const revisions = new Set((await k.pods()).map((p) => p.metadata.annotations?.[ANNOTATIONS.revision]));
  expect(revisions.size).toBe(2); // one per role
  for (const r of before) expect(revisions.has(r)).toBe(false);
  const config = await env.client.get(builtin.configmaps, 'demo-kafka-config', { namespace });
  expect((config['data'] as Record<string, string>)['server.properties']).toContain('num.partitions=6');
  await k.invariants.assertNone();
  expect(kafkaHistoryViolations(k.kafka, namespace)).toEqual([]);
});

test('a broker stays up while a partition it holds would drop below min.insync.replicas', async () => {
  const { env, namespace } = k;
  // 101 lags: restarting 100 or 102 would leave payments partitions with one in-sync replica.
  k.kafka.fallOutOfIsr(101, 'payments', undefined, { forMs: 800 });
  const mark = k.kafka.history().length;
  const patch = { spec: { config: { 'min.insync.replicas': '2', 'num.partitions': '6' } } };
  await env.client.patch(clusters, 'demo', patch, { namespace });
  await k.until('waiting on the ISR', (c) =>
    /not back in the ISR|below min.insync/.test(findCondition(c.status?.conditions, 'Ready')?.message ?? ''),
  );
  // Only 101 itself may go meanwhile: it is in no ISR, so its restart takes nothing below the minimum.
  expect(stops(since(mark)).filter((id) => id === 100 || id === 102)).toEqual([]);
  await k.ready();
  expect(
    stops(since(mark))
      .filter((id) => id >= 100)
      .sort((a, b) => a - b),
  ).toEqual([100, 101, 102]);
  expect(kafkaHistoryViolations(k.kafka, namespace)).toEqual([]);
});

test('a dynamic setting is applied live through the Admin API: no restart', async () => {
  const { env, namespace } = k;
  const starts = k.kafka.nodes({ namespace }).map((n) => n.starts);
  await env.client.patch(
    clusters,
    'demo',
    { spec: { config: { 'min.insync.replicas': '2', 'log.retention.ms': '3600000' } } },
    { namespace },
  );
  await k.until(
    'applied',
    () => k.kafka.nodes({ namespace }).filter((n) => n.config['log.retention.ms'] === '3600000').length === 3,
  );
  await k.ready();
  expect(k.kafka.nodes({ namespace }).map((n) => n.starts)).toEqual(starts);
  expect(findCondition((await k.cluster()).status?.conditions, 'RollingRestart')?.status).toBe('False');
});

test('an upgrade rolls every node onto the new version, then raises metadata.version', async () => {
  const { env, namespace } = k;
  const mark = k.kafka.history().length;
  await env.client.patch(clusters, 'demo', { spec: { version: '4.0.0' } }, { namespace });
  await k.until('Upgrading', (c) => findCondition(c.status?.conditions, 'Upgrading')?.status === 'True');
  const done = await k.ready();
  expect(done.status).toMatchObject({ kafkaVersion: '4.0.0', metadataVersion: '4.0-IV3' });
  expect(findCondition(done.status?.conditions, 'Upgrading')?.status).toBe('False');

  const events = since(mark);
  const raised = events.findIndex((e) => e.type === 'metadata-version');
  const lastStart = events.findLastIndex((e) => e.type === 'started');
  expect(stops(events)).toHaveLength(6);
  expect(raised).toBeGreaterThan(lastStart);
  expect(k.kafka.nodes({ namespace }).every((n) => n.version === '4.0.0')).toBe(true);
  expect(k.kafka.clusters()[0]?.metadataVersion).toBe('4.0-IV3');
  await k.invariants.assertNone();
  expect(kafkaHistoryViolations(k.kafka, namespace)).toEqual([]);
});
