/**
 * The cluster controller's decisions, as pure functions of what it observed: which single step comes
 * next (create a node, move partitions off a leaving broker, remove it, restart one node, apply live
 * settings, raise metadata.version). Start with {@link nextStep}; {@link canRestart} and
 * {@link movesOff} hold the Kafka rules and are unit-tested on their own.
 */
import type { ClusterInfo, Reassignment, TopicInfo } from '../admin/kafkaAdmin.js';
import {
  compareMetadataVersions,
  highestMetadataVersion,
  parseMetadataVersion,
} from '../admin/metadataVersions.js';
import { FIRST_BROKER_ID } from '../resources/labels.js';
import type { Role } from '../resources/labels.js';

/** One node's pod as the cache shows it. */
export interface PodView {
  role: Role;
  id: number;
  name: string;
  uid: string;
  revision: string | undefined;
  version: string | undefined;
  dynamicConfig: string | undefined;
  ready: boolean;
  terminating: boolean;
}

/** What Kafka says (absent while no broker answers). */
export interface KafkaView {
  info: ClusterInfo;
  topics: TopicInfo[];
  reassignments: Reassignment[];
  metadataVersion: string;
}

export interface ClusterView {
  desired: Record<Role, number[]>;
  /** The revision hash each role's pods must carry. */
  revision: Record<Role, string>;
  version: string;
  targetMetadataVersion: string;
  /** Hash of the dynamic broker settings, and whether there are any. */
  dynamicConfig: { hash: string; empty: boolean };
  /** The cluster-wide `min.insync.replicas` (a topic's own setting wins). */
  minInsyncReplicas: number;
  pods: PodView[];
  /** Data claims that exist, by node: `broker/104`. */
  claims: Set<string>;
  kafka: KafkaView | undefined;
}

export interface Move {
  topic: string;
  partition: number;
  replicas: number[];
}

export type Step =
  | { kind: 'create'; nodes: { role: Role; id: number }[] }
  | { kind: 'reassign'; broker: number; moves: Move[] }
  | { kind: 'remove'; pod: PodView }
  | { kind: 'unregister'; broker: number }
  | { kind: 'restart'; pod: PodView }
  | { kind: 'alterConfig'; pods: PodView[] }
  | { kind: 'raiseMetadataVersion'; from: string; to: string }
  | { kind: 'wait'; reason: string; message: string }
  | { kind: 'done' };

export interface Plan {
  step: Step;
  /** Why a scale-down was refused (nothing of it is done while this holds). */
  refusal?: string;
  /** Why metadata.version cannot reach the target. */
  warning?: string;
  removing: number[];
  stale: PodView[];
}

const wait = (reason: string, message: string): Step => ({ kind: 'wait', reason, message });

/** The replication factor the cluster must keep room for: the largest of any topic (or move target). */
export function largestReplicationFactor(kafka: KafkaView): number {
  // A partition being moved lists its old and new replicas together; its replication factor is the
  // target's (its replicas less those being removed), or a scale-down would refuse because of its
  // own move.
  const moving = new Set(kafka.reassignments.map((r) => `${r.topic}/${r.partition}`));
  let largest = 0;
  for (const topic of kafka.topics)
    for (const p of topic.partitions)
      if (!moving.has(`${topic.name}/${p.partition}`)) largest = Math.max(largest, p.replicas.length);
  for (const r of kafka.reassignments)
    largest = Math.max(largest, r.replicas.filter((id) => !r.removing.includes(id)).length);
  return largest;
}

/** The topic's `min.insync.replicas`, else the cluster's. */
export function minIsrOf(topic: TopicInfo, clusterDefault: number): number {
  const own = Number(topic.config['min.insync.replicas']);
  return Number.isInteger(own) && own > 0 ? own : clusterDefault;
}

// #region canRestart
/**
 * Whether broker `id` may restart now: every partition it replicates keeps at least
 * `min.insync.replicas` in-sync replicas without it, and no partition is under-replicated because of
 * another broker (the previous restart has caught up). Returns why not, or undefined.
 */
