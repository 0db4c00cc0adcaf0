/**
 * The volume cases (`volumes/volumeCases.fixture.ts`) against the real control plane, which runs the
 * PV controller but no provisioner: the simulation provisions, in a namespace of its own. Skipped
 * unless STEWARD_CONTROL_PLANE_KUBECONFIG is set.
 */
import { randomBytes } from 'node:crypto';
import { describe } from '@jest/globals';
import { builtin, manager } from '@steward/core';
import { DEFAULT_PROVISIONER, volumeSimulation } from './volumes.js';
import { volumeCases } from './volumes/volumeCases.fixture.js';

const kubeconfig = process.env['STEWARD_CONTROL_PLANE_KUBECONFIG'];

(kubeconfig ? describe : describe.skip)('volume simulation on the real control plane', () => {
  volumeCases(async () => {
    const namespace = `sim-volumes-${randomBytes(3).toString('hex')}`;
    const m = manager({ kubeConfig: kubeconfig ?? '', log: () => {} });
    await m.client.create(builtin.namespaces, { metadata: { name: namespace } });
    // Claims of this namespace only: other sessions share the plane.
    await volumeSimulation({ namespace }).install(m);
    await m.start();
    return {
      client: m.client,
      namespace,
      provisioner: DEFAULT_PROVISIONER,
      async stop() {
        await m.client.delete(builtin.namespaces, namespace).catch(() => {});
        await m.stop({ deadlineMs: 2_000 });
      },
    };
  }, 20_000);
});
