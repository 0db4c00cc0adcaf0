import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { simulatedKafka, type SimulatedKafka } from '../../src/admin/index.js';
import { address, at, brokerPod, FAST, kafkaPod, startCluster, until } from './kafkaFixtures.js';

// The simulation driven directly through its data plane hooks, as the kubelet would call them.
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

describe('quorum and registration', () => {
  test('unreachable until a broker registers with an active controller; then Ready pods and a formatted metadata.version', async () => {
    // controller.quorum.voters names all three (without the variable, the voters are the controllers seen).
    const voters = { KAFKA_CONTROLLER_QUORUM_VOTERS: '0@c0:9093,1@c1:9093,2@c2:9093' };
    const controllers = [0, 1, 2].map((id) => kafkaPod('controller', id, voters));
    const broker = kafkaPod('broker', 100, voters);
    sim.dataPlane.started(broker);
    sim.dataPlane.started(at(controllers, 0));
    // One of three voters is no majority: no active controller, so the broker cannot register.
    await new Promise((resolve) => setTimeout(resolve, 40));
    await expect(sim.admin.describeCluster(address)).rejects.toMatchObject({
      code: 'KAFKA_UNREACHABLE',
      retryable: true,
    });
    expect(sim.dataPlane.ready(broker)).toBe(false);

    sim.dataPlane.started(at(controllers, 1));
    sim.dataPlane.started(at(controllers, 2));
    await until(() => sim.dataPlane.ready(broker), 'broker Ready');
    const info = await sim.admin.describeCluster(address);
    expect(info.brokers).toEqual([{ id: 100, host: '10.0.0.110' }]);
    expect([0, 1, 2]).toContain(info.activeController);
    expect(info.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await sim.admin.metadataVersion(address)).toBe('3.9-IV0');
    expect(controllers.every((pod) => sim.dataPlane.ready(pod))).toBe(true);
  });

  test('losing the active controller: no controller during the election, then another; two of three down: none', async () => {
    await startCluster(sim);
    const first = (await sim.admin.describeCluster(address)).activeController;
    sim.dataPlane.stopped(kafkaPod('controller', first));
    await expect(sim.admin.listTopics(address)).rejects.toMatchObject({ code: 'KAFKA_UNREACHABLE' });
    const second = await until(
      async () => (await sim.admin.describeCluster(address)).activeController,
      'a new active controller',
    );
    expect(second).not.toBe(first);
    sim.dataPlane.stopped(kafkaPod('controller', second));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.clusters()[0]?.activeController).toBeUndefined();
    expect(
      sim
        .history()
        .filter((e) => e.type === 'controller-elected')
        .map((e) => e.node),
    ).toEqual([first, second]);
  });
});

describe('topics', () => {
  test('create (idempotent, replicas within live brokers), partitions only grow, incremental config, delete', async () => {
    await startCluster(sim);
    expect(await codeOf(sim.admin.createTopic(address, { name: 'big', partitions: 1, replicas: 4 }))).toBe(
      'KAFKA_INVALID_REPLICATION_FACTOR',
    );
    expect(
      await codeOf(sim.admin.createTopic(address, { name: 'bad/name', partitions: 1, replicas: 1 })),
    ).toBe('KAFKA_INVALID_TOPIC');
    await sim.admin.createTopic(address, {
      name: 'orders',
      partitions: 3,
      replicas: 3,
      config: { 'retention.ms': '1000' },
    });
    await sim.admin.createTopic(address, { name: 'orders', partitions: 9, replicas: 1 }); // exists: left alone
    const orders = await sim.admin.describeTopic(address, 'orders');
    expect(orders?.partitions).toHaveLength(3);
    expect(new Set(orders?.partitions.map((p) => p.leader))).toEqual(new Set([100, 101, 102])); // leaders spread
    for (const p of orders?.partitions ?? []) expect(new Set(p.isr)).toEqual(new Set(p.replicas));

    expect(await codeOf(sim.admin.createPartitions(address, 'orders', 2))).toBe('KAFKA_INVALID_PARTITIONS');
    await sim.admin.createPartitions(address, 'orders', 3); // unchanged: a no-op
    await sim.admin.createPartitions(address, 'orders', 5);
    expect(partitions('orders').map((p) => p.replicas.length)).toEqual([3, 3, 3, 3, 3]);

    await sim.admin.alterTopicConfig(address, 'orders', { 'cleanup.policy': 'compact' });
    expect((await sim.admin.describeTopic(address, 'orders'))?.config).toEqual({
      'retention.ms': '1000',
      'cleanup.policy': 'compact',
    });
    expect(await codeOf(sim.admin.alterTopicConfig(address, 'missing', {}))).toBe('KAFKA_UNKNOWN_TOPIC');

    await sim.admin.deleteTopic(address, 'orders');
    await sim.admin.deleteTopic(address, 'orders');
    expect(await sim.admin.listTopics(address)).toEqual([]);
  });
});