export function canRestart(id: number, kafka: KafkaView, clusterMinIsr: number): string | undefined {
  for (const topic of kafka.topics) {
    const minIsr = minIsrOf(topic, clusterMinIsr);
    for (const p of topic.partitions) {
      const lagging = p.replicas.filter((r) => r !== id && !p.isr.includes(r));
      if (lagging.length > 0)
        return `${topic.name}-${p.partition}: broker ${lagging.join(', ')} is not back in the ISR yet`;
      if (!p.replicas.includes(id)) continue;
      const remaining = p.isr.filter((r) => r !== id).length;
      if (remaining < minIsr)
        return `${topic.name}-${p.partition} would have ${remaining} in-sync replicas, below min.insync.replicas=${minIsr}`;
    }
  }
  return undefined;
}
// #endregion

// #region movesOff
/**
 * Moves every replica off broker `leaving` onto `targets`, each to the target holding the fewest
 * replicas (ties: lowest id), never twice in one partition. The leaving broker's place in the list is
 * kept, so a preferred leader is replaced by its successor.
 */
export function movesOff(leaving: number, topics: TopicInfo[], targets: number[]): Move[] | string {
  const load = new Map<number, number>(targets.map((t) => [t, 0]));
  for (const topic of topics)
    for (const p of topic.partitions)
      for (const r of p.replicas) if (load.has(r)) load.set(r, (load.get(r) ?? 0) + 1);
  const moves: Move[] = [];
  for (const topic of topics) {
    for (const p of topic.partitions) {
      if (!p.replicas.includes(leaving)) continue;
      const candidates = targets
        .filter((t) => !p.replicas.includes(t))
        .sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a - b);
      const target = candidates[0];
      if (target === undefined)
        return `${topic.name}-${p.partition} has ${p.replicas.length} replicas and only ${targets.length} brokers would remain`;
      load.set(target, (load.get(target) ?? 0) + 1);
      moves.push({
        topic: topic.name,
        partition: p.partition,
        replicas: p.replicas.map((r) => (r === leaving ? target : r)),
      });
    }
  }
  return moves;
}
// #endregion

/** Whether a metadata.version is below another (unparseable levels compare as equal: never raised). */
function below(current: string, target: string): boolean {
  const a = parseMetadataVersion(current);
  const b = parseMetadataVersion(target);
  return a !== undefined && b !== undefined && compareMetadataVersions(a, b) < 0;
}

