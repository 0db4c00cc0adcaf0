/**
 * The Kafka operator as one value: its two resources and their controllers, for a manager, the CLI
 * (`steward manifests`) and tests. Start with {@link kafkaOperator}.
 */
import { addController, defineOperator } from '@steward/core';
import type { OperatorDefinition } from '@steward/core';
import type { KafkaAdmin } from './admin/kafkaAdmin.js';
import { KafkaCluster } from './api/kafkaCluster.js';
import { KafkaTopic } from './api/kafkaTopic.js';
import { ClusterController } from './controllers/clusterController.js';
import { TopicController } from './controllers/topicController.js';

export interface KafkaOperatorOptions {
  /** How the operator talks to Kafka: `kafkaClientAdmin()` on a real cluster, `simulatedKafka().admin` in tests. */
  admin: KafkaAdmin;
  /** How often to look at Kafka while something is in progress (default 2 s). */
  pollIntervalMs?: number;
  /** How often to look at a settled cluster (default 30 s). */
  resyncIntervalMs?: number;
}

export function kafkaOperator(options: KafkaOperatorOptions): OperatorDefinition {
  return defineOperator({
    name: 'kafka-operator',
    resources: [KafkaCluster, KafkaTopic],
    setup: (manager) => {
      addController(manager, new ClusterController(options));
      addController(manager, new TopicController(options));
    },
  });
}
