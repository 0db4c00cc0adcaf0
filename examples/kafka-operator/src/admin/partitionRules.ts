/**
 * The rules Kafka's controller applies to a partition whenever a broker or a reassignment changes:
 * shrink the ISR to live, caught-up replicas (never below its last member), elect a leader from the
 * ISR (the preferred replica when it is in sync; none rather than an unclean one), let caught-up
 * replicas back in, and finish a reassignment once every target replica is in sync. Start with
 * {@link settlePartition}.
 */
import {
  isAlive,
  minIsrOf,
  type KafkaEvent,
  type SimCluster,
  type SimPartition,
  type SimTopic,
} from './simulatedState.js';

type Record_ = (event: Omit<KafkaEvent, 'at' | 'cluster'>) => void;

/** Brings one partition's ISR, leader and reassignment up to date with its brokers' state. */
export function settlePartition(
  cluster: SimCluster,
  topic: SimTopic,
  p: SimPartition,
  record: Record_,
): void {
  const before = { isr: [...p.isr], leader: p.leader };
  const node = (id: number) => cluster.nodes.get(id);
  const healthy = (id: number): boolean => isAlive(node(id)) && !p.lagging.has(id);
  const inOrder = (members: Set<number>): number[] => p.replicas.filter((r) => members.has(r));

  // Shrink. Kafka never empties the ISR: its last member stays, marking whose log is complete, and
  // the partition goes offline (leader -1) until that broker returns (unclean election is off).
  const current = p.isr.filter((id) => p.replicas.includes(id));
  const keep = current.filter(healthy);
  let isr: Set<number>;
  if (keep.length > 0 || current.length === 0) isr = new Set(keep);
  else isr = new Set([current.includes(p.leader) ? p.leader : (current[0] as number)]);

  // Leader: the preferred (first) replica when it is in sync (auto.leader.rebalance), else the
  // current leader while it serves, else the first live in-sync replica.
  const eligible = (id: number): boolean => isr.has(id) && isAlive(node(id));
  const preferred = p.replicas[0];
  if (preferred !== undefined && eligible(preferred)) p.leader = preferred;
  else if (!eligible(p.leader)) p.leader = p.replicas.find(eligible) ?? -1;

  // Expand: a live replica that has caught up joins, once there is a leader to follow; a replica being
  // added only after its copy finished.
  if (p.leader !== -1) {
    for (const id of p.replicas) {
      const n = node(id);
      if (isr.has(id) || n === undefined || !healthy(id) || !n.caughtUp) continue;
      if (p.adding.includes(id) && !p.copied.has(id)) continue;
      isr.add(id);
    }
  }
  p.isr = inOrder(isr);

  // A reassignment completes when every target replica is in sync: the removed ones leave.
  if (p.target !== undefined && p.target.every((id) => isr.has(id))) {
    const target = p.target;
    p.replicas = [...target];
    p.isr = target.filter((id) => isr.has(id));
    if (!p.isr.includes(p.leader) || p.leader !== target[0])
      p.leader = target.find((id) => p.isr.includes(id) && isAlive(node(id))) ?? -1;
    record({
      type: 'reassignment-completed',
      topic: topic.name,
      partition: p.partition,
      detail: `replicas ${target.join(',')}`,
    });
    delete p.target;
    p.adding = [];
    p.removing = [];
    p.copied.clear();
  }

  const where = { topic: topic.name, partition: p.partition };
  const removed = before.isr.filter((id) => !p.isr.includes(id));
  const added = p.isr.filter((id) => !before.isr.includes(id));
  if (removed.length > 0)
    record({ type: 'isr-shrink', ...where, isr: [...p.isr], detail: `left: ${removed.join(',')}` });
  if (added.length > 0)
    record({ type: 'isr-expand', ...where, isr: [...p.isr], detail: `joined: ${added.join(',')}` });
  if (p.leader !== before.leader) record({ type: 'leader', ...where, node: p.leader });
  const min = minIsrOf(cluster, topic);
  if (before.isr.length >= min && p.isr.length < min)
    record({ type: 'under-min-isr', ...where, isr: [...p.isr], detail: `min.insync.replicas=${min}` });
  if (before.isr.length < min && p.isr.length >= min)
    record({ type: 'min-isr-restored', ...where, isr: [...p.isr] });
}

/** Settles every partition of every topic in the cluster. */
export function settleCluster(cluster: SimCluster, record: Record_): void {
  for (const topic of cluster.topics.values())
    for (const p of topic.partitions) settlePartition(cluster, topic, p, record);
}

/**
 * Kafka's rack-unaware assignment, made deterministic: partition p's replicas are consecutive brokers
 * (in id order) starting at a per-topic offset plus p, so leaders spread over the brokers.
 */
export function assignReplicas(
  topic: string,
  brokers: number[],
  from: number,
  count: number,
  replicas: number,
): number[][] {
  const sorted = [...brokers].sort((a, b) => a - b);
  let offset = 0;
  for (const ch of topic) offset = (offset * 31 + ch.charCodeAt(0)) % 9973;
  const out: number[][] = [];
  for (let p = from; p < from + count; p++) {
    const list: number[] = [];
    for (let i = 0; i < replicas; i++) list.push(sorted[(offset + p + i) % sorted.length] as number);
    out.push(list);
  }
  return out;
}

export function newPartition(partition: number, replicas: number[]): SimPartition {
  return {
    partition,
    replicas,
    isr: [...replicas],
    leader: replicas[0] ?? -1,
    adding: [],
    removing: [],
    copied: new Set(),
    lagging: new Set(),
    bytes: 0,
  };
}
