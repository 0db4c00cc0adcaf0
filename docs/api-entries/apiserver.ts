/**
 * The embedded Kubernetes API server: real HTTP on loopback, in memory, with a fault API. Start with
 * `startApiServer()`.
 *
 * @module @steward/apiserver
 */
export * from '../../packages/apiserver/src/index.js';
