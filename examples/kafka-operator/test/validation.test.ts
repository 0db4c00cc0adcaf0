/** The CRD schemas refuse invalid clusters and topics with field-level messages, before any controller runs. */
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { crdFor, InvalidError } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { startTestEnv } from '@steward/testing';
import type { TestEnv } from '@steward/testing';
import { KafkaCluster } from '../src/api/kafkaCluster.js';
import type { Cluster } from '../src/api/kafkaCluster.js';
import { KafkaTopic } from '../src/api/kafkaTopic.js';
import { clusterObject, clusters, topicObject, topics } from './support/kafkaEnv.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv({ crds: [KafkaCluster, KafkaTopic], namespace: true });
});
afterAll(() => env.stop());

/** The server's refusal: its message and the fields it names. */
async function refusal(create: Promise<unknown>): Promise<string> {
  const error = await create.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidError);
  const invalid = error as InvalidError;
  return [invalid.message, ...(invalid.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`)].join(
    '\n',
  );
}
const cluster = (name: string, spec: Record<string, unknown>): KubeObject =>
  clusterObject(env.namespace, spec, name);

describe('KafkaCluster', () => {
  test('printer columns and defaults: version 3.9.0, a quorum of 3', async () => {
    const crd = crdFor(KafkaCluster) as {
      spec: { versions: { additionalPrinterColumns?: { name: string }[] }[] };
    };
    expect(crd.spec.versions[0]?.additionalPrinterColumns?.map((c) => c.name)).toEqual([
      'Version',
      'Controller',
      'Metadata',
      'Brokers',
      'Ready',
      'Age',
    ]);
    const spec = { brokers: { replicas: 1, storage: { size: '1Gi' } } };
    const created = await env.client.create<Cluster>(clusters, { ...cluster('defaults', {}), spec });
    expect(created.spec.version).toBe('3.9.0');
    expect(created.spec.controllers?.replicas).toBe(3);
  });

  test('an even controller count is refused: a quorum must be odd', async () => {
    expect(
      await refusal(env.client.create(clusters, cluster('even', { controllers: { replicas: 4 } }))),
    ).toMatch(/spec\.controllers\.replicas.*must be odd/s);
  });

  test('the quorum size cannot change after creation', async () => {
    await env.client.create(clusters, cluster('fixed', {}));
    const patch = env.client.patch(
      clusters,
      'fixed',
      { spec: { controllers: { replicas: 5 } } },
      { namespace: env.namespace },
    );
    expect(await refusal(patch)).toMatch(/spec\.controllers\.replicas.*cannot change after creation/s);
  });

  test('replication settings above the broker count are refused', async () => {
    const rf = cluster('rf', { config: { 'default.replication.factor': '4' } });
    expect(await refusal(env.client.create(clusters, rf))).toMatch(
      /default\.replication\.factor.*must not exceed brokers\.replicas/s,
    );
    const isr = cluster('isr', { config: { 'min.insync.replicas': '5' } });
    expect(await refusal(env.client.create(clusters, isr))).toMatch(
      /min\.insync\.replicas.*must not exceed brokers\.replicas/s,
    );
  });

  test('unknown versions, zero brokers, malformed sizes and metadata versions', async () => {
    expect(await refusal(env.client.create(clusters, cluster('v', { version: '2.8.0' })))).toMatch(
      /spec\.version/,
    );
    const zero = cluster('zero', { brokers: { replicas: 0, storage: { size: '1Gi' } } });
    expect(await refusal(env.client.create(clusters, zero))).toMatch(/spec\.brokers\.replicas/);
    const size = cluster('size', { brokers: { replicas: 1, storage: { size: 'lots' } } });
    expect(await refusal(env.client.create(clusters, size))).toMatch(/spec\.brokers\.storage\.size/);
    expect(await refusal(env.client.create(clusters, cluster('mv', { metadataVersion: 'latest' })))).toMatch(
      /spec\.metadataVersion/,
    );
  });
});

describe('KafkaTopic', () => {
  test('min.insync.replicas above replicas is refused', async () => {
    const topic = topicObject(env.namespace, 't1', { replicas: 2, config: { 'min.insync.replicas': '3' } });
    expect(await refusal(env.client.create(topics, topic))).toMatch(
      /min\.insync\.replicas.*must not exceed replicas/s,
    );
  });

  test('zero partitions and an invalid cluster name are refused', async () => {
    expect(
      await refusal(env.client.create(topics, topicObject(env.namespace, 't2', { partitions: 0 }))),
    ).toMatch(/spec\.partitions/);
    expect(
      await refusal(env.client.create(topics, topicObject(env.namespace, 't3', { cluster: 'Not_A_Name' }))),
    ).toMatch(/spec\.cluster/);
  });
});
