/** The cluster controller's decisions on hand-built views: which node goes next, whether a scale-down can proceed. */
import { describe, expect, test } from '@jest/globals';
import type { PartitionInfo, TopicInfo } from '../admin/kafkaAdmin.js';
import { canRestart, largestReplicationFactor, movesOff, nextStep } from './plan.js';
import type { ClusterView, KafkaView, PodView } from './plan.js';

const pod = (role: 'controller' | 'broker', id: number, extra: Partial<PodView> = {}): PodView => ({
  role,
  id,
  name: `k-${role}-${id}`,
  uid: `uid-${id}`,
  revision: role === 'controller' ? 'rc' : 'rb',
  version: '3.9.0',
  dynamicConfig: undefined,
  ready: true,
  terminating: false,
  ...extra,
});
const partition = (n: number, replicas: number[], isr = replicas): PartitionInfo => ({
  partition: n,
  leader: replicas[0] ?? -1,
  replicas,
  isr,
});
const topic = (
  name: string,
  partitions: PartitionInfo[],
  config: Record<string, string> = {},
): TopicInfo => ({
  name,
  partitions,
  config,
});
const kafka = (brokers: number[], topics: TopicInfo[] = [], extra: Partial<KafkaView> = {}): KafkaView => ({
  info: { clusterId: 'c', brokers: brokers.map((id) => ({ id, host: `h${id}` })), activeController: 1 },
  topics,
  reassignments: [],
  metadataVersion: '3.9-IV0',
  ...extra,
});
function view(
  brokers: number,
  pods: PodView[],
  k: KafkaView | undefined,
  extra: Partial<ClusterView> = {},
): ClusterView {
  return {
    desired: { controller: [0, 1, 2], broker: Array.from({ length: brokers }, (_, i) => 100 + i) },
    revision: { controller: 'rc', broker: 'rb' },
    version: '3.9.0',
    targetMetadataVersion: '3.9-IV0',
    dynamicConfig: { hash: 'd', empty: true },
    minInsyncReplicas: 1,
    pods,
    claims: new Set(pods.map((p) => `${p.role}/${p.id}`)),
    kafka: k,
    ...extra,
  };
}
const controllers = [pod('controller', 0), pod('controller', 1), pod('controller', 2)];
const brokers = (...ids: number[]) => ids.map((id) => pod('broker', id));
const stale = (p: PodView): PodView => ({ ...p, revision: 'old' });

describe('bootstrap and scale-up', () => {
  test('all controllers start together, then brokers one at a time once the others are Ready', () => {
    expect(nextStep(view(3, [], undefined)).step).toEqual({
      kind: 'create',
      nodes: [0, 1, 2].map((id) => ({ role: 'controller', id })),
    });
    expect(nextStep(view(3, controllers, undefined)).step).toEqual({
      kind: 'create',
      nodes: [{ role: 'broker', id: 100 }],
    });
    const starting = [...controllers, pod('broker', 100, { ready: false })];
    expect(nextStep(view(3, starting, undefined)).step).toMatchObject({
      kind: 'wait',
      reason: 'NodeStarting',
    });
    expect(nextStep(view(3, [...controllers, ...brokers(100)], undefined)).step).toMatchObject({
      nodes: [{ role: 'broker', id: 101 }],
    });
  });

  test('a stopping node is waited for before anything else', () => {
    const pods = [...controllers, ...brokers(100), pod('broker', 101, { terminating: true })];
    expect(nextStep(view(3, pods, kafka([100, 101]))).step).toMatchObject({
      kind: 'wait',
      reason: 'NodeStopping',
    });
  });
});

describe('scale-down', () => {
  const pods = [...controllers, ...brokers(100, 101, 102)];
  const topics = [topic('t', [partition(0, [100, 102]), partition(1, [102, 101]), partition(2, [100, 101])])];

  test('moves every replica off the leaving broker first, to the least loaded remaining broker', () => {
    const plan = nextStep(view(2, pods, kafka([100, 101, 102], topics)));
    expect(plan.removing).toEqual([102]);
    expect(plan.step).toEqual({
      kind: 'reassign',
      broker: 102,
      moves: [
        { topic: 't', partition: 0, replicas: [100, 101] },
        { topic: 't', partition: 1, replicas: [100, 101] },
      ],
    });
  });

  test('waits for moves in progress, then deletes the pod, then unregisters (and deletes the claim)', () => {
    const moving = kafka([100, 101, 102], topics, {
      reassignments: [{ topic: 't', partition: 0, replicas: [100, 101], adding: [101], removing: [102] }],
    });
    expect(nextStep(view(2, pods, moving)).step).toMatchObject({ kind: 'wait', reason: 'Reassigning' });
    const moved = [topic('t', [partition(0, [100, 101]), partition(1, [100, 101])])];
    expect(nextStep(view(2, pods, kafka([100, 101, 102], moved))).step).toMatchObject({
      kind: 'remove',
      pod: { id: 102 },
    });
    const gone = pods.filter((p) => p.id !== 102);
    const withClaim = { claims: new Set(['broker/102']) };
    expect(nextStep(view(2, gone, kafka([100, 101, 102], moved), withClaim)).step).toEqual({
      kind: 'unregister',
      broker: 102,
    });
    // Kafka lists only unfenced brokers: the claim left behind still says 102 needs unregistering.
    expect(nextStep(view(2, gone, kafka([100, 101], moved), withClaim)).step).toEqual({
      kind: 'unregister',
      broker: 102,
    });
    expect(nextStep(view(2, gone, kafka([100, 101], moved), { claims: new Set() })).step).toEqual({
      kind: 'done',
    });
  });

  test('refused as a whole when what remains cannot hold the largest replication factor', () => {
    const rf3 = [topic('t', [partition(0, [100, 101, 102])])];
    const plan = nextStep(view(2, pods, kafka([100, 101, 102], rf3)));
    expect(plan.refusal).toMatch(/3 replicas and only 2 brokers would remain/);
    expect(plan.step).toEqual({ kind: 'done' });
  });

  test('movesOff never puts two replicas of a partition on one broker', () => {
    expect(movesOff(102, [topic('t', [partition(0, [101, 102])])], [101])).toMatch(/t-0 has 2 replicas/);
  });
});

