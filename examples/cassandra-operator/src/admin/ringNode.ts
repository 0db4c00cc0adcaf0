/**
 * One simulated Cassandra node and how gossip shows it: its volume, host id, status, process and
 * load. Start with {@link RingNode}; {@link stateOf} is its `nodetool status` state.
 */
import { createHash } from 'node:crypto';
import type { RingMember, RingState } from './cassandraAdmin.js';

/** Gossip status: Normal, Joining (bootstrap), Leaving (decommission), or LEFT the ring. */
export type RingStatus = 'N' | 'J' | 'L' | 'LEFT';

/** What the Cassandra process in the pod is doing (the management agent runs whenever the pod does). */
export type ProcessState = 'stopped' | 'starting' | 'running' | 'drained' | 'decommissioned';

export interface RingNode {
  /** The data volume this node lives on: the claim's uid, or `namespace/claim`. */
  key: string;
  namespace: string;
  pod: string;
  claim: string;
  hostId: string;
  datacenter: string;
  rack: string;
  address: string;
  /** Undefined until the node first gossips. */
  status: RingStatus | undefined;
  /** Whether it finished bootstrapping once: then a restart rejoins as Normal without streaming. */
  bootstrapped: boolean;
  process: ProcessState;
  /** The pod's containers run (its management agent answers). */
  agent: boolean;
  /** Failed by the test (`failNode`): down and unreachable until `recoverNode`. */
  failed: boolean;
  /** Bytes on disk, and the part of them this node still owns (the rest goes at cleanup). */
  load: number;
  owned: number;
  capacity: number;
  leftAt?: number;
}

/** Something the ring did, for tests and invariants (`history()`). */
export interface RingEvent {
  at: number;
  namespace: string;
  pod: string;
  hostId: string;
  kind:
    | 'joining'
    | 'joined'
    | 'up'
    | 'down'
    | 'leaving'
    | 'left'
    | 'decommission-failed'
    | 'drained'
    | 'cleaned'
    | 'refused';
  detail?: string;
}

export interface RingTimings {
  startMs: number;
  joinMs: number;
  decommissionMs: number;
  drainMs: number;
  cleanupMs: number;
  leftRetentionMs: number;
  capacityBytes: number;
  dataBytes: number;
}

/** A node is Up when its process runs undrained and no failure was injected: what gossip sees. */
export function isUp(node: RingNode): boolean {
  return node.agent && !node.failed && node.process === 'running';
}

export function stateOf(node: RingNode): RingState {
  if (node.status === 'LEFT') return 'LEFT';
  return `${isUp(node) ? 'U' : 'D'}${node.status ?? 'J'}` as RingState;
}

export function memberOf(node: RingNode): RingMember {
  const { address, hostId, rack, datacenter, load } = node;
  return { address, hostId, rack, datacenter, state: stateOf(node), load };
}

/** A UUID-shaped id derived from the volume and how often that claim name was a new node. */
export function hostIdFor(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
