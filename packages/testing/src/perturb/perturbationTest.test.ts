/**
 * The perturbation runner against the sample Database operator: each deliberate bug is caught by the
 * perturbation that provokes it (and named in the report), and the fixed twin passes every one.
 */
import { expect, jest, test } from '@jest/globals';
import { formatReport, perturbationTest } from './perturbationTest.js';
import type { PerturbationTestOptions } from './perturbationTypes.js';
import {
  databaseCrd,
  databaseOperator,
  databaseScenario,
  passwordsAgree,
} from './samples/databaseOperator.fixture.js';
import type { DatabaseBugs } from './samples/databaseOperator.fixture.js';

jest.setTimeout(240_000);

function options(name: string, bugs: DatabaseBugs): PerturbationTestOptions {
  return {
    name,
    crds: [databaseCrd],
    setup: databaseOperator(bugs),
    scenario: databaseScenario,
    invariants: [passwordsAgree],
  };
}

test('the fixed twin passes every perturbation', async () => {
  const report = await perturbationTest(options('database-fixed', {}));
  console.log(formatReport(report));
  expect(report.writes.map((w) => `${w.verb} ${w.kind} ${w.name}`)).toEqual([
    'create Job db-init',
    'create Secret db-credentials',
    'create ConfigMap db-init-script',
    'patch ConfigMap db-init-script',
  ]);
  // 4 writes × 3 write families + 2 mutating steps × 2 step families, plus two reference runs.
  expect(report.runs).toHaveLength(16);
  expect(report.schedules).toBe(18);
  expect(report.divergences).toEqual([]);
  // The random password is the only thing two undisturbed runs disagree on.
  expect(report.masked).toEqual([
    'ConfigMap default/db-init-script: data.init.sql',
    'Secret default/db-credentials: data.password',
  ]);
});

test('a crash between the Secret and the init script is caught by crash-after-write:2, and only replays it', async () => {
  const buggy = options('database-regenerates-password', { regeneratesPassword: true });
  const report = await perturbationTest({ ...buggy, perturbations: ['crash-after-write'] });
  console.log(formatReport(report));
  const crash = report.divergences.find((d) => d.perturbation === 'crash-after-write:2');
  expect(crash?.findings).toEqual([
    expect.stringContaining('invariant passwordsAgree: ConfigMap default/db-init-script'),
  ]);
  expect(crash?.reproduce).toContain("only: 'crash-after-write:2'");
  // A crash at any other point leaves the two consistent.
  expect(report.divergences.map((d) => d.perturbation)).toEqual(['crash-after-write:2']);

  const replay = await perturbationTest({ ...buggy, only: 'crash-after-write:2' });
  expect(replay.runs.map((r) => r.perturbation)).toEqual(['crash-after-write:2']);
  expect(replay.divergences.map((d) => d.perturbation)).toEqual(['crash-after-write:2']);
});

test('duplicate init Jobs from a stale cache are caught by stale-at-write:1, not by crashes', async () => {
  const report = await perturbationTest({
    ...options('database-duplicates-job', { duplicatesInitJob: true }),
    perturbations: ['stale-at-write', 'crash-after-write'],
  });
  console.log(formatReport(report));
  const stale = report.divergences.find((d) => d.perturbation === 'stale-at-write:1');
  expect(stale?.findings).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^end state: Job default\/db-init-\* ×\d+, the reference has ×1$/),
      expect.stringMatching(/^counts: Job default\/db-init-\* created \d+×/),
    ]),
  );
  for (const d of report.divergences) expect(d.perturbation).toMatch(/^stale-at-write:/);
});
