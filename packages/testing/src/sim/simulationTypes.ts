/**
 * The contract every part of the cluster simulation keeps: a named part that registers its
 * controllers (written on `@steward/core`) with a manager, so it runs against any API server, embedded
 * or real. Start with {@link SimulationPart}; `simulation.ts` combines parts, and each part's module
 * (`statefulSets.ts`, `kubelet.ts`, `garbageCollector.ts`, …) builds one.
 */
import type { KubeClient, Manager } from '@steward/core';

export interface SimulationPart {
  /** Stable, kebab-case: `statefulsets`, `kubelet`, `garbage-collector`, `namespaces`, `volumes`, `endpoints`. */
  readonly name: string;
  /**
   * Registers the part's controllers with `manager` (through `manager.add`) and creates any objects it
   * needs up front (simulated Nodes, a default StorageClass). Called before `manager.start()`.
   */
  install(manager: Manager): void | Promise<void>;
}

/** Which parts `simulation()` runs; `true` takes a part's defaults, an object configures it. */
export interface SimulationSelection {
  statefulSets?: boolean | object;
  kubelet?: boolean | object;
  garbageCollector?: boolean | object;
  namespaces?: boolean | object;
  volumes?: boolean | object;
  endpoints?: boolean | object;
}

/** What a part's imperative controls (fail a node, restart a container) act through. */
export interface SimulationDeps {
  client: KubeClient;
}
