/** The operator's controllers. Start with `clusterController.ts`. */
export { PostgresClusterController } from './clusterController.js';
export type { ClusterControllerOptions } from './clusterController.js';
export { PostgresDatabaseController } from './databaseController.js';
export type { DatabaseControllerOptions } from './databaseController.js';
export { defaultResolveInstance } from './observe.js';
export type { ResolveInstance } from './observe.js';
