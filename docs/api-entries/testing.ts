/**
 * Test support: environments on the embedded API server or a real cluster, the cluster simulation,
 * invariants and perturbation testing. Start with `startTestEnv()` and `runManager()`.
 *
 * @module @steward/testing
 */
export * from '../../packages/testing/src/index.js';
