/** Pure builders of the objects a cluster owns. Start with `instancePod.ts`. */
export * from './instancePod.js';
export * from './pdbs.js';
export * from './secrets.js';
export * from './services.js';
