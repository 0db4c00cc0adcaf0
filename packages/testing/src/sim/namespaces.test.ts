/**
 * The simulated namespace controller on the embedded API server, through the same cases the real
 * control plane's controller passes (`namespaceCases.fixture.ts`).
 */
import { describe } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import { kubeClient, loadKubeConfig, manager } from '@steward/core';
import { namespaceCases } from './namespaceCases.fixture.js';
import { namespaceSimulation } from './namespaces.js';

describe('namespaceSimulation on the embedded server', () => {
  namespaceCases(async () => {
    const server = await startApiServer({ port: 0 });
    const sim = manager({ kubeConfig: server.kubeConfig, log: () => {} });
    await namespaceSimulation({ recheckMs: 100 }).install(sim);
    await sim.start();
    const client = kubeClient(loadKubeConfig(server.kubeConfig));
    return {
      client,
      async stop() {
        client.close();
        await sim.stop({ deadlineMs: 1000 });
        await server.stop();
      },
    };
  });
});
