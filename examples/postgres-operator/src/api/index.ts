/** The operator's resources and the names they share. Start with `postgresCluster.ts`. */
export * from './labels.js';
export * from './postgresCluster.js';
export * from './postgresDatabase.js';
