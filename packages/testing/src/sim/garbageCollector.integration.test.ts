/**
 * The garbage-collection cases (`garbageCollectorCases.fixture.ts`) against the real control plane,
 * whose kube-controller-manager collects: what the simulated collector is checked against. Skipped
 * unless STEWARD_CONTROL_PLANE_KUBECONFIG is set.
 */
import { describe } from '@jest/globals';
import { kubeClient, loadKubeConfig } from '@steward/core';
import { garbageCollectorCases } from './garbageCollectorCases.fixture.js';

const kubeconfig = process.env['STEWARD_CONTROL_PLANE_KUBECONFIG'];

(kubeconfig ? describe : describe.skip)('garbage collection on the real control plane', () => {
  garbageCollectorCases(async () => {
    const client = kubeClient(loadKubeConfig(kubeconfig));
    return {
      client,
      stop: async () => client.close(),
    };
  });
});
