/**
 * How `kafkaClientAdmin` reads the client library's errors: Kafka protocol errors nest inside
 * aggregate errors; {@link protocolFailure} finds the first, and {@link CODES} maps its Kafka name to
 * a {@link KafkaAdminErrorCode}.
 */
import type { KafkaAdminErrorCode } from './kafkaErrors.js';

/** Kafka error names (as the protocol defines them) and what they mean to the operator. */
export const CODES: Record<string, KafkaAdminErrorCode> = {
  UNKNOWN_TOPIC_OR_PARTITION: 'KAFKA_UNKNOWN_TOPIC',
  UNKNOWN_TOPIC_ID: 'KAFKA_UNKNOWN_TOPIC',
  INVALID_PARTITIONS: 'KAFKA_INVALID_PARTITIONS',
  INVALID_REPLICATION_FACTOR: 'KAFKA_INVALID_REPLICATION_FACTOR',
  INVALID_REPLICA_ASSIGNMENT: 'KAFKA_INVALID_REPLICA_ASSIGNMENT',
  INVALID_CONFIG: 'KAFKA_INVALID_CONFIG',
  INVALID_TOPIC_EXCEPTION: 'KAFKA_INVALID_TOPIC',
  INVALID_UPDATE_VERSION: 'KAFKA_INVALID_UPDATE_VERSION',
  FEATURE_UPDATE_FAILED: 'KAFKA_INVALID_UPDATE_VERSION',
  NOT_ENOUGH_REPLICAS: 'KAFKA_NOT_ENOUGH_REPLICAS',
  NOT_CONTROLLER: 'KAFKA_UNREACHABLE',
  REQUEST_TIMED_OUT: 'KAFKA_UNREACHABLE',
  LEADER_NOT_AVAILABLE: 'KAFKA_UNREACHABLE',
  BROKER_NOT_AVAILABLE: 'KAFKA_UNREACHABLE',
  COORDINATOR_NOT_AVAILABLE: 'KAFKA_UNREACHABLE',
};

export interface ProtocolFailure {
  apiId: string;
  serverErrorMessage?: string | null;
}

/** The first Kafka protocol error inside a client error (they nest in `errors` and `cause`). */
export function protocolFailure(error: unknown, depth = 0): ProtocolFailure | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const e = error as { apiId?: unknown; errors?: unknown[]; cause?: unknown };
  if (typeof e.apiId === 'string') return error as ProtocolFailure;
  for (const inner of [...(e.errors ?? []), e.cause]) {
    const found = protocolFailure(inner, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The code for a protocol error; a read-only broker setting comes back as INVALID_REQUEST
 * "Cannot update these configs dynamically", which is an invalid config to the operator. */
export function codeFor(failure: ProtocolFailure): KafkaAdminErrorCode {
  if (failure.apiId === 'INVALID_REQUEST' && /dynamically/.test(failure.serverErrorMessage ?? ''))
    return 'KAFKA_INVALID_CONFIG';
  return CODES[failure.apiId] ?? 'KAFKA_REQUEST';
}
