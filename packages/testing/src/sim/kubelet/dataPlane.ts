/**
 * The data planes attached to the simulated kubelet: which systems run in a pod, and calling their
 * hooks so that a hook's failure is logged and never stops the kubelet. Start with {@link dataPlanes}.
 */
import type { ControllerLogger, KubeObject } from '@steward/core';
import type { SimulatedDataPlane } from './kubeletTypes.js';
import { matchesLabelSelector } from './selectors.js';

export interface DataPlanes {
  attach(system: SimulatedDataPlane): () => void;
  /** Whether any attached system's selector matches the pod and it has a `ready` hook. */
  probes(pod: KubeObject): boolean;
  /** Every matching system's `ready`; true when there is none. A throw counts as not ready. */
  ready(pod: KubeObject): Promise<boolean>;
  started(pod: KubeObject): Promise<void>;
  stopped(pod: KubeObject): Promise<void>;
}

export function dataPlanes(log: () => ControllerLogger | undefined): DataPlanes {
  const systems = new Set<SimulatedDataPlane>();
  const matching = (pod: KubeObject): SimulatedDataPlane[] =>
    [...systems].filter(
      ({ selector }) =>
        (selector.namespace === undefined || selector.namespace === pod.metadata.namespace) &&
        matchesLabelSelector(selector.labelSelector, pod.metadata.labels),
    );
  const report = (hook: string, pod: KubeObject, error: unknown): void =>
    log()?.({
      level: 'error',
      controller: 'kubelet',
      msg: `data plane ${hook} hook failed for pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`,
      error,
    });
  const each = async (hook: 'started' | 'stopped', pod: KubeObject): Promise<void> => {
    for (const system of matching(pod)) {
      try {
        await system[hook]?.(pod);
      } catch (error) {
        report(hook, pod, error);
      }
    }
  };
  return {
    attach(system) {
      systems.add(system);
      return () => void systems.delete(system);
    },
    probes: (pod) => matching(pod).some((s) => s.ready !== undefined),
    async ready(pod) {
      for (const system of matching(pod)) {
        if (system.ready === undefined) continue;
        try {
          if (!(await system.ready(pod))) return false;
        } catch (error) {
          report('ready', pod, error);
          return false;
        }
      }
      return true;
    },
    started: (pod) => each('started', pod),
    stopped: (pod) => each('stopped', pod),
  };
}
