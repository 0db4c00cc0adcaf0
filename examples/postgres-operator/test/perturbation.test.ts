/**
 * The failover and rolling-update scenarios under the testing package's perturbation runner: the
 * operator crashes after each of its writes, or acts on a stale cache, and the cluster must still end
 * as the undisturbed run ends, with the safety rules holding on every event (one pod labelled primary,
 * `-rw` selecting at most one pod, no primary deleted). Start with {@link scenarioTest}.
 *
 * `pnpm test` runs a deterministic subset of the schedules; `STEWARD_PERTURB_FULL=1` runs them all.
 */
import 'reflect-metadata';
import { expect, jest, test } from '@jest/globals';
import { builtin, resourceRefOf } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { formatReport, perturbationTest } from '@steward/testing';
import type { PerturbationTestOptions, Snapshot, Step } from '@steward/testing';
import { simulatedPostgres } from '../src/admin/simulatedPostgres.js';
import type { SimulatedPostgres } from '../src/admin/simulatedPostgres.js';
import { PostgresCluster } from '../src/api/postgresCluster.js';
import type { PostgresClusterStatus } from '../src/api/postgresCluster.js';
import { PostgresDatabase } from '../src/api/postgresDatabase.js';
import { postgresOperator } from '../src/operator.js';
import { noPrimaryRestarted, onePrimaryLabel, rwSelectsOne } from './support/clusterInvariants.js';

const FULL = process.env['STEWARD_PERTURB_FULL'] === '1';
jest.setTimeout(FULL ? 3_600_000 : 300_000);

const NS = 'default';
const CLUSTER = 'pg';
const clusters = resourceRefOf(PostgresCluster);

/** Settled: Healthy at the current generation, `n` instances ready, the primary's replicas streaming from it. */
function settled(
  s: Snapshot,
  n: number,
  also: (status: PostgresClusterStatus) => boolean = () => true,
): boolean {
  const c = s.get<PostgresCluster & KubeObject>(clusters, NS, CLUSTER);
  const st = c?.status;
  if (c === undefined || st === undefined) return false;
  return (
    st.phase === 'Healthy' &&
    st.observedGeneration === c.metadata.generation &&
    st.readyInstances === n &&
    st.instances?.length === n &&
    st.instances.every((i) =>
      i.role === 'primary' ? i.name === st.currentPrimary : i.streamingFrom === st.currentPrimary,
    ) &&
    also(st)
  );
}

/** The pod runs Postgres with `-c <setting>` and is not terminating. */
function runsParameter(pod: KubeObject | undefined, setting: string): boolean {
  const containers = (pod?.['spec'] as { containers?: { args?: string[] }[] } | undefined)?.containers;
  return pod?.metadata.deletionTimestamp === undefined && (containers?.[0]?.args ?? []).includes(setting);
}

const createCluster: Step[] = [
  {
    apply: {
      apiVersion: 'postgres.steward.dev/v1alpha1',
      kind: 'PostgresCluster',
      metadata: { name: CLUSTER, namespace: NS },
      spec: { instances: 3, version: '16', storage: { size: '1Gi' }, failoverDelaySeconds: 0 },
    },
  },
  { wait: (s) => settled(s, 3), timeoutMs: 20_000, description: 'pg Healthy with 3 instances' },
];

const failover: Step[] = [
  ...createCluster,
  { delete: { ref: builtin.pods, namespace: NS, name: `${CLUSTER}-1` } },
  {
    wait: (s) =>
      settled(s, 3, (st) => st.currentPrimary !== `${CLUSTER}-1`) &&
      s.get(builtin.pods, NS, `${CLUSTER}-1`)?.metadata.deletionTimestamp === undefined,
    timeoutMs: 20_000,
    description: 'a new primary, and pg-1 back as its replica',
  },
];

