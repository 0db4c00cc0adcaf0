/**
 * The simulated cluster (StatefulSets, volumes, kubelet, garbage collector) and ring beside an
 * operator under `perturbationTest`, one per embedded API server. Start with {@link clusterFor}.
 *
 * Why this exists: `perturbationTest` starts a fresh embedded server for every run and hands the
 * test only `setup(manager)`, with no hook to run the cluster simulation (an issue for
 * @steward/testing). The simulation must not run on the operator's manager: its writes would be
 * counted and perturbed as the operator's. So the server's URL is learnt from the operator client's
 * first request (node:diagnostics_channel) and the simulation runs on a manager and client of its
 * own there, kept across the operator's simulated crashes and replaced when the next run's server
 * appears.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { kubeConfigFor } from '@steward/apiserver';
import { builtin, manager } from '@steward/core';
import type { KubeClient, Manager } from '@steward/core';
import { installSimulation, OPERATOR_USER_AGENT } from '@steward/testing';
import { simulatedRing } from '../../src/admin/simulatedRing.js';
import type { SimulatedRing } from '../../src/admin/simulatedRing.js';
import { LABELS } from '../../src/resources/labels.js';

interface Cluster {
  url: string;
  sim: Manager;
  ring: SimulatedRing;
}

let current: Cluster | undefined;

/** The ring of the cluster the latest run uses (for invariants), if one is running. */
export const currentRing = (): SimulatedRing | undefined => current?.ring;

/** The URL the operator's client talks to, seen on its next request. */
async function serverUrlOf(client: KubeClient): Promise<string> {
  let url: string | undefined;
  const onRequest = (message: unknown): void => {
    const request = (message as { request: ClientRequest }).request;
    const agent = String(request.getHeader('user-agent') ?? '');
    if (url === undefined && agent.includes(OPERATOR_USER_AGENT)) {
      url = `${request.protocol}//${String(request.getHeader('host'))}`;
    }
  };
  subscribe('http.client.request.start', onRequest);
  try {
    await client.list(builtin.namespaces, { limit: 1 });
  } finally {
    unsubscribe('http.client.request.start', onRequest);
  }
  if (url === undefined) throw new Error('could not learn the API server URL from the operator client');
  return url;
}

/** The simulated cluster and ring of the server `operator` talks to, started on first sight. */
export async function clusterFor(operator: Manager): Promise<SimulatedRing> {
  const url = await serverUrlOf(operator.client);
  if (current?.url === url) return current.ring;
  await stopCluster();
  const sim = manager({ kubeConfig: kubeConfigFor(url), log: () => {} });
  const { kubelet } = await installSimulation(
    sim,
    {
      kubelet: { startDelayMs: 10, readyDelayMs: 10, probeIntervalMs: 50 },
      statefulSets: true,
      volumes: true,
      garbageCollector: true,
    },
    { target: 'embedded' },
  );
  const ring = simulatedRing({
    client: sim.client,
    startMs: 10,
    joinMs: 80,
    decommissionMs: 120,
    drainMs: 5,
    cleanupMs: 20,
    leftRetentionMs: 400,
    selector: { labelSelector: LABELS.datacenter },
  });
  kubelet?.attach(ring.dataPlane);
  await sim.start();
  current = { url, sim, ring };
  return ring;
}

/** Stops the last run's simulation (its server is gone already). */
export async function stopCluster(): Promise<void> {
  const last = current;
  current = undefined;
  if (last === undefined) return;
  last.ring.close();
  await last.sim.stop({ deadlineMs: 0 });
}
