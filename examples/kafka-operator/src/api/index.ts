/** The Kafka operator's custom resources: start with `kafkaCluster.ts`, then `kafkaTopic.ts`. */
export * from './kafkaCluster.js';
export * from './kafkaTopic.js';
