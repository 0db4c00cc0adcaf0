/**
 * The public shapes of a test environment: what {@link TestEnvOptions} `startTestEnv()` takes and the
 * {@link TestEnv} it returns. `testEnv.ts` builds one; `runManager.ts` runs an operator in it.
 */
import type { ApiServer, ApiServerOptions } from '@steward/apiserver';
import type {
  Class,
  ControllerLogEntry,
  CustomResourceDefinition,
  KubeClient,
  KubeConfigLike,
  loadKubeConfig,
  Manager,
} from '@steward/core';
import type { KubeletSimulation } from '../sim/kubelet.js';
import type { SimulationPart, SimulationSelection } from '../sim/simulationTypes.js';

/** client-node's `KubeConfig`, named through core so this package needs no direct dependency on it. */
export type KubeConfig = ReturnType<typeof loadKubeConfig>;

/** Where the environment runs: a fresh embedded API server, or an existing cluster. */
export type TestTarget = 'embedded' | { kubeConfig: KubeConfigLike };

export interface TestEnvOptions {
  /** `@CustomResource` classes or CRD objects: installed, then waited on until the API serves them. */
  crds?: readonly (Class | CustomResourceDefinition)[];
  /**
   * Runs the cluster simulation on a dedicated manager: `true` (every part the target lacks), a
   * selection of parts, or parts built by hand.
   */
  simulate?: boolean | SimulationSelection | readonly SimulationPart[];
  /**
   * Default `'embedded'`, or the cluster in `STEWARD_TEST_KUBECONFIG` (a kubeconfig path) when that
   * variable is set.
   */
  target?: TestTarget;
  /** `true`: a fresh namespace (random suffix), deleted on `stop()`. Default: `default`. */
  namespace?: boolean;
  /** Options of the embedded server (`bookmarkIntervalMs`, `historyLimit`, …); `port` defaults to 0. */
  server?: ApiServerOptions;
  /** How long to wait for each CRD to be served. Default 30 000 ms. */
  crdTimeoutMs?: number;
  /** Also receives the simulation manager's log lines (they are kept in `simulation.logs` anyway). */
  log?: (entry: ControllerLogEntry) => void;
}

/** What the simulation installed (the parts' own handles, such as the kubelet's controls). */
export interface TestSimulation {
  readonly parts: readonly SimulationPart[];
  /** The kubelet part's imperative controls, when it runs (see `sim/kubelet.ts`). */
  readonly kubelet?: KubeletSimulation;
  /** Every line the simulation manager logged. */
  readonly logs: readonly ControllerLogEntry[];
}

export interface TestEnv {
  /** The target's kubeconfig (a client-node `KubeConfig`). */
  readonly kubeConfig: KubeConfig;
  /** The same kubeconfig in a file, its context set to `namespace`: `kubectl --kubeconfig <path>`. */
  readonly kubeconfigPath: string;
  /** A client for the test's own reads and writes (no client-side rate limit). */
  readonly client: KubeClient;
  /** The embedded server (for `server.faults`), when the target is embedded. */
  readonly server: ApiServer | undefined;
  /** Where the test works: the fresh namespace with `namespace: true`, else `default`. */
  readonly namespace: string;
  /** `'embedded'` or `'cluster'`: what the simulation was chosen for. */
  readonly target: 'embedded' | 'cluster';
  /** The simulation's manager, started; `undefined` without `simulate`. */
  readonly manager: Manager | undefined;
  /** The simulation's parts and controls; `undefined` without `simulate`. */
  readonly simulation: TestSimulation | undefined;
  /**
   * Stops the managers started in this environment, deletes the fresh namespace (on a real cluster),
   * stops the embedded server and removes the kubeconfig's directory. Safe to call twice.
   */
  stop(): Promise<void>;
}
