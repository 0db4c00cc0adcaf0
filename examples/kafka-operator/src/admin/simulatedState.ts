/**
 * The state the simulated Kafka keeps: clusters of nodes (keyed by node id, so a restarted pod finds
 * its data again), topics with partitions, and the event history tests read. Start with
 * {@link SimCluster}; `partitionRules.ts` keeps the ISRs and leaders right, `clusterModel.ts` moves
 * the state over time.
 */

export interface KafkaTimings {
  /** From a pod's start to its process registering (broker) or joining the quorum (controller). */
  startMs: number;
  /** From a broker's registration to it being back in every ISR (its log caught up). */
  catchUpMs: number;
  /** How long an added replica copies its partition before joining the ISR. */
  reassignMs: number;
  /** How long the quorum goes without an active controller after the active one stops. */
  electionMs: number;
  /** How long `fallOutOfIsr` keeps a replica out (until `rejoinIsr` when `Infinity`). */
  lagMs: number;
  /** Copy speed for reassignments: adds `bytes / bytesPerMs` to `reassignMs` (0: size ignored). */
  bytesPerMs: number;
}

export const DEFAULT_TIMINGS: KafkaTimings = {
  startMs: 20,
  catchUpMs: 50,
  reassignMs: 100,
  electionMs: 30,
  lagMs: 100,
  bytesPerMs: 0,
};

export type Role = 'broker' | 'controller';

export interface SimNode {
  id: number;
  roles: Role[];
  /** The pod running this node now (or last). */
  pod: string;
  host: string;
  rack?: string;
  /** `KAFKA_VERSION` of the running software. */
  version: string;
  /** Dynamic broker configs set through `alterBrokerConfig`. */
  config: Record<string, string>;
  /** The pod's container runs (kubelet started it, not stopped since). */
  podRunning: boolean;
  /** Set by `failNode`: the process is dead although the pod runs. */
  failed: boolean;
  /** The Kafka process is up: `podRunning && !failed`. */
  running: boolean;
  /** Broker: registered in the KRaft metadata (stays so while fenced, until unregistered). */
  registered: boolean;
  /** Broker: registered but not heartbeating (stopped); fenced brokers lead nothing and are in no ISR. */
  fenced: boolean;
  /** Broker: its logs caught up since the last start, so it may rejoin ISRs. */
  caughtUp: boolean;
  /** Controller: joined the quorum since the last start. */
  joined: boolean;
  /** Bumped on every start and stop, so timers of an earlier incarnation do nothing. */
  epoch: number;
  starts: number;
}

export interface SimPartition {
  partition: number;
  replicas: number[];
  isr: number[];
  /** -1 when no in-sync replica is alive (the partition is offline). */
  leader: number;
  /** A reassignment in flight: the target replicas, those being added and removed, and the added
   * replicas that finished copying (only those may join the ISR). */
  target?: number[];
  adding: number[];
  removing: number[];
  copied: Set<number>;
  /** Replicas held out of the ISR by `fallOutOfIsr`. */
  lagging: Set<number>;
  bytes: number;
}

export interface SimTopic {
  name: string;
  config: Record<string, string>;
  partitions: SimPartition[];
}

export interface SimCluster {
  namespace: string;
  name: string;
  clusterId: string;
  nodes: Map<number, SimNode>;
  /** `controller.quorum.voters`: from the pods' `KAFKA_CONTROLLER_QUORUM_VOTERS`, else every controller seen. */
  voters: Set<number>;
  activeController: number | undefined;
  /** The finalized feature level, set when the first controller formats the metadata log. */
  metadataVersion: string | undefined;
  topics: Map<string, SimTopic>;
}

export type KafkaEventType =
  | 'started'
  | 'stopped'
  | 'registered'
  | 'registration-refused'
  | 'caught-up'
  | 'unregistered'
  | 'controller-elected'
  | 'controller-lost'
  | 'isr-shrink'
  | 'isr-expand'
  | 'leader'
  | 'under-min-isr'
  | 'min-isr-restored'
  | 'topic-created'
  | 'topic-deleted'
  | 'partitions-created'
  | 'reassignment-started'
  | 'reassignment-completed'
  | 'metadata-version'
  | 'broker-config'
  | 'refused';

/** One thing that happened, for tests and invariants (`history()`). */
export interface KafkaEvent {
  at: number;
  /** `namespace/cluster`. */
  cluster: string;
  type: KafkaEventType;
  node?: number;
  topic?: string;
  partition?: number;
  detail?: string;
  /** `unregistered`: partition replicas the broker still held (an operator should have moved them). */
  heldReplicas?: number;
  /** `isr-*`, `under-min-isr`: the ISR after the change. */
  isr?: number[];
}

export const clusterKey = (namespace: string, cluster: string): string => `${namespace}/${cluster}`;

/** A broker that serves: process up, registered and not fenced. */
export const isAlive = (node: SimNode | undefined): boolean =>
  node !== undefined && node.running && node.registered && !node.fenced;

export const isBroker = (node: SimNode): boolean => node.roles.includes('broker');
export const isController = (node: SimNode): boolean => node.roles.includes('controller');

/** `min.insync.replicas`: the topic's, else the brokers' dynamic default, else Kafka's default 1. */
export function minIsrOf(cluster: SimCluster, topic: SimTopic): number {
  const own = topic.config['min.insync.replicas'];
  if (own !== undefined) return Number(own);
  for (const node of cluster.nodes.values()) {
    const value = node.config['min.insync.replicas'];
    if (value !== undefined) return Number(value);
  }
  return 1;
}
