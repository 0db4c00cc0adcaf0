/**
 * The errors both admin implementations throw, each with a stable code and whether a retry can help.
 * Start with {@link CassandraAdminError}; {@link describeNode} names a node in every message.
 */
import { StewardError } from '@steward/core';
import type { Node } from './cassandraAdmin.js';

/**
 * - `CASSANDRA_UNREACHABLE`: the management agent refused or dropped the connection, did not answer
 *   in time, or Cassandra is not running there (retryable: the pod is starting, restarting or down).
 * - `CASSANDRA_START_FAILED`: Cassandra did not start (HTTP 420), e.g. no seed answered or another
 *   node is joining or leaving (retryable, once the ring is calm).
 * - `CASSANDRA_DECOMMISSIONED`: the node's data volume belongs to a node that left the ring; Cassandra
 *   refuses to rejoin with it (not retryable: delete the claim so the pod starts as a new node).
 * - `CASSANDRA_REJECTED`: Cassandra refused the operation in the node's current state, e.g. a
 *   decommission while another node moves ranges (retryable once that state passes).
 * - `CASSANDRA_JOB_FAILED`: an asynchronous job (cleanup, decommission) ended in `ERROR` (retryable).
 * - `CASSANDRA_CAPACITY_UNKNOWN`: free space was asked but no volume capacity is known (not
 *   retryable: pass `volumeCapacity` to `managementApiAdmin`).
 * - `CASSANDRA_UNKNOWN_NODE`: the simulation has no such pod (not retryable: a bug in the caller).
 * - `CASSANDRA_REQUEST`: any other answer the client does not expect (not retryable).
 */
export type CassandraAdminErrorCode =
  | 'CASSANDRA_UNREACHABLE'
  | 'CASSANDRA_START_FAILED'
  | 'CASSANDRA_DECOMMISSIONED'
  | 'CASSANDRA_REJECTED'
  | 'CASSANDRA_JOB_FAILED'
  | 'CASSANDRA_CAPACITY_UNKNOWN'
  | 'CASSANDRA_UNKNOWN_NODE'
  | 'CASSANDRA_REQUEST';

const RETRYABLE: Record<CassandraAdminErrorCode, boolean> = {
  CASSANDRA_UNREACHABLE: true,
  CASSANDRA_START_FAILED: true,
  CASSANDRA_DECOMMISSIONED: false,
  CASSANDRA_REJECTED: true,
  CASSANDRA_JOB_FAILED: true,
  CASSANDRA_CAPACITY_UNKNOWN: false,
  CASSANDRA_UNKNOWN_NODE: false,
  CASSANDRA_REQUEST: false,
};

export class CassandraAdminError extends StewardError {
  declare readonly code: CassandraAdminErrorCode;
  constructor(code: CassandraAdminErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, RETRYABLE[code], options);
  }
}

/** `namespace/pod (host:port)`: how every message names the node it is about. */
export function describeNode(node: Node): string {
  return `${node.namespace}/${node.pod} (${node.host}:${node.port})`;
}
