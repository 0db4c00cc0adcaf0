/**
 * The simulated garbage collector on the embedded API server, through the same cases the real
 * control plane's collector passes (`garbageCollectorCases.fixture.ts`).
 */
import { describe } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import { kubeClient, loadKubeConfig, manager } from '@steward/core';
import { garbageCollectorSimulation } from './garbageCollector.js';
import { garbageCollectorCases } from './garbageCollectorCases.fixture.js';

describe('garbageCollectorSimulation on the embedded server', () => {
  garbageCollectorCases(async () => {
    const server = await startApiServer({ port: 0 });
    const sim = manager({ kubeConfig: server.kubeConfig, log: () => {} });
    await garbageCollectorSimulation().install(sim);
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
