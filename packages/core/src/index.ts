/**
 * @steward/core — the controller machinery: client, informers, work queues, controllers, finalizers,
 * decorators, manager. This shell holds the shared foundations (coded errors, MicroTime); the control
 * loop lands with the core issue. See docs/architecture.md for the pipeline.
 */
export { StewardError, TerminalError, isTerminal } from './errors/errors.js';
export type { StewardErrorOptions } from './errors/errors.js';
export { microTime, parseMicroTime } from './time/microTime.js';
