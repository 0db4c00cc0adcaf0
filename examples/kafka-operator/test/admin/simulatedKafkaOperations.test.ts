import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { isDynamicBrokerConfig, splitBrokerConfig } from '../../src/admin/brokerConfigs.js';
import {
  compareMetadataVersions,
  highestMetadataVersion,
  parseMetadataVersion,
} from '../../src/admin/metadataVersions.js';
import { simulatedKafka, type SimulatedKafka } from '../../src/admin/index.js';
import { address, at, brokerPod, FAST, kafkaPod, startCluster, until } from './kafkaFixtures.js';

// What the operator changes through the Admin API: reassignments, unregistration, metadata.version,
// dynamic broker configs.
let sim: SimulatedKafka;
beforeEach(() => {
  sim = simulatedKafka(FAST);
});
afterEach(() => sim.close());

const partitions = (topic: string) => sim.topics().find((t) => t.name === topic)?.partitions ?? [];
const codeOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code ?? 'no code',
  );

/** Target replicas for every partition of `topic` holding `broker`: its place taken by the first of
 * `spares` the partition does not hold yet. */
const movesOff = (topic: string, broker: number, spares: number[]) =>
  partitions(topic)
    .filter((p) => p.replicas.includes(broker))
    .map((p) => {
      const spare = spares.find((id) => !p.replicas.includes(id)) as number;
      return {
        topic,
        partition: p.partition,
        replicas: p.replicas.map((id) => (id === broker ? spare : id)),
      };
    });

describe('reassignments', () => {
  test('take time: adding → in sync → removing; the moved-off broker then holds nothing and unregisters cleanly', async () => {
    const pods = await startCluster(sim, 4);
    await sim.admin.createTopic(address, { name: 'events', partitions: 4, replicas: 2 });
    // Empty broker 103 first, so it can take 102's place.
    await sim.admin.reassignPartitions(address, movesOff('events', 103, [100, 101, 102]));
    await until(async () => (await sim.admin.listReassignments(address)).length === 0, 'first moves done');
    const moves = movesOff('events', 102, [103]);
    expect(moves.length).toBeGreaterThan(0);
    await sim.admin.reassignPartitions(address, moves);

    const inFlight = await sim.admin.listReassignments(address);
    expect(inFlight).toHaveLength(moves.length);
    for (const r of inFlight) {
      expect(r).toMatchObject({ adding: [103], removing: [102] });
      expect(r.replicas).toEqual(expect.arrayContaining([102, 103])); // target plus the replicas leaving
      expect(at(partitions('events'), r.partition).isr).not.toContain(103); // still copying
    }
    await until(async () => (await sim.admin.listReassignments(address)).length === 0, 'reassignments done');
    for (const p of partitions('events')) {
      expect(p.replicas).not.toContain(102);
      expect(p.isr).not.toContain(102);
    }

    expect(await codeOf(sim.admin.unregisterBroker(address, 102))).toBe('KAFKA_BROKER_ACTIVE');
    sim.dataPlane.stopped(brokerPod(pods, 102));
    await sim.admin.unregisterBroker(address, 102);
    await sim.admin.unregisterBroker(address, 102); // gone already: a no-op
    expect(sim.history().filter((e) => e.type === 'unregistered')).toEqual([
      expect.objectContaining({ node: 102, heldReplicas: 0 }),
    ]);
    expect(sim.nodes().map((n) => n.id)).not.toContain(102);
  });

  test('a target broker that is down stalls the move until it is back; invalid targets are refused', async () => {
    const pods = await startCluster(sim, 4);
    await sim.admin.createTopic(address, { name: 'x', partitions: 1, replicas: 1 });
    const owner = at(at(partitions('x'), 0).replicas, 0);
    const spare = [100, 101, 102, 103].find((id) => id !== owner) as number;
    expect(
      await codeOf(sim.admin.reassignPartitions(address, [{ topic: 'x', partition: 0, replicas: [7] }])),
    ).toBe('KAFKA_INVALID_REPLICA_ASSIGNMENT');
    expect(
      await codeOf(
        sim.admin.reassignPartitions(address, [{ topic: 'x', partition: 0, replicas: [spare, spare] }]),
      ),
    ).toBe('KAFKA_INVALID_REPLICA_ASSIGNMENT');
    expect(
      await codeOf(sim.admin.reassignPartitions(address, [{ topic: 'x', partition: 3, replicas: [spare] }])),
    ).toBe('KAFKA_UNKNOWN_TOPIC');

    sim.dataPlane.stopped(brokerPod(pods, spare));
    await sim.admin.reassignPartitions(address, [{ topic: 'x', partition: 0, replicas: [spare] }]);
    await new Promise((resolve) => setTimeout(resolve, FAST.reassignMs * 3));
    expect(await sim.admin.listReassignments(address)).toHaveLength(1);
    sim.dataPlane.started(brokerPod(pods, spare));
    await until(
      async () => (await sim.admin.listReassignments(address)).length === 0,
      'move done after restart',
    );
    expect(at(partitions('x'), 0)).toMatchObject({ replicas: [spare], isr: [spare], leader: spare });
  });

  test('unregistering a broker that still holds replicas is allowed, as in Kafka, and recorded', async () => {
    const pods = await startCluster(sim);
    await sim.admin.createTopic(address, { name: 'kept', partitions: 3, replicas: 3 });
    sim.dataPlane.stopped(brokerPod(pods, 100));
    await sim.admin.unregisterBroker(address, 100);
    expect(sim.history().find((e) => e.type === 'unregistered')).toMatchObject({
      node: 100,
      heldReplicas: 3,
    });
    expect(partitions('kept').every((p) => p.replicas.includes(100) && !p.isr.includes(100))).toBe(true);
  });
});

