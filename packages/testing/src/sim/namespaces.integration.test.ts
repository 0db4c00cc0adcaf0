/**
 * The namespace-deletion cases (`namespaceCases.fixture.ts`) against the real control plane, whose
 * namespace controller is what the simulation is checked against. Skipped unless
 * STEWARD_CONTROL_PLANE_KUBECONFIG is set.
 */
import { describe } from '@jest/globals';
import { kubeClient, loadKubeConfig } from '@steward/core';
import { namespaceCases } from './namespaceCases.fixture.js';

const kubeconfig = process.env['STEWARD_CONTROL_PLANE_KUBECONFIG'];

(kubeconfig ? describe : describe.skip)('namespace deletion on the real control plane', () => {
  namespaceCases(async () => {
    const client = kubeClient(loadKubeConfig(kubeconfig));
    return { client, stop: async () => client.close() };
  });
});
