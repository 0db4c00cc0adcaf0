/**
 * Choosing the simulation's parts, and every part running together on one manager against the
 * embedded server.
 */
import { describe, expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import { builtin, kubeClient, loadKubeConfig, manager, NotFoundError } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { waitFor } from '../waitFor.js';
import { installSimulation, SimulationConfigError, simulationParts } from './simulation.js';

const names = (parts: readonly { name: string }[]): string[] => parts.map((p) => p.name);

describe('simulationParts', () => {
  test('true: every part on the embedded server, only kubelet and volumes on a real cluster', () => {
    expect(names(simulationParts(true, { target: 'embedded' }))).toEqual([
      'namespaces',
      'garbage-collector',
      'volumes',
      'statefulsets',
      'endpoints',
      'kubelet',
    ]);
    expect(names(simulationParts(true, { target: 'cluster' }))).toEqual(['volumes', 'kubelet']);
  });

  test('an object turns on exactly the parts it names, on any target', () => {
    const selection = { garbageCollector: { customResources: false }, kubelet: true, statefulSets: false };
    expect(names(simulationParts(selection, { target: 'cluster' }))).toEqual([
      'garbage-collector',
      'kubelet',
    ]);
    expect(names(simulationParts({}, { target: 'embedded' }))).toEqual([]);
  });

  test('an unknown part is a SimulationConfigError naming it and the known ones', () => {
    const typo = { garbagecollector: true } as unknown as Record<string, boolean>;
    expect(() => simulationParts(typo, { target: 'embedded' })).toThrow(SimulationConfigError);
    expect(() => simulationParts(typo, { target: 'embedded' })).toThrow(
      /unknown part "garbagecollector"; the parts are namespaces, garbageCollector/,
    );
  });
});

test('installSimulation(true): a StatefulSet gets a Ready Pod; deleting its namespace removes it all', async () => {
  const server = await startApiServer({ port: 0 });
  const sim = manager({ kubeConfig: server.kubeConfig, log: () => {} });
  const client = kubeClient(loadKubeConfig(server.kubeConfig));
  try {
    const installed = await installSimulation(sim, true, { target: 'embedded' });
    expect(installed.kubelet?.name).toBe('kubelet');
    await sim.start();
    const ns = 'sim-all';
    await client.create(builtin.namespaces, { metadata: { name: ns } });
    await client.create(builtin.statefulsets, {
      metadata: { name: 'web', namespace: ns },
      spec: {
        replicas: 1,
        serviceName: 'web',
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    });
    await waitFor(
      async () => {
        const pod = await client.get<
          KubeObject & { status?: { conditions?: { type: string; status: string }[] } }
        >(builtin.pods, 'web-0', { namespace: ns });
        return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      },
      { timeout: 30_000, description: 'pod web-0 Ready' },
    );
    await client.delete(builtin.namespaces, ns);
    await waitFor(
      () =>
        client.get(builtin.namespaces, ns).then(
          () => false,
          (e: unknown) => e instanceof NotFoundError,
        ),
      { timeout: 30_000, description: `namespace ${ns} gone` },
    );
    const { items } = await client.list(builtin.pods, { namespace: ns });
    expect(items).toEqual([]);
  } finally {
    client.close();
    await sim.stop({ deadlineMs: 1000 });
    await server.stop();
  }
}, 60_000);