/** The one step to take now. Order: nodes that must exist, scale-down, live settings, restarts, metadata.version. */
export function nextStep(view: ClusterView): Plan {
  const ours = (role: Role) => view.pods.filter((p) => p.role === role);
  const desired = (role: Role, id: number) => view.desired[role].includes(id);
  const registered = view.kafka?.info.brokers.map((b) => b.id) ?? [];
  const removing = [
    ...new Set([
      ...ours('broker')
        .filter((p) => !desired('broker', p.id))
        .map((p) => p.id),
      ...registered.filter((id) => id >= FIRST_BROKER_ID && !desired('broker', id)),
      ...[...view.claims].flatMap((c) => {
        const id = Number(c.slice('broker/'.length));
        return c.startsWith('broker/') && !desired('broker', id) ? [id] : [];
      }),
    ]),
  ].sort((a, b) => b - a);
  const stale = view.pods.filter((p) => p.revision !== view.revision[p.role] && desired(p.role, p.id));
  const plan = (step: Step, extra: Partial<Plan> = {}): Plan => ({ step, removing, stale, ...extra });

  // A node stopping (restart or removal) finishes first: never two nodes leaving or joining at once.
  const terminating = view.pods.find((p) => p.terminating);
  if (terminating !== undefined) return plan(wait('NodeStopping', `${terminating.name} is stopping`));

  // The quorum forms only with a majority of its voters up: start every controller together.
  const missingControllers = view.desired.controller.filter(
    (id) => !ours('controller').some((p) => p.id === id),
  );
  if (missingControllers.length > 0)
    return plan({ kind: 'create', nodes: missingControllers.map((id) => ({ role: 'controller', id })) });

  // Brokers join one at a time, each once the others are Ready (registered and caught up).
  const missingBroker = view.desired.broker.find((id) => !ours('broker').some((p) => p.id === id));
  if (missingBroker !== undefined) {
    const notReady = view.pods.find((p) => !p.ready);
    if (notReady !== undefined) return plan(wait('NodeStarting', `${notReady.name} is not Ready yet`));
    return plan({ kind: 'create', nodes: [{ role: 'broker', id: missingBroker }] });
  }

  const kafka = view.kafka;
  if (kafka === undefined)
    return plan(wait('KafkaUnavailable', 'no broker answers at the bootstrap address'));

  // #region scaleDown
  // Scale-down: refuse as a whole if what remains cannot hold the largest replication factor.
  let refusal: string | undefined;
  if (removing.length > 0) {
    const largest = largestReplicationFactor(kafka);
    if (largest > view.desired.broker.length) {
      refusal = `cannot remove broker ${removing.join(', ')}: a topic has ${largest} replicas and only ${view.desired.broker.length} brokers would remain`;
    } else {
      const leaving = removing[0] ?? 0;
      const pod = ours('broker').find((p) => p.id === leaving);
      if (kafka.reassignments.length > 0)
        return plan(wait('Reassigning', `${kafka.reassignments.length} partition moves in progress`));
      const targets = view.desired.broker.filter((id) => registered.includes(id));
      const moves = movesOff(leaving, kafka.topics, targets);
      if (typeof moves === 'string') refusal = moves;
      else if (moves.length > 0) return plan({ kind: 'reassign', broker: leaving, moves });
      else if (pod !== undefined) return plan({ kind: 'remove', pod });
      // Kafka lists only unfenced brokers, so a stopped one may not show: its claim marks it as
      // not yet unregistered (the claim goes right after the unregistration).
      else if (registered.includes(leaving) || view.claims.has(`broker/${leaving}`))
        return plan({ kind: 'unregister', broker: leaving });
    }
  }
  const extra = refusal === undefined ? {} : { refusal };
  // #endregion

  // Settings Kafka changes live: no restart, applied to every broker that has not got them yet.
  const needConfig = ours('broker').filter(
    (p) =>
      desired('broker', p.id) &&
      p.ready &&
      !view.dynamicConfig.empty &&
      p.dynamicConfig !== view.dynamicConfig.hash,
  );
  if (needConfig.length > 0) return plan({ kind: 'alterConfig', pods: needConfig }, extra);

  // Rolling restart: controllers first (the active one last, so the quorum elects once), then brokers.
  const staleControllers = stale.filter((p) => p.role === 'controller');
  if (staleControllers.length > 0) {
    const down = ours('controller').find((p) => !p.ready);
    if (down !== undefined) return plan(wait('QuorumDegraded', `${down.name} is not Ready`), extra);
    const next = staleControllers.find((p) => p.id !== kafka.info.activeController) ?? staleControllers[0];
    if (next !== undefined) return plan({ kind: 'restart', pod: next }, extra);
  }
  const staleBrokers = stale.filter((p) => p.role === 'broker').sort((a, b) => a.id - b.id);
  if (staleBrokers.length > 0) {
    const down = ours('broker').find((p) => !p.ready);
    if (down !== undefined) return plan(wait('BrokerNotReady', `${down.name} is not Ready`), extra);
    let why = '';
    for (const pod of staleBrokers) {
      const blocked = canRestart(pod.id, kafka, view.minInsyncReplicas);
      if (blocked === undefined) return plan({ kind: 'restart', pod }, extra);
      why = `${pod.name}: ${blocked}`;
    }
    return plan(wait('WaitingForInSyncReplicas', why), extra);
  }

  // Ready means every node Ready: registered with the quorum and caught up.
  const starting = view.pods.find((p) => desired(p.role, p.id) && !p.ready);
  if (starting !== undefined) return plan(wait('NodeStarting', `${starting.name} is not Ready yet`), extra);

  // #region upgrade
  // Upgrade, last: raise metadata.version only once every node runs the new version.
  const target = view.targetMetadataVersion;
  const supported = highestMetadataVersion(view.version);
  if (supported !== undefined && below(supported, target))
    return plan(
      { kind: 'done' },
      {
        ...extra,
        warning: `metadataVersion ${target} is above ${supported}, the highest Kafka ${view.version} supports`,
      },
    );
  if (below(target, kafka.metadataVersion))
    return plan(
      { kind: 'done' },
      {
        ...extra,
        warning: `metadataVersion ${target} is below the finalized ${kafka.metadataVersion}: KRaft cannot downgrade it`,
      },
    );
  if (below(kafka.metadataVersion, target)) {
    const behind = view.pods.find((p) => p.version !== view.version || !p.ready);
    if (behind !== undefined)
      return plan(wait('NodesNotUpgraded', `${behind.name} does not run ${view.version} yet`), extra);
    return plan({ kind: 'raiseMetadataVersion', from: kafka.metadataVersion, to: target }, extra);
  }
  return plan({ kind: 'done' }, extra);
  // #endregion
}
