/**
 * The simulated kubelet's public shapes: its options, its handle with the imperative controls, and the
 * data-plane hook a test attaches. Start with {@link KubeletSimulation}; `../kubelet.ts` builds one.
 */
import type { KubeObject } from '@steward/core';
import type { SimulationPart } from '../simulationTypes.js';
import type { LabelSelector } from './selectors.js';

export interface KubeletSimulationOptions {
  /**
   * How many simulated Nodes (named `sim-node-0` …) or their names. Default 3. Each gets
   * `topology.kubernetes.io/zone` round-robin over `zones`.
   */
  nodes?: number | string[];
  /** Zones the nodes are spread over. Default `zone-a`, `zone-b`, `zone-c`. */
  zones?: string[];
  /** Bound → Running (containers started). Default 50 ms. */
  startDelayMs?: number;
  /** Running → Ready (containers ready), after a start or a restart. Default 50 ms. */
  readyDelayMs?: number;
  /**
   * How often a Running pod's readiness is asked again while a data plane with `ready` matches it (a
   * kubelet's readiness probe period). Default 100 ms.
   */
  probeIntervalMs?: number;
  /** How often each healthy node renews its Lease in `kube-node-lease` (a kubelet's 10 s). */
  heartbeatMs?: number;
  /**
   * Schedule and run only pods of this namespace. Needed on a shared real cluster, where other tests'
   * pods must not land on these nodes. Default: every namespace.
   */
  namespace?: string;
}

/** A pod, named: `{ namespace, name }`. */
export interface PodName {
  namespace: string;
  name: string;
}

/**
 * A system running in the simulated pods (a database ring, a message broker), so that a pod's
 * readiness is the system's, as in a real cluster where a readiness probe asks the process.
 */
export interface SimulatedDataPlane {
  /** Which pods run this system. Both optional: an empty selector matches every pod. */
  selector: { namespace?: string; labelSelector?: LabelSelector | string };
  /**
   * The system's own readiness of this pod, asked once the containers are up and `readyDelayMs`
   * passed, then every `probeIntervalMs` while the pod runs; `false` or a throw keeps it NotReady.
   */
  ready?(pod: KubeObject): boolean | Promise<boolean>;
  /** The pod's containers started (first start, after a restart, after its node recovered). */
  started?(pod: KubeObject): void | Promise<void>;
  /** The pod's containers stopped: it is being deleted, its node failed, or it is restarting. */
  stopped?(pod: KubeObject): void | Promise<void>;
}

export interface KubeletSimulation extends SimulationPart {
  readonly name: 'kubelet';
  /** The simulated nodes' names, in creation order. */
  readonly nodeNames: readonly string[];
  /**
   * The node stops heartbeating; its Ready condition becomes Unknown and its pods NotReady (their
   * data planes `stopped`). What happens next depends on the API server: see the README.
   */
  failNode(name: string): Promise<void>;
  /** The node is Ready again; its pods' containers start again and become Ready after the delays. */
  recoverNode(name: string): Promise<void>;
  /**
   * Restarts one container (or all of the pod's): restartCount + 1, NotReady until `readyDelayMs`
   * passed (and the data plane says ready).
   */
  restartContainer(pod: PodName, container?: string): Promise<void>;
  /** Forces the pod's Ready condition (`true`/`false`) until cleared with `undefined`. */
  setPodReady(pod: PodName, ready: boolean | undefined): Promise<void>;
  /** Runs `system` in the matching pods; returns the detach function. */
  attach(system: SimulatedDataPlane): () => void;
}