describe('restarts and ISRs', () => {
  test('a restarted broker leaves every ISR and leadership, is fenced, keeps its data, and rejoins only after catching up', async () => {
    const pods = await startCluster(sim);
    await sim.admin.createTopic(address, { name: 't', partitions: 3, replicas: 3 });
    sim.produce('t', 3000);
    const pod = brokerPod(pods, 101);
    sim.dataPlane.stopped(pod);
    for (const p of partitions('t')) {
      expect(p.isr).not.toContain(101);
      expect(p.leader).not.toBe(101);
      expect(p.replicas).toContain(101);
    }
    expect((await sim.admin.describeCluster(address)).brokers.map((b) => b.id)).toEqual([100, 102]);
    expect(sim.nodes().find((n) => n.id === 101)).toMatchObject({
      registered: true,
      fenced: true,
      running: false,
    });

    sim.dataPlane.started(pod);
    await until(
      () =>
        sim.nodes().find((n) => n.id === 101)?.registered && !sim.nodes().find((n) => n.id === 101)?.fenced,
      'registered',
    );
    // Registered but still catching up: not Ready, not in any ISR yet.
    expect(sim.dataPlane.ready(pod)).toBe(false);
    expect(partitions('t').some((p) => p.isr.includes(101))).toBe(false);
    await until(() => sim.dataPlane.ready(pod), 'broker 101 Ready');
    expect(partitions('t').every((p) => p.isr.includes(101))).toBe(true);
    expect(partitions('t').reduce((sum, p) => sum + p.bytes, 0)).toBe(3000); // same node id, same data
    const types = sim
      .history()
      .filter((e) => e.node === 101)
      .map((e) => e.type);
    expect(types.slice(types.lastIndexOf('stopped'))).toEqual([
      'stopped',
      'started',
      'registered',
      'caught-up',
    ]);
  });

  test('the last in-sync replica stays in the ISR: the partition is offline until that broker returns', async () => {
    const pods = await startCluster(sim);
    await sim.admin.createTopic(address, { name: 'solo', partitions: 1, replicas: 1 });
    const owner = at(partitions('solo'), 0).leader;
    sim.dataPlane.stopped(brokerPod(pods, owner));
    expect(partitions('solo')[0]).toMatchObject({ leader: -1, isr: [owner] });
    expect(() => sim.produce('solo')).toThrow(expect.objectContaining({ code: 'KAFKA_UNREACHABLE' }));
    sim.dataPlane.started(brokerPod(pods, owner));
    await until(() => partitions('solo')[0]?.leader === owner, 'leader back');
  });

  test('failNode kills the process under a running pod; recoverNode starts it again', async () => {
    const pods = await startCluster(sim);
    sim.failNode(102);
    expect(sim.dataPlane.ready(brokerPod(pods, 102))).toBe(false);
    expect(sim.nodes().find((n) => n.id === 102)).toMatchObject({ failed: true, running: false });
    sim.recoverNode({ namespace: 'kafka-test', cluster: 'demo', id: 102 });
    await until(() => sim.dataPlane.ready(brokerPod(pods, 102)), 'recovered');
    expect(() => sim.failNode(7)).toThrow(expect.objectContaining({ code: 'KAFKA_UNKNOWN_NODE' }));
  });

  test('fallOutOfIsr: below min.insync.replicas produce is refused, and the replica rejoins after lagMs or rejoinIsr', async () => {
    await startCluster(sim);
    await sim.admin.createTopic(address, {
      name: 'pay',
      partitions: 2,
      replicas: 2,
      config: { 'min.insync.replicas': '2' },
    });
    const leader = at(partitions('pay'), 0).leader;
    expect(sim.fallOutOfIsr(leader, 'pay', 0)).toBe(1);
    expect(at(partitions('pay'), 0).leader).not.toBe(leader); // leadership moved first
    expect(sim.underMinIsr()).toEqual([expect.objectContaining({ topic: 'pay', partition: 0, min: 2 })]);
    expect(() => sim.produce('pay', 10, { partition: 0 })).toThrow(
      expect.objectContaining({ code: 'KAFKA_NOT_ENOUGH_REPLICAS' }),
    );
    expect(sim.fallOutOfIsr(at(partitions('pay'), 0).leader, 'pay', 0)).toBe(0); // the last in-sync replica stays
    await until(() => sim.underMinIsr().length === 0, 'rejoined after lagMs');

    sim.fallOutOfIsr(leader, 'pay', undefined, { forMs: Infinity });
    await new Promise((resolve) => setTimeout(resolve, FAST.lagMs * 2));
    expect(sim.underMinIsr().length).toBeGreaterThan(0);
    sim.rejoinIsr(leader);
    expect(sim.underMinIsr()).toEqual([]);
    expect(sim.history().some((e) => e.type === 'under-min-isr' && e.topic === 'pay')).toBe(true);
  });
});
