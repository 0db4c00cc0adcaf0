/**
 * What the operator asks of Cassandra itself, behind one small interface shaped after the DataStax
 * Management API (the HTTP sidecar cass-operator talks to): start a node, see the ring, decommission,
 * drain, cleanup. Start with {@link CassandraAdmin}. `managementApiAdmin.ts` implements it over HTTP;
 * `simulatedRing.ts` implements it for the simulated cluster. Operations are idempotent where
 * Cassandra allows it, so the operator may repeat them after a crash or a restart.
 */

/** A node, reached through its pod's management API (`http://<podIP>:8080`). */
export interface Node {
  namespace: string;
  /** The pod's name, e.g. `dc1-r1-0`. */
  pod: string;
  host: string;
  port: number;
}

/**
 * A ring member's state as `nodetool status` shows it: Up/Down × Normal/Joining/Leaving/Moving, or
 * `LEFT` once it has decommissioned (gossip still lists it for a while).
 */
export type RingState = 'UN' | 'UJ' | 'UL' | 'UM' | 'DN' | 'DJ' | 'DL' | 'DM' | 'LEFT';

export interface RingMember {
  /** The node's address as the ring knows it (the pod IP). */
  address: string;
  hostId: string;
  rack: string;
  datacenter: string;
  state: RingState;
  /** Bytes of data the node holds. */
  load: number;
}

export interface CassandraAdmin {
  /** Starts Cassandra on a node whose pod runs only the management agent (idempotent). */
  start(node: Node, options?: { seeds?: string[] }): Promise<void>;
  /** The ring as seen by `node` (every member it knows, itself included). */
  ring(node: Node): Promise<RingMember[]>;
  /** Starts decommissioning `node` (it streams its data away, then shows `LEFT`); a repeat is a no-op. */
  decommission(node: Node): Promise<void>;
  /** Flushes memtables and stops accepting writes, before a restart. */
  drain(node: Node): Promise<void>;
  /** Removes data the node no longer owns (after a scale-up); runs to completion. */
  cleanup(node: Node): Promise<void>;
  /** Free bytes on the node's data volume (to check the others can absorb a leaving node's load). */
  freeSpace(node: Node): Promise<number>;
}