const rollingUpdate: Step[] = [
  ...createCluster,
  {
    patch: {
      ref: clusters,
      namespace: NS,
      name: CLUSTER,
      patch: { spec: { parameters: { work_mem: '8MB' } } },
    },
  },
  {
    // The runner's view may not have seen the patch yet when this first runs, and the status before it
    // says every instance is updated (to the old spec): so the pods' own arguments decide.
    wait: (s) =>
      settled(s, 3, (st) => st.instances?.every((i) => i.updated === true) === true) &&
      [1, 2, 3].every((serial) =>
        runsParameter(s.get(builtin.pods, NS, `${CLUSTER}-${serial}`), 'work_mem=8MB'),
      ),
    timeoutMs: 20_000,
    description: 'every instance on the new spec',
  },
];

/**
 * The CI subset, per scenario: crash points and stale reads at the writes where the interesting
 * things happen in the reference (numbers from its write list: the bootstrap's pods, the promotion's
 * label, the rollout's deletions and its switchover), and every stale step. Deterministic: the same
 * ids every run. `STEWARD_PERTURB_FULL=1` runs every id of the three families.
 */
type Ids = NonNullable<PerturbationTestOptions['perturbations']>;

const SUBSETS: Record<string, Ids> = {
  // 7 create Pod pg-1, 16 create Pod pg-3, 21 patch Pod pg-2 (labelled primary), 24 patch Pod pg-3
  // (fenced: still on the old primary), 25 create Pod pg-1 (rejoin).
  'postgres-failover': [
    'crash-after-write:1',
    'crash-after-write:7',
    'crash-after-write:16',
    'crash-after-write:21',
    'crash-after-write:22',
    'crash-after-write:24',
    'crash-after-write:25',
    'stale-at-write:21',
    'stale-at-step',
  ],
  // 21 delete Pod pg-3, 27 delete Pod pg-2, 33/34 the switchover's labels, 41 delete Pod pg-1.
  'postgres-rolling-update': [
    'crash-after-write:21',
    'crash-after-write:27',
    'crash-after-write:33',
    'crash-after-write:34',
    'crash-after-write:41',
    'stale-at-write:27',
    'stale-at-write:33',
    'stale-at-step',
  ],
};

function scenarioTest(name: string, scenario: Step[], userDeletes: string[] = []) {
  return perturbationTest<SimulatedPostgres>({
    name,
    crds: [PostgresCluster, PostgresDatabase],
    simulate: true,
    prepare: (env) => {
      const pg = simulatedPostgres();
      env.simulation?.kubelet?.attach(pg.dataPlane);
      return pg;
    },
    setup: (m, pg) => postgresOperator({ admin: pg.admin, failoverDelaySeconds: 0 }).setup(m),
    scenario,
    invariants: [
      onePrimaryLabel(NS, CLUSTER),
      rwSelectsOne(NS, CLUSTER),
      noPrimaryRestarted(NS, CLUSTER, userDeletes),
    ],
    perturbations: FULL
      ? ((process.env['STEWARD_PERTURB_FAMILIES']?.split(
          ',',
        ) as PerturbationTestOptions['perturbations']) ?? [
          'crash-after-write',
          'stale-at-write',
          'stale-at-step',
        ])
      : (SUBSETS[name] ?? []),
    ...(process.env['STEWARD_PERTURB_ONLY'] === undefined
      ? {}
      : { only: process.env['STEWARD_PERTURB_ONLY'] }),
    timeoutMs: 30_000,
    onRun: (r) => {
      if (process.env['STEWARD_PERTURB_VERBOSE'] === '1')
        process.stderr.write(`${name} ${r.perturbation} ${r.ms} ms ${r.findings.join(' | ')}\n`);
    },
  });
}

test('failover: the primary pod is deleted; a crash or a stale read anywhere ends as the undisturbed run', async () => {
  const report = await scenarioTest('postgres-failover', failover, [`${CLUSTER}-1`]);
  console.log(formatReport(report));
  expect(report.divergences).toEqual([]);
});

test('rolling update: a parameter change; a crash or a stale read anywhere ends as the undisturbed run', async () => {
  const report = await scenarioTest('postgres-rolling-update', rollingUpdate);
  console.log(formatReport(report));
  expect(report.divergences).toEqual([]);
});
