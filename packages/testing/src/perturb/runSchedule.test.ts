/**
 * What single perturbations do to the operator, seen from inside it: missed events hide an
 * intermediate state for good (not just late), and a 409 on a write makes a non-idempotent sample
 * bug show up.
 */
import { expect, jest, test } from '@jest/globals';
import { builtin } from '@steward/core';
import type { KubeObject, Manager } from '@steward/core';
import { perturbationTest } from './perturbationTest.js';
import type { PerturbationTestOptions } from './perturbationTypes.js';
import { runSchedule } from './runSchedule.js';
import {
  databaseCrd,
  databaseOperator,
  databaseScenario,
  passwordsAgree,
} from './samples/databaseOperator.fixture.js';

jest.setTimeout(120_000);

/** An operator that only remembers every version of the `probe` ConfigMap its informer delivered. */
function watcher(seen: string[]): (m: Manager) => void {
  return (m) =>
    m.add({
      name: 'watcher',
      for: builtin.secrets,
      watches: [
        {
          ref: builtin.configmaps,
          map: (cm: KubeObject) => {
            if (cm.metadata.name === 'probe') seen.push((cm['data'] as { v?: string } | undefined)?.v ?? '?');
            return [];
          },
        },
      ],
      reconcile: () => Promise.resolve(undefined),
    });
}

const probe = (v: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'probe', namespace: 'default' },
  data: { v },
});

function options(seen: string[]): PerturbationTestOptions<unknown> {
  return {
    name: 'watcher',
    setup: watcher(seen),
    scenario: [
      { apply: probe('1') },
      {
        patch: { ref: builtin.configmaps, namespace: 'default', name: 'probe', patch: { data: { v: '2' } } },
      },
      { settle: 100 },
    ],
  };
}

test('missed-events: the operator never sees the state between two changes, only the result', async () => {
  const undisturbed: string[] = [];
  await runSchedule({ options: options(undisturbed), crds: [], refs: [builtin.configmaps] });
  expect(undisturbed).toEqual(['1', '2']);

  const missed: string[] = [];
  const result = await runSchedule(
    { options: options(missed), crds: [], refs: [builtin.configmaps] },
    { family: 'missed-events', at: 1 },
  );
  // Held and then delivered, the events would arrive late but whole (['1', '2']).
  expect(missed).toEqual(['2']);
  expect(result.findings).toEqual([]);
});

test('conflict-at-write: a 409 on the init script makes the regenerating operator write a second password', async () => {
  const report = await perturbationTest({
    name: 'database-regenerates-password',
    crds: [databaseCrd],
    setup: databaseOperator({ regeneratesPassword: true }),
    scenario: databaseScenario,
    invariants: [passwordsAgree],
    only: 'conflict-at-write:3',
  });
  expect(report.runs.map((r) => r.perturbation)).toEqual(['conflict-at-write:3']);
  expect(report.divergences.map((d) => [d.perturbation, d.findings])).toEqual([
    ['conflict-at-write:3', [expect.stringContaining('invariant passwordsAgree')]],
  ]);
});
