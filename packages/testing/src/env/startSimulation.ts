/**
 * Runs the cluster simulation of a test environment on its own manager (its own client, user agent
 * `steward-simulation`, so fault filters can tell it from the operator under test). Start with
 * {@link startSimulation}.
 */
import { kubeClient, manager } from '@steward/core';
import type { ControllerLogEntry, Manager } from '@steward/core';
import type { KubeletSimulation } from '../sim/kubelet.js';
import { installSimulation } from '../sim/simulation.js';
import type { SimulationPart, SimulationSelection } from '../sim/simulationTypes.js';
import { TestEnvError } from './testEnvErrors.js';
import type { KubeConfig, TestSimulation } from './testEnvTypes.js';

/** The user agent of the simulation's requests (`server.faults` matches on it). */
export const SIMULATION_USER_AGENT = 'steward-simulation';

export interface RunningSimulation {
  manager: Manager;
  simulation: TestSimulation;
  stop(): Promise<void>;
}

/**
 * Builds the simulation's manager, installs the parts (given, or chosen by `installSimulation` for the
 * target) and starts it; a failure stops what started and throws `TEST_ENV_SIMULATION`.
 */
export async function startSimulation(
  kubeConfig: KubeConfig,
  simulate: true | SimulationSelection | readonly SimulationPart[],
  target: 'embedded' | 'cluster',
  log: ((entry: ControllerLogEntry) => void) | undefined,
): Promise<RunningSimulation> {
  const client = kubeClient(kubeConfig, { qps: Infinity, userAgent: SIMULATION_USER_AGENT });
  const logs: ControllerLogEntry[] = [];
  const m = manager({
    client,
    leaderElection: false,
    shutdownTimeoutMs: 5_000,
    log: (entry) => {
      logs.push(entry);
      log?.(entry);
    },
  });
  const stop = async (): Promise<void> => {
    try {
      await m.stop();
    } finally {
      client.close();
    }
  };
  try {
    let parts: readonly SimulationPart[];
    let kubelet: KubeletSimulation | undefined;
    if (Array.isArray(simulate)) {
      parts = simulate as readonly SimulationPart[];
      for (const part of parts) await part.install(m);
    } else {
      const installed = await installSimulation(m, simulate as true | SimulationSelection, { target });
      parts = installed.parts;
      kubelet = installed.kubelet;
    }
    await m.start();
    const simulation: TestSimulation = kubelet === undefined ? { parts, logs } : { parts, kubelet, logs };
    return { manager: m, simulation, stop };
  } catch (error) {
    await stop().catch(() => {});
    throw new TestEnvError(
      'TEST_ENV_SIMULATION',
      `startTestEnv: the simulation did not start: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
