/**
 * The perturbation runner on scale-down and rolling restart: each scenario replayed with a crash after
 * operator writes, stale caches and missed events, each run checked against the invariants
 * and its end state against the undisturbed run. `pnpm test` runs a deterministic subset (see
 * {@link perturb}); `KAFKA_PERTURB=all` runs every perturbation of both scenarios, and
 * `KAFKA_PERTURB_ONLY=<id>` replays one.
 */
import 'reflect-metadata';
import { expect, jest, test } from '@jest/globals';
import { isConditionTrue } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { formatReport, perturbationTest } from '@steward/testing';
import type { PerturbationReport, PerturbationTestOptions, Snapshot, Step } from '@steward/testing';
import type { SimulatedKafka } from '../src/admin/simulatedKafkaTypes.js';
import type { Cluster } from '../src/api/kafkaCluster.js';
import { clusterObject, clusters, topicObject, topics } from './support/kafkaEnv.js';
import { perturbedKafka } from './support/perturbedKafka.js';

jest.setTimeout(1_800_000);
const ALL = process.env['KAFKA_PERTURB'] === 'all';
/** One perturbation id from a report's reproduction line (`KAFKA_PERTURB_ONLY=crash-after-write:12`). */
const ONLY = process.env['KAFKA_PERTURB_ONLY'];
const NS = 'default';
/** The subset crashes the operator after every CRASH_STRIDE-th write of the reference, from the first. */
const CRASH_STRIDE = 4;

const clusterReady = (s: Snapshot, check: (c: Cluster) => boolean = () => true): boolean => {
  const c = s.get<Cluster>(clusters, NS, 'demo');
  return (
    c !== undefined &&
    c.status?.observedGeneration === c.metadata.generation &&
    isConditionTrue(c.status?.conditions, 'Ready') &&
    check(c)
  );
};
const topicReady = (name: string) => (s: Snapshot) =>
  isConditionTrue(
    s.get<KubeObject & { status?: { conditions?: [] } }>(topics, NS, name)?.status?.conditions,
    'Ready',
  );

// Ready for the patched spec (the runner's cache may not hold its own patch yet: the old spec was
// Ready too), and no node left on the old revision.
const rolled = (s: Snapshot) =>
  clusterReady(
    s,
    (c) =>
      c.spec.config?.['num.partitions'] === '6' &&
      c.status?.conditions?.find((x) => x.type === 'RollingRestart')?.status === 'False',
  );

/** A formed cluster (one controller, three brokers) with a topic of `replicas` replicas. */
const base = (replicas: number): Step[] => [
  { apply: clusterObject(NS, { controllers: { replicas: 1 }, config: { 'min.insync.replicas': '2' } }) },
  { wait: (s) => clusterReady(s), timeoutMs: 20_000, description: 'cluster Ready' },
  { apply: topicObject(NS, 'orders', { partitions: 3, replicas }) },
  { wait: topicReady('orders'), description: 'topic Ready' },
];

/**
 * Runs `scenario` under perturbations. The simulation has its own client, so the reference's writes
 * are the operator's alone, numbered from 1. The subset `pnpm test` runs: a first report (the two
 * undisturbed runs and a crash after write 1) gives the reference's writes, then crashes after writes
 * 5, 9, 13, … to its end, and a stale cache and missed events at each mutating step. `KAFKA_PERTURB=all`:
 * every family at every write and step; `KAFKA_PERTURB_ONLY=<id>`: that one.
 */
async function perturb(name: string, scenario: Step[]): Promise<PerturbationReport[]> {
  const shared: PerturbationTestOptions<SimulatedKafka> = {
    ...perturbedKafka(NS),
    name,
    scenario,
    timeoutMs: 30_000,
    quietMs: 600,
    onRun: (run) => {
      if (run.findings.length > 0) console.log(`${name} ${run.perturbation}: ${run.findings.join('; ')}`);
    },
  };
  const started = Date.now();
  const reports: PerturbationReport[] = [];
  let perturbations: PerturbationTestOptions['perturbations'];
  if (ONLY === undefined && !ALL) {
    const probe = await perturbationTest({ ...shared, only: 'crash-after-write:1' });
    reports.push(probe);
    const crashes: `crash-after-write:${number}`[] = [];
    for (let k = 1 + CRASH_STRIDE; k <= probe.writes.length; k += CRASH_STRIDE)
      crashes.push(`crash-after-write:${k}`);
    perturbations = [...crashes, 'stale-at-step', 'missed-events'];
  }
  const report = await perturbationTest({
    ...shared,
    ...(perturbations === undefined ? {} : { perturbations }),
    ...(ONLY === undefined ? {} : { only: ONLY }),
  });
  reports.push(report);
  console.log(
    `${reports.map((r) => formatReport(r)).join('\n')}\n(${((Date.now() - started) / 1000).toFixed(1)} s in all)`,
  );
  return reports;
}

/** Every run of every report matched the reference and kept the invariants (and there were runs). */
function expectClean(reports: PerturbationReport[]): void {
  // A replay (`KAFKA_PERTURB_ONLY`) has its one run besides the references.
  expect(reports.at(-1)?.runs.length).toBeGreaterThanOrEqual(ONLY === undefined ? 10 : 1);
  expect(reports.flatMap((r) => r.divergences)).toEqual([]);
}

test('scale-down from 3 brokers to 2 under perturbations', async () => {
  const reports = await perturb(
    // Two replicas: room on the two brokers that stay.
    'kafka-scale-down',
    [
      ...base(2),
      {
        patch: { ref: clusters, namespace: NS, name: 'demo', patch: { spec: { brokers: { replicas: 2 } } } },
      },
      {
        wait: (s) => clusterReady(s, (c) => JSON.stringify(c.status?.brokerIds) === '[100,101]'),
        timeoutMs: 20_000,
        description: 'two brokers',
      },
    ],
  );
  expectClean(reports);
});

test('rolling restart under perturbations', async () => {
  const patch = { spec: { config: { 'min.insync.replicas': '2', 'num.partitions': '6' } } };
  const reports = await perturb(
    // Three replicas with min.insync.replicas=2: one broker may restart at a time, never two.
    'kafka-rolling-restart',
    [
      ...base(3),
      { patch: { ref: clusters, namespace: NS, name: 'demo', patch } },
      { wait: rolled, timeoutMs: 20_000, description: 'every node rolled' },
    ],
  );
  expectClean(reports);
});
