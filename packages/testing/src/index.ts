/**
 * @steward/testing — test environments, cluster simulation and fault injection for operators. This
 * shell holds {@link waitFor}; environments and the simulation land with the testing issue.
 */
export { waitFor, WaitTimeoutError } from './waitFor.js';
export type { WaitForOptions } from './waitFor.js';
