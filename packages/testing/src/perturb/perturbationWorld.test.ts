/**
 * A perturbation run with the cluster simulation and a per-run world: pods really start (the simulated
 * kubelet), `prepare` builds one world per run, `setup` gets it again after a crash, `cleanup` undoes it.
 */
import { expect, jest, test } from '@jest/globals';
import { builtin } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { perturbationTest } from './perturbationTest.js';

jest.setTimeout(120_000);

interface World {
  id: number;
  setups: number;
  cleanedUp: boolean;
}

const isReady = (pod: KubeObject | undefined): boolean =>
  (
    (pod?.['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []
  ).some((c) => c.type === 'Ready' && c.status === 'True');

test('simulate starts pods; prepare, setup and cleanup share one world per run', async () => {
  const worlds: World[] = [];
  const report = await perturbationTest<World>({
    name: 'pod-labeller',
    simulate: { kubelet: true },
    prepare: () => {
      const world = { id: worlds.length + 1, setups: 0, cleanedUp: false };
      worlds.push(world);
      return world;
    },
    setup: (m, world) => {
      world.setups++;
      m.add({
        name: 'labeller',
        for: builtin.pods,
        async reconcile(pod, ctx) {
          if (!isReady(pod) || pod.metadata.labels?.['seen'] === 'true') return;
          await ctx.client.patch(
            builtin.pods,
            ctx.name,
            { metadata: { labels: { seen: 'true' } } },
            {
              namespace: ctx.namespace ?? 'default',
            },
          );
        },
      });
    },
    cleanup: (world) => {
      world.cleanedUp = true;
    },
    scenario: [
      {
        apply: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', namespace: 'default' },
          spec: { containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
      {
        wait: (s) => s.get(builtin.pods, 'default', 'p')?.metadata.labels?.['seen'] === 'true',
        description: 'pod p labelled seen once Ready',
      },
    ],
    only: 'crash-after-write:1',
  });
  expect(report.divergences).toEqual([]);
  expect(report.writes.map((w) => `${w.verb} ${w.kind} ${w.name}`)).toEqual(['patch Pod p']);
  // Two reference runs and the crash run, each with its own world, each cleaned up.
  expect(worlds.map((w) => w.id)).toEqual([1, 2, 3]);
  expect(worlds.every((w) => w.cleanedUp)).toBe(true);
  // The crash run's operator started twice (before and after the crash), on the same world.
  expect(worlds[2]?.setups).toBe(2);
});
