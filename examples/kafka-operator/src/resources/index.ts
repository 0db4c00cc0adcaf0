/** Pure builders of the Kubernetes objects of a Kafka cluster: start with `nodePod.ts`. */
export * from './labels.js';
export * from './nodePod.js';
export * from './services.js';
