/**
 * The types of the simulated Kafka's public face: the data plane the kubelet calls, the options, and
 * the read-only views and controls tests use. Start with {@link SimulatedKafka}; `simulatedKafka.ts`
 * implements it.
 */
import type { KubeObject } from '@steward/core';
import type { KafkaAdmin, TopicInfo } from './kafkaAdmin.js';
import type { KafkaEvent, KafkaTimings, Role } from './simulatedState.js';

/** The shape `kubelet.attach` takes (`SimulatedDataPlane` in @steward/testing), kept local so the
 * operator's build does not depend on the testing package. */
export interface KafkaDataPlane {
  selector: { namespace?: string; labelSelector?: string };
  ready(pod: KubeObject): boolean;
  started(pod: KubeObject): void;
  stopped(pod: KubeObject): void;
}

export interface SimulatedKafkaOptions extends Partial<KafkaTimings> {
  /** Which pods run Kafka (default: every pod labelled `kafka.steward.dev/cluster`, any namespace). */
  selector?: { namespace?: string; labelSelector?: string };
  /** The Kafka version of pods without `KAFKA_VERSION` (default `3.9.0`). */
  defaultVersion?: string;
}

/** Which node: its id, with the namespace and cluster when more than one cluster has that id. */
export type NodeRef = number | { namespace?: string; cluster?: string; id: number };
export interface ClusterFilter {
  namespace?: string;
  cluster?: string;
}

/** A topic as the simulation holds it: `TopicInfo` plus where it lives and what is moving. */
export interface SimulatedTopic extends TopicInfo {
  namespace: string;
  cluster: string;
  minInsyncReplicas: number;
  partitions: (TopicInfo['partitions'][number] & { adding: number[]; removing: number[]; bytes: number })[];
}

export interface SimulatedNode {
  namespace: string;
  cluster: string;
  id: number;
  roles: Role[];
  pod: string;
  version: string;
  running: boolean;
  failed: boolean;
  registered: boolean;
  fenced: boolean;
  caughtUp: boolean;
  starts: number;
  config: Record<string, string>;
}

export interface SimulatedClusterState {
  namespace: string;
  cluster: string;
  clusterId: string;
  activeController: number | undefined;
  voters: number[];
  metadataVersion: string | undefined;
}

export interface SimulatedKafka {
  /** Pass to `env.simulation.kubelet.attach(...)`: pods are Ready once their node registered and caught up. */
  dataPlane: KafkaDataPlane;
  admin: KafkaAdmin;
  topics(filter?: ClusterFilter): SimulatedTopic[];
  nodes(filter?: ClusterFilter): SimulatedNode[];
  clusters(): SimulatedClusterState[];
  /** Partitions whose ISR is smaller than their `min.insync.replicas` now. */
  underMinIsr(
    filter?: ClusterFilter,
  ): { namespace: string; cluster: string; topic: string; partition: number; isr: number[]; min: number }[];
  /**
   * A follower falls behind: it leaves the ISR of the matching partitions (leadership moves away
   * first) for `forMs` (default `lagMs`; `Infinity` until {@link rejoinIsr}). A partition's last
   * in-sync replica cannot fall out. Returns how many partitions it left.
   */
  fallOutOfIsr(broker: NodeRef, topic?: string, partition?: number, options?: { forMs?: number }): number;
  rejoinIsr(broker: NodeRef, topic?: string, partition?: number): void;
  /** Writes `bytes` (default 1 KiB) spread over the topic's partitions; refused below min ISR. */
  produce(topic: string, bytes?: number, options?: ClusterFilter & { partition?: number }): void;
  /** The Kafka process dies while its pod runs: fenced, out of every ISR, the pod NotReady. */
  failNode(node: NodeRef): void;
  /** The process starts again: it registers and catches up after the delays. */
  recoverNode(node: NodeRef): void;
  history(): readonly KafkaEvent[];
  /** Stops the timers of operations in flight (a test's afterEach). */
  close(): void;
}
