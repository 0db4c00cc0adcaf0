import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ClusterAddress } from '../../src/admin/kafkaAdmin.js';
import { kafkaClientAdmin, type KafkaClientAdmin } from '../../src/admin/kafkaClientAdmin.js';
import { kafkaMissing, startLocalKafka, type LocalKafka } from './localKafka.js';

// kafkaClientAdmin against a real Kafka 4.0 (one KRaft node, broker and controller in one process).
// What one node cannot show — a reassignment that moves data, ISRs across brokers — is the
// simulation's to test; here the protocol, the answers and the error codes are real.
const missing = kafkaMissing();
if (missing !== undefined) console.warn(`skipping kafkaClientAdmin tests: ${missing}`);
const describeReal = missing === undefined ? describe : describe.skip;

const codeOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code ?? 'no code',
  );

/** Kafka's brokers learn metadata from the controller asynchronously: a change just made may not
 * show in the next read yet, so reads that follow a write poll (up to 10 s). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeReal('kafkaClientAdmin on a real Kafka 4.0 node', () => {
  let kafka: LocalKafka;
  let admin: KafkaClientAdmin;
  let address: ClusterAddress;

  beforeAll(async () => {
    kafka = await startLocalKafka();
    admin = kafkaClientAdmin({ timeoutMs: 5_000 });
    address = { namespace: 'test', cluster: 'local', bootstrap: [kafka.bootstrap] };
    const deadline = Date.now() + 90_000;
    for (;;) {
      const ready = await admin.describeCluster(address).then(
        (info) => info.brokers.length > 0,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`Kafka at ${kafka.bootstrap} did not answer within 90 s`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 400_000);
  afterAll(async () => {
    await admin?.close();
    await kafka?.stop();
  });

  test('describeCluster names the broker and the active controller (from the quorum); metadataVersion reads the finalized level', async () => {
    const info = await admin.describeCluster(address);
    expect(info).toEqual({
      clusterId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      brokers: [{ id: 1, host: '127.0.0.1' }],
      activeController: 1,
    });
    expect(await admin.metadataVersion(address)).toBe('3.9-IV0');
  });

  test('topic lifecycle: create idempotently, partitions only grow (same count a no-op), incremental config, delete idempotently', async () => {
    await admin.createTopic(address, {
      name: 'orders',
      partitions: 2,
      replicas: 1,
      config: { 'retention.ms': '60000' },
    });
    await admin.createTopic(address, { name: 'orders', partitions: 5, replicas: 1 });
    const created = await eventually(
      () => admin.describeTopic(address, 'orders'),
      (t) => t !== undefined,
    );
    expect(created).toEqual({
      name: 'orders',
      partitions: [
        { partition: 0, leader: 1, replicas: [1], isr: [1] },
        { partition: 1, leader: 1, replicas: [1], isr: [1] },
      ],
      config: { 'retention.ms': '60000' },
    });
    expect(await codeOf(admin.createTopic(address, { name: 'wide', partitions: 1, replicas: 3 }))).toBe(
      'KAFKA_INVALID_REPLICATION_FACTOR',
    );

    await admin.createPartitions(address, 'orders', 3);
    await admin.createPartitions(address, 'orders', 3);
    expect(await codeOf(admin.createPartitions(address, 'orders', 1))).toBe('KAFKA_INVALID_PARTITIONS');
    await admin.alterTopicConfig(address, 'orders', { 'cleanup.policy': 'compact' });
    const changed = await eventually(
      () => admin.describeTopic(address, 'orders'),
      (t) => t?.partitions.length === 3 && t.config['cleanup.policy'] !== undefined,
    );
    expect(changed?.partitions).toHaveLength(3);
    expect(changed?.config).toEqual({ 'retention.ms': '60000', 'cleanup.policy': 'compact' });
    expect((await admin.listTopics(address)).map((t) => t.name)).toEqual(['orders']);
    expect(await codeOf(admin.alterTopicConfig(address, 'missing', { 'retention.ms': '1' }))).toBe(
      'KAFKA_UNKNOWN_TOPIC',
    );

    await admin.deleteTopic(address, 'orders');
    await admin.deleteTopic(address, 'orders');
    expect(
      await eventually(
        () => admin.describeTopic(address, 'orders'),
        (t) => t === undefined,
      ),
    ).toBeUndefined();
  });

  test('reassignments: an unregistered target is refused; none in progress afterwards', async () => {
    await admin.createTopic(address, { name: 'moves', partitions: 1, replicas: 1 });
    const refused = admin.reassignPartitions(address, [{ topic: 'moves', partition: 0, replicas: [2] }]);
    await expect(refused).rejects.toMatchObject({
      code: 'KAFKA_INVALID_REPLICA_ASSIGNMENT',
      message: expect.stringMatching(/broker 2/),
    });
    await admin.reassignPartitions(address, [{ topic: 'moves', partition: 0, replicas: [1] }]);
    expect(await admin.listReassignments(address)).toEqual([]);
  });

  test('broker configs: a dynamic setting applies, a read-only one is KAFKA_INVALID_CONFIG', async () => {
    await admin.alterBrokerConfig(address, 1, { 'log.retention.ms': '3600000' });
    expect(await codeOf(admin.alterBrokerConfig(address, 1, { 'num.partitions': '3' }))).toBe(
      'KAFKA_INVALID_CONFIG',
    );
  });

  test('metadata.version is raised, never lowered; unregistering an unknown broker is a no-op', async () => {
    expect(await codeOf(admin.updateMetadataVersion(address, 'latest'))).toBe('KAFKA_INVALID_UPDATE_VERSION');
    await admin.updateMetadataVersion(address, '4.0-IV3');
    expect(await admin.metadataVersion(address)).toBe('4.0-IV3');
    expect(await codeOf(admin.updateMetadataVersion(address, '3.9-IV0'))).toBe(
      'KAFKA_INVALID_UPDATE_VERSION',
    );
    await admin.unregisterBroker(address, 42);
  });

  test('an address where nothing listens is KAFKA_UNREACHABLE and retryable', async () => {
    const nowhere = kafkaClientAdmin({ timeoutMs: 1_000 });
    const closed = { ...address, bootstrap: ['127.0.0.1:1'] };
    await expect(nowhere.describeCluster(closed)).rejects.toMatchObject({
      code: 'KAFKA_UNREACHABLE',
      retryable: true,
    });
    await expect(nowhere.listTopics(closed)).rejects.toMatchObject({ code: 'KAFKA_UNREACHABLE' });
    await nowhere.close();
  });
});
