/**
 * @steward/testing — test environments, cluster simulation and fault injection for operators. This
 * shell holds {@link waitFor}; environments and the simulation land with the testing issue.
 */
export { waitFor, WaitTimeoutError } from './waitFor.js';
export type { WaitForOptions } from './waitFor.js';
export { startTestEnv, TEST_KUBECONFIG_ENV, TEST_ENV_USER_AGENT } from './env/testEnv.js';
export type { KubeConfig, TestEnv, TestEnvOptions, TestSimulation, TestTarget } from './env/testEnvTypes.js';
export { TestEnvError } from './env/testEnvErrors.js';
export { runManager, OPERATOR_USER_AGENT } from './env/runManager.js';
export type { RunManagerOptions, RunningManager } from './env/runManager.js';
export { SIMULATION_USER_AGENT } from './env/startSimulation.js';
export { installCrds, crdOf } from './env/installCrds.js';
export { statefulSetSimulation } from './sim/statefulSets.js';
export type { StatefulSetSimulationOptions } from './sim/statefulSets.js';
export { invariant, never } from './invariants/invariant.js';
export type { InvariantOptions } from './invariants/invariant.js';
export {
  atMostNotReady,
  isPodReady,
  noClaimDeletedWhilePodExists,
  serviceSelectsExactly,
} from './invariants/podInvariants.js';
export {
  watchInvariants,
  describeViolation,
  InvariantViolationError,
  UnwatchedKindError,
} from './invariants/watchInvariants.js';
export type { InvariantWatch, WatchInvariantsOptions } from './invariants/watchInvariants.js';
export type {
  CheckResult,
  EventSummary,
  Invariant,
  InvariantCheck,
  InvariantEvent,
  Snapshot,
  Violation,
} from './invariants/invariantTypes.js';
export { selectorMatcher, LabelSelectorError } from './invariants/labelSelector.js';
export type { LabelSelector } from './invariants/labelSelector.js';
export { volumeSimulation, DEFAULT_PROVISIONER } from './sim/volumes.js';
export type { VolumeSimulationOptions } from './sim/volumes.js';
export { kubeletSimulation, KubeletSimulationError } from './sim/kubelet.js';
export type {
  KubeletSimulation,
  KubeletSimulationOptions,
  PodName,
  SimulatedDataPlane,
} from './sim/kubelet.js';
export { endpointsSimulation } from './sim/endpoints.js';
export type { EndpointsSimulationOptions } from './sim/endpoints.js';
export { garbageCollectorSimulation, DEFAULT_GC_KINDS } from './sim/garbageCollector.js';
export type { GarbageCollectorOptions } from './sim/garbageCollector.js';
export { namespaceSimulation } from './sim/namespaces.js';
export type { NamespaceSimulationOptions } from './sim/namespaces.js';
export { simulationParts, installSimulation, SimulationConfigError } from './sim/simulation.js';
export type { InstalledSimulation, SimulationTarget } from './sim/simulation.js';
export type { SimulationPart, SimulationSelection } from './sim/simulationTypes.js';
export {
  perturbationTest,
  perturbationsFor,
  formatReport,
  PerturbationTestError,
} from './perturb/perturbationTest.js';
export { OperatorCrashedError } from './perturb/recordingClient.js';
export type { Perturbation } from './perturb/runSchedule.js';
export type {
  Divergence,
  PerturbationFamily,
  PerturbationInvariant,
  PerturbationReport,
  PerturbationTestOptions,
  RecordedWrite,
  RunSummary,
  Step,
} from './perturb/perturbationTypes.js';
