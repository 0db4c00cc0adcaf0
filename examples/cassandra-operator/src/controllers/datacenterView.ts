/**
 * What the decisions are made on and what they decide: a datacenter's pods, racks, claims and ring as
 * one reconcile sees them ({@link DatacenterView}), and the one {@link Step} to take. `observe.ts`
 * builds the view; `plan.ts` chooses the step.
 */
import type { RingMember } from '../admin/cassandraAdmin.js';

/** A pod of the datacenter, with what the ring says about it. */
export interface NodeView {
  pod: string;
  rack: string;
  ordinal: number;
  uid: string;
  /** The `node-state` label. */
  state: string;
  seed: boolean;
  /** Containers running with an IP (the management agent answers). */
  running: boolean;
  /** The pod's Ready condition: Cassandra up and `UN` in its own view. */
  ready: boolean;
  terminating: boolean;
  /** The pod's IP: the node's address in the ring. */
  address?: string;
  /** Marked for a drain and restart (the intent survives a crash between drain and delete). */
  restarting: boolean;
  /** The pod runs its StatefulSet's current template (false: a restart or upgrade is due). */
  updated: boolean;
  /** This node in the ring (matched by address, else by its last known hostId), if the ring lists it. */
  member?: RingMember;
  /** The hostId status last recorded for this pod (gossip forgets a node some time after it left). */
  hostId?: string;
}

export interface RackView {
  name: string;
  /** What the StatefulSet asks for now (0 when it does not exist yet). */
  replicas: number;
  /** What the spec asks for this rack. */
  desired: number;
  /** The StatefulSet carries the spec's pod template and its controller has seen it. */
  templateCurrent: boolean;
}

export interface ClaimView {
  name: string;
  uid: string;
  rack: string;
  ordinal: number;
  /** The hostId recorded when its node left the ring; only such a claim may be deleted. */
  leftRing?: string;
}

export interface DatacenterView {
  size: number;
  stopped: boolean;
  racks: RackView[];
  nodes: NodeView[];
  claims: ClaimView[];
  /** The ring as one started node sees it; undefined when no node could be asked. */
  ring: RingMember[] | undefined;
  pendingCleanup: readonly string[];
}

export type Step =
  | { kind: 'deleteClaim'; claim: ClaimView }
  | { kind: 'markLeft'; node: NodeView; claim: ClaimView; hostId: string }
  | { kind: 'shrinkRack'; rack: string; replicas: number; node: NodeView }
  | { kind: 'redecommission'; node: NodeView }
  | { kind: 'stop'; drain: NodeView[]; racks: string[] }
  | { kind: 'growRacks'; racks: RackView[]; cleanup: string[] }
  | { kind: 'markStarted'; node: NodeView }
  | { kind: 'start'; node: NodeView; seeds: string[] }
  | { kind: 'decommission'; node: NodeView; remaining: NodeView[] }
  | { kind: 'cleanup'; node: NodeView }
  | { kind: 'restart'; node: NodeView }
  | { kind: 'wait'; reason: string; message: string }
  | { kind: 'done' };
