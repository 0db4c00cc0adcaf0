/**
 * The simulated cluster as a whole: which parts a selection turns on, and installing them on one
 * manager. Start with {@link installSimulation}; {@link simulationParts} only builds the parts.
 */
import { StewardError } from '@steward/core';
import type { Manager } from '@steward/core';
import { endpointsSimulation } from './endpoints.js';
import { garbageCollectorSimulation } from './garbageCollector.js';
import { kubeletSimulation } from './kubelet.js';
import type { KubeletSimulation } from './kubelet.js';
import { namespaceSimulation } from './namespaces.js';
import { statefulSetSimulation } from './statefulSets.js';
import type { SimulationPart, SimulationSelection } from './simulationTypes.js';
import { volumeSimulation } from './volumes.js';

/** What the simulation runs against: a bare API server, or a cluster with its own controller-manager. */
export interface SimulationTarget {
  target: 'embedded' | 'cluster';
}

/** A selection naming a part that does not exist (a typo such as `garbagecollector`). */
export class SimulationConfigError extends StewardError {
  constructor(message: string) {
    super('SIMULATION_CONFIG', message, false);
  }
}

type Key = keyof SimulationSelection;

/** Every part, in install order, with its factory; `cluster: true` marks what a real cluster lacks. */
const PARTS: readonly { key: Key; cluster: boolean; make(options: object): SimulationPart }[] = [
  { key: 'namespaces', cluster: false, make: (o) => namespaceSimulation(o) },
  {
    key: 'garbageCollector',
    cluster: false,
    make: (o) => garbageCollectorSimulation(o),
  },
  { key: 'volumes', cluster: true, make: (o) => volumeSimulation(o) },
  {
    key: 'statefulSets',
    cluster: false,
    make: (o) => statefulSetSimulation(o),
  },
  { key: 'endpoints', cluster: false, make: (o) => endpointsSimulation(o) },
  { key: 'kubelet', cluster: true, make: (o) => kubeletSimulation(o) },
];

/**
 * The parts a selection turns on. `true` means every part the target lacks: all of them on the
 * embedded server; on a real cluster, whose controller-manager already runs the StatefulSet, garbage
 * collection, namespace and Endpoints controllers, only `kubelet` and `volumes` (it has no kubelet and
 * no provisioner). An object turns on exactly the parts it names (`true` for a part's defaults, an
 * object for its options), whatever the target.
 */
export function simulationParts(
  selection: true | SimulationSelection,
  { target }: SimulationTarget,
): SimulationPart[] {
  if (selection === true)
    return PARTS.filter((p) => target === 'embedded' || p.cluster).map((p) => p.make({}));
  const known = new Set<string>(PARTS.map((p) => p.key));
  const unknown = Object.keys(selection).filter((k) => !known.has(k));
  if (unknown.length > 0)
    throw new SimulationConfigError(
      `simulate: unknown part ${unknown.map((k) => JSON.stringify(k)).join(', ')}; ` +
        `the parts are ${PARTS.map((p) => p.key).join(', ')}`,
    );
  const parts: SimulationPart[] = [];
  for (const p of PARTS) {
    const choice = selection[p.key];
    if (choice === undefined || choice === false) continue;
    parts.push(p.make(choice === true ? {} : choice));
  }
  return parts;
}

export interface InstalledSimulation {
  parts: readonly SimulationPart[];
  /** The kubelet part's controls (fail a node, restart a container, data-plane hooks), when it runs. */
  kubelet?: KubeletSimulation;
}

/** Builds the selected parts and registers each with `manager`; call before `manager.start()`. */
export async function installSimulation(
  manager: Manager,
  selection: true | SimulationSelection,
  target: SimulationTarget,
): Promise<InstalledSimulation> {
  const parts = simulationParts(selection, target);
  for (const part of parts) await part.install(manager);
  const kubelet = parts.find((p): p is KubeletSimulation => p.name === 'kubelet');
  return kubelet === undefined ? { parts } : { parts, kubelet };
}