describe('metadata.version', () => {
  test('raised only once every node runs software that supports it; never lowered; a node too old then cannot register', async () => {
    const pods = await startCluster(sim, 2);
    expect(await sim.admin.metadataVersion(address)).toBe('3.9-IV0');
    expect(await codeOf(sim.admin.updateMetadataVersion(address, '4.0-IV3'))).toBe(
      'KAFKA_INVALID_UPDATE_VERSION',
    );
    expect(await codeOf(sim.admin.updateMetadataVersion(address, 'latest'))).toBe(
      'KAFKA_INVALID_UPDATE_VERSION',
    );

    // Roll every node onto 4.0.0 (pods recreated with the new KAFKA_VERSION).
    for (const pod of pods) {
      const role = pod.metadata.labels?.['kafka.steward.dev/role'] as 'broker' | 'controller';
      const id = Number(pod.metadata.labels?.['kafka.steward.dev/node-id']);
      sim.dataPlane.stopped(pod);
      const upgraded = kafkaPod(role, id, { KAFKA_VERSION: '4.0.0' });
      sim.dataPlane.started(upgraded);
      await until(() => sim.dataPlane.ready(upgraded), `${pod.metadata.name} on 4.0.0`);
    }
    await sim.admin.updateMetadataVersion(address, '4.0-IV3');
    await sim.admin.updateMetadataVersion(address, '4.0-IV3'); // unchanged: a no-op
    expect(await sim.admin.metadataVersion(address)).toBe('4.0-IV3');
    expect(await codeOf(sim.admin.updateMetadataVersion(address, '3.9-IV0'))).toBe(
      'KAFKA_INVALID_UPDATE_VERSION',
    );

    const old = kafkaPod('broker', 105, { KAFKA_VERSION: '3.9.0' });
    sim.dataPlane.started(old);
    await until(
      () => sim.history().some((e) => e.type === 'registration-refused' && e.node === 105),
      'refused',
    );
    expect(sim.dataPlane.ready(old)).toBe(false);
  });

  test('the first controller formats the log with KAFKA_METADATA_VERSION; later settings do not change it', async () => {
    await startCluster(sim, 1, { KAFKA_METADATA_VERSION: '3.8-IV0' });
    expect(await sim.admin.metadataVersion(address)).toBe('3.8-IV0');
    sim.dataPlane.started(kafkaPod('controller', 0, { KAFKA_METADATA_VERSION: '3.9-IV0' }));
    expect(await sim.admin.metadataVersion(address)).toBe('3.8-IV0');
  });

  test('levels parse, order and follow releases', () => {
    expect(parseMetadataVersion('3.9-IV0')).toEqual({ major: 3, minor: 9, iv: 0 });
    expect(parseMetadataVersion('3.7')).toEqual({ major: 3, minor: 7, iv: 4 });
    expect(parseMetadataVersion('IV0')).toBeUndefined();
    const [a, b] = [parseMetadataVersion('3.7-IV4'), parseMetadataVersion('3.8-IV0')];
    expect(compareMetadataVersions(a as never, b as never)).toBeLessThan(0);
    expect(highestMetadataVersion('4.0.0')).toBe('4.0-IV3');
    expect(highestMetadataVersion('4.7.1')).toBe('4.7-IV0');
  });
});

describe('broker configs', () => {
  test('dynamic settings apply live (min.insync.replicas counts at once); read-only ones are refused', async () => {
    await startCluster(sim);
    await sim.admin.createTopic(address, { name: 'm', partitions: 1, replicas: 2 });
    await sim.admin.alterBrokerConfig(address, 100, {
      'min.insync.replicas': '3',
      'log.retention.ms': '1000',
    });
    expect(sim.nodes().find((n) => n.id === 100)?.config).toEqual({
      'min.insync.replicas': '3',
      'log.retention.ms': '1000',
    });
    expect(sim.underMinIsr()).toEqual([expect.objectContaining({ topic: 'm', min: 3 })]);
    expect(await codeOf(sim.admin.alterBrokerConfig(address, 100, { 'num.partitions': '3' }))).toBe(
      'KAFKA_INVALID_CONFIG',
    );
    expect(await codeOf(sim.admin.alterBrokerConfig(address, 42, {}))).toBe('KAFKA_REQUEST');
  });

  test('splitBrokerConfig sorts a change into live and restart-only settings', () => {
    expect(isDynamicBrokerConfig('listener.name.tls.ssl.keystore.location')).toBe(true);
    expect(isDynamicBrokerConfig('process.roles')).toBe(false);
    expect(
      splitBrokerConfig({
        'log.retention.ms': '1',
        'auto.create.topics.enable': 'false',
        'num.io.threads': '8',
      }),
    ).toEqual({
      dynamic: { 'log.retention.ms': '1', 'num.io.threads': '8' },
      restart: { 'auto.create.topics.enable': 'false' },
    });
  });
});
