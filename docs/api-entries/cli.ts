/**
 * The `steward` command line as a library: scaffolding, CRD and type generation, manifests and local
 * runs. Start with `run()`.
 *
 * @module @steward/cli
 */
export * from '../../packages/cli/src/index.js';
