/** The Kafka operator's controllers: start with `clusterController.ts`, whose decisions are `plan.ts`. */
export * from './clusterController.js';
export * from './topicController.js';
export * from './plan.js';
export * from './topicPlan.js';
