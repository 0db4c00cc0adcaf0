import { expect, test } from '@jest/globals';
import { formatReport, perturbationTest } from '@steward/testing';
import type { PerturbationReport, PerturbationTestOptions, RecordedWrite, Step } from '@steward/testing';
import { baseOptions, rollingRestartScenario, scaleDownScenario } from './scenarios.js';

// Scale-down and rolling restart under the perturbation runner: a crash after each write, a 409 on
// each write, a stale cache and missed events at each step, with the invariants checked on every
// event and the end state compared with the undisturbed run. `pnpm test` runs a deterministic
// subset: a crash after each write the operation itself makes (after the bootstrap), and a stale
// cache and missed events at every step (on this machine: scale-down 18 schedules in 22 s, rolling
// restart 39 in 46 s). CASSANDRA_PERTURB=full runs every perturbation of every write, bootstrap
// included (crash, stale and 409 at each write: 129 schedules in 179 s and 183 in 276 s, 0
// divergences).
const FULL = process.env['CASSANDRA_PERTURB'] === 'full';

/** The number of the `n`-th write applying `kind`: where the operation under test begins. */
function nthApply(writes: readonly RecordedWrite[], kind: string, n: number): number {
  const at = writes.map((w, i) => (w.verb === 'apply' && w.kind === kind ? i + 1 : 0)).filter((i) => i > 0);
  const index = at[n - 1];
  if (index === undefined) throw new Error(`no apply #${n} of a ${kind} among the reference writes`);
  return index;
}

async function perturb(
  name: string,
  scenario: Step[],
  firstWrite: (w: readonly RecordedWrite[]) => number,
): Promise<PerturbationReport[]> {
  const started = Date.now();
  const reports: PerturbationReport[] = [];
  let perturbations: PerturbationTestOptions['perturbations'];
  if (!FULL) {
    // The reference run's writes, to find where the operation under test starts.
    const probe = await perturbationTest({ ...baseOptions, name, scenario, only: 'stale-at-step:1' });
    reports.push(probe);
    const from = firstWrite(probe.writes);
    const ks = Array.from({ length: probe.writes.length - from + 1 }, (_, i) => from + i);
    perturbations = [...ks.map((k) => `crash-after-write:${k}` as const), 'stale-at-step', 'missed-events'];
  }
  const report = await perturbationTest({
    ...baseOptions,
    name,
    scenario,
    ...(perturbations === undefined ? {} : { perturbations }),
  });
  console.log(`${formatReport(report)}\n(${((Date.now() - started) / 1000).toFixed(1)} s in all)`);
  return [...reports, report];
}

function expectClean(reports: PerturbationReport[]): void {
  expect(reports.at(-1)?.runs.length).toBeGreaterThan(10);
  expect(reports.flatMap((r) => r.divergences)).toEqual([]);
}

test('scale-down under perturbations: one leave at a time, no pod or claim removed while its node is in the ring', async () => {
  expectClean(
    await perturb('cassandra scale-down', scaleDownScenario, (w) => nthApply(w, 'PodDisruptionBudget', 2)),
  );
}, 600_000);

test('rolling restart under perturbations: one node at a time, drained, while every other node is up', async () => {
  expectClean(
    await perturb('cassandra rolling restart', rollingRestartScenario, (w) => nthApply(w, 'StatefulSet', 2)),
  );
}, 600_000);
