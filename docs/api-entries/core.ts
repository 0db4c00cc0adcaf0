/**
 * The controller machinery: the client, informers, work queues, controllers, finalizers, decorators,
 * leader election and the manager. Start with `manager()`, `@CustomResource` and `@Controller`.
 *
 * @module @steward/core
 */
export * from '../../packages/core/src/index.js';
