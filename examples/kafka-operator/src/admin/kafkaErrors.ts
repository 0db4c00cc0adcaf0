/**
 * The errors both `KafkaAdmin` implementations throw, each with a stable code and whether a retry can
 * help. Start with {@link KafkaAdminError}; the codes follow Kafka's own error codes where one exists.
 */
import { StewardError } from '@steward/core';
import type { ClusterAddress } from './kafkaAdmin.js';

/**
 * - `KAFKA_UNREACHABLE`: no broker answered at the bootstrap address, or the KRaft quorum has no
 *   active controller (retryable: pods are starting, restarting or an election is running).
 * - `KAFKA_UNKNOWN_TOPIC`: the topic or partition does not exist (not retryable as asked).
 * - `KAFKA_INVALID_PARTITIONS`: a partition count lower than the current one (partitions never
 *   decrease; not retryable).
 * - `KAFKA_INVALID_REPLICATION_FACTOR`: more replicas than registered brokers (retryable: brokers may
 *   still be registering).
 * - `KAFKA_INVALID_REPLICA_ASSIGNMENT`: a reassignment naming unknown, fenced or duplicate brokers
 *   (retryable: a broker may be restarting).
 * - `KAFKA_INVALID_CONFIG`: a config key that cannot be changed this way, e.g. a read-only broker
 *   setting through `alterBrokerConfig` (not retryable: roll the pods instead).
 * - `KAFKA_INVALID_TOPIC`: an illegal topic name (not retryable).
 * - `KAFKA_INVALID_UPDATE_VERSION`: a `metadata.version` some node does not support yet, a downgrade,
 *   or a malformed level (retryable: the roll may not have finished).
 * - `KAFKA_BROKER_ACTIVE`: unregistering a broker whose process still runs (retryable once it stops).
 * - `KAFKA_NOT_ENOUGH_REPLICAS`: a produce with fewer in-sync replicas than `min.insync.replicas`.
 * - `KAFKA_UNKNOWN_NODE`: the simulation has no such node (not retryable: a bug in the caller).
 * - `KAFKA_UNSUPPORTED`: the client library has no API for the call (not retryable).
 * - `KAFKA_REQUEST`: any other answer the client does not expect (not retryable).
 */
export type KafkaAdminErrorCode =
  | 'KAFKA_UNREACHABLE'
  | 'KAFKA_UNKNOWN_TOPIC'
  | 'KAFKA_INVALID_PARTITIONS'
  | 'KAFKA_INVALID_REPLICATION_FACTOR'
  | 'KAFKA_INVALID_REPLICA_ASSIGNMENT'
  | 'KAFKA_INVALID_CONFIG'
  | 'KAFKA_INVALID_TOPIC'
  | 'KAFKA_INVALID_UPDATE_VERSION'
  | 'KAFKA_BROKER_ACTIVE'
  | 'KAFKA_NOT_ENOUGH_REPLICAS'
  | 'KAFKA_UNKNOWN_NODE'
  | 'KAFKA_UNSUPPORTED'
  | 'KAFKA_REQUEST';

const RETRYABLE: Record<KafkaAdminErrorCode, boolean> = {
  KAFKA_UNREACHABLE: true,
  KAFKA_UNKNOWN_TOPIC: false,
  KAFKA_INVALID_PARTITIONS: false,
  KAFKA_INVALID_REPLICATION_FACTOR: true,
  KAFKA_INVALID_REPLICA_ASSIGNMENT: true,
  KAFKA_INVALID_CONFIG: false,
  KAFKA_INVALID_TOPIC: false,
  KAFKA_INVALID_UPDATE_VERSION: true,
  KAFKA_BROKER_ACTIVE: true,
  KAFKA_NOT_ENOUGH_REPLICAS: true,
  KAFKA_UNKNOWN_NODE: false,
  KAFKA_UNSUPPORTED: false,
  KAFKA_REQUEST: false,
};

export class KafkaAdminError extends StewardError {
  declare readonly code: KafkaAdminErrorCode;
  constructor(code: KafkaAdminErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, RETRYABLE[code], options);
  }
}

/** `namespace/cluster`: how every message names the cluster it is about. */
export function describeCluster(address: Pick<ClusterAddress, 'namespace' | 'cluster'>): string {
  return `Kafka cluster ${address.namespace}/${address.cluster}`;
}
