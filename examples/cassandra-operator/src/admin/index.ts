/**
 * The admin interface and its implementations, as the controllers import them. Start with
 * `CassandraAdmin` (cassandraAdmin.ts), then `managementApiAdmin` (HTTP) or `simulatedRing` (tests).
 */
export type { CassandraAdmin, Node, RingMember, RingState } from './cassandraAdmin.js';
export { CassandraAdminError, describeNode } from './adminErrors.js';
export type { CassandraAdminErrorCode } from './adminErrors.js';
export { endpointStateOf, ringMemberOf } from './endpointStates.js';
export type { EndpointState, EndpointsResponse } from './endpointStates.js';
export { managementApiAdmin } from './managementApiAdmin.js';
export type { ManagementApiAdminOptions } from './managementApiAdmin.js';
export { simulatedRing, DATACENTER_LABEL, RACK_LABEL, DATA_VOLUME } from './simulatedRing.js';
export type {
  PodRef,
  RingDataPlane,
  SimulatedMember,
  SimulatedRing,
  SimulatedRingOptions,
} from './simulatedRing.js';
export type { RingEvent, RingTimings } from './ringNode.js';