describe('rolling restart', () => {
  test('controllers first, the active controller last, then brokers in id order', () => {
    const k = kafka([100, 101], [topic('t', [partition(0, [100, 101])])]);
    let pods = [...controllers.map(stale), ...brokers(100, 101).map(stale)];
    expect(nextStep(view(2, pods, k)).step).toMatchObject({ kind: 'restart', pod: { id: 0 } });
    pods = [controllers[0], ...controllers.slice(1).map(stale), ...brokers(100, 101).map(stale)].flatMap(
      (p) => (p === undefined ? [] : [p]),
    );
    expect(nextStep(view(2, pods, k)).step).toMatchObject({ kind: 'restart', pod: { id: 2 } });
    pods = [
      controllers[0],
      controllers[2],
      stale(pod('controller', 1)),
      ...brokers(100, 101).map(stale),
    ].flatMap((p) => (p === undefined ? [] : [p]));
    expect(nextStep(view(2, pods, k)).step).toMatchObject({ kind: 'restart', pod: { id: 1 } });
    pods = [...controllers, ...brokers(100, 101).map(stale)];
    expect(nextStep(view(2, pods, k)).step).toMatchObject({ kind: 'restart', pod: { id: 100 } });
  });

  test('a broker waits while a restart would take a partition below min.insync.replicas', () => {
    const k = kafka(
      [100, 101, 102],
      [topic('t', [partition(0, [100, 101, 102], [100, 101])], { 'min.insync.replicas': '2' })],
    );
    expect(canRestart(100, k, 1)).toMatch(/broker 102 is not back in the ISR/);
    const inSync = kafka(
      [100, 101, 102],
      [topic('t', [partition(0, [100, 101, 102])], { 'min.insync.replicas': '3' })],
    );
    expect(canRestart(100, inSync, 1)).toMatch(/2 in-sync replicas, below min.insync.replicas=3/);
    const ok = kafka(
      [100, 101, 102],
      [topic('t', [partition(0, [100, 101, 102])], { 'min.insync.replicas': '2' })],
    );
    expect(canRestart(100, ok, 1)).toBeUndefined();
    const pods = [...controllers, ...brokers(100, 101, 102).map((p) => ({ ...p, revision: 'old' }))];
    expect(nextStep(view(3, pods, inSync)).step).toMatchObject({
      kind: 'wait',
      reason: 'WaitingForInSyncReplicas',
    });
  });

  test('live settings are applied without a restart', () => {
    const pods = [...controllers, ...brokers(100, 101)];
    const plan = nextStep(view(2, pods, kafka([100, 101]), { dynamicConfig: { hash: 'new', empty: false } }));
    expect(plan.step).toMatchObject({ kind: 'alterConfig', pods: [{ id: 100 }, { id: 101 }] });
    expect(plan.stale).toEqual([]);
  });
});

describe('upgrade', () => {
  test('metadata.version is raised only once every node runs the new version', () => {
    const upgrade = { version: '4.0.0', targetMetadataVersion: '4.0-IV3' };
    const oldNodes = [...controllers, ...brokers(100)].map((p) => ({ ...p, version: '3.9.0' }));
    expect(nextStep(view(1, oldNodes, kafka([100]), upgrade)).step).toMatchObject({
      kind: 'wait',
      reason: 'NodesNotUpgraded',
    });
    const current = [...controllers, ...brokers(100)].map((p) => ({ ...p, version: '4.0.0' }));
    expect(nextStep(view(1, current, kafka([100]), upgrade)).step).toEqual({
      kind: 'raiseMetadataVersion',
      from: '3.9-IV0',
      to: '4.0-IV3',
    });
  });

  test('a metadata.version above what the version supports, or a downgrade, is a warning, never applied', () => {
    const pods = [...controllers, ...brokers(100)];
    expect(nextStep(view(1, pods, kafka([100]), { targetMetadataVersion: '4.0-IV0' })).warning).toMatch(
      /above 3.9-IV0/,
    );
    expect(nextStep(view(1, pods, kafka([100]), { targetMetadataVersion: '3.8-IV0' })).warning).toMatch(
      /cannot downgrade/,
    );
  });
});

describe('largestReplicationFactor', () => {
  test('a partition being moved counts its target, not old and new replicas together', () => {
    const orders = [topic('orders', [partition(0, [100, 101, 102, 103])])];
    const moving = {
      topic: 'orders',
      partition: 0,
      replicas: [100, 101, 102, 103],
      adding: [100],
      removing: [103],
    };
    expect(largestReplicationFactor(kafka([100, 101, 102, 103], orders, { reassignments: [moving] }))).toBe(
      3,
    );
    expect(largestReplicationFactor(kafka([100, 101, 102, 103], orders))).toBe(4);
  });
});
