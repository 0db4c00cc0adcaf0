/** Fault injection: {@link createFaults} for the programmatic API, `handleAdmin` for the HTTP one. */
export { createFaults } from './faults.js';
export type {
  FailureKind,
  FaultHandle,
  FaultTarget,
  Faults,
  RequestMatch,
  WatchFilter,
  WatchLike,
} from './faults.js';
export { ADMIN_PREFIX, handleAdmin } from './adminRoutes.js';
