/**
 * The admin interface and its implementations, as the controllers import them. Start with
 * `KafkaAdmin` (kafkaAdmin.ts), then `simulatedKafka` (tests) or `kafkaClientAdmin` (a real cluster).
 */
export type {
  BrokerInfo,
  ClusterAddress,
  ClusterInfo,
  KafkaAdmin,
  PartitionInfo,
  Reassignment,
  TopicInfo,
  TopicSpec,
} from './kafkaAdmin.js';
export { KafkaAdminError, describeCluster } from './kafkaErrors.js';
export type { KafkaAdminErrorCode } from './kafkaErrors.js';
export { isDynamicBrokerConfig, splitBrokerConfig } from './brokerConfigs.js';
export {
  compareMetadataVersions,
  formatMetadataVersion,
  highestMetadataVersion,
  parseMetadataVersion,
} from './metadataVersions.js';
export type { MetadataLevel } from './metadataVersions.js';
export { simulatedKafka, CLUSTER_LABEL, NODE_ID_LABEL, ROLE_LABEL } from './simulatedKafka.js';
export type {
  ClusterFilter,
  KafkaDataPlane,
  NodeRef,
  SimulatedClusterState,
  SimulatedKafka,
  SimulatedKafkaOptions,
  SimulatedNode,
  SimulatedTopic,
} from './simulatedKafkaTypes.js';
export type { KafkaEvent, KafkaEventType, KafkaTimings } from './simulatedState.js';
export { kafkaClientAdmin } from './kafkaClientAdmin.js';
export type { KafkaClientAdmin, KafkaClientAdminOptions } from './kafkaClientAdmin.js';
export { metadataFeatureLevel, metadataVersionName } from './metadataVersions.js';
