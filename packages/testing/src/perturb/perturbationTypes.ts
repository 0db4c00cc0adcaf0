/**
 * The shapes of perturbation testing: a scenario of {@link Step}s, the options of
 * `perturbationTest()`, and the {@link PerturbationReport} it returns. Start with
 * {@link PerturbationTestOptions}; `perturbationTest.ts` runs them.
 */
import type { KubeObject, Manager, ResourceRef } from '@steward/core';
import type { TestEnv, TestEnvOptions } from '../env/testEnvTypes.js';
import type { Invariant, InvariantCheck, Snapshot } from '../invariants/invariantTypes.js';

/**
 * An invariant checked on every event the runner observes: one of `invariants/` (`invariant()`,
 * `never()`, `atMostNotReady()`, …), or a bare check (named after its function).
 */
export type PerturbationInvariant = Invariant | InvariantCheck;

/** One scenario step, run by the test (never by the operator). */
export type Step =
  /** Server-side apply (field manager `steward-perturb`); `ref` is found from the CRDs and built-ins when omitted. */
  | { apply: KubeObject; ref?: ResourceRef }
  /** A merge patch. */
  | { patch: { ref: ResourceRef; namespace?: string; name: string; patch: unknown } }
  | { delete: { ref: ResourceRef; namespace?: string; name: string } }
  /** Waits until `wait(snapshot)` holds, checked on every observed event (default timeout 10 s). */
  | { wait: (snapshot: Snapshot) => boolean; timeoutMs?: number; description?: string }
  /** Sleeps `settle` milliseconds. */
  | { settle: number };

/** The perturbation families; a perturbation's id is `<family>:<n>`. */
export type PerturbationFamily =
  'crash-after-write' | 'stale-at-write' | 'stale-at-step' | 'missed-events' | 'conflict-at-write';

export interface PerturbationTestOptions<W = undefined> {
  /** Names the test in the report and in the reproduction line. */
  name: string;
  /** `@CustomResource` classes or CRD objects, installed and served before each run. */
  crds?: readonly (object | (abstract new (...args: never[]) => unknown))[];
  /**
   * The cluster simulation each run gets, as `startTestEnv`'s `simulate` (pods scheduled, started and
   * made Ready; StatefulSets, garbage collection…). Default none. The simulation has its own client,
   * so the runner's faults never touch it: only the operator is crashed, delayed or refused.
   */
  simulate?: TestEnvOptions['simulate'];
  /**
   * Builds each run's world once its environment is up and before the operator starts — typically a
   * simulated data plane attached to `env.simulation.kubelet`. What it returns is passed to `setup`
   * (after every crash too: the data plane outlives the operator's process) and to `cleanup`.
   */
  prepare?: (env: TestEnv) => W | Promise<W>;
  /** Registers the operator's controllers on a fresh manager; called again after every simulated crash. */
  setup: (manager: Manager, world: W) => void | Promise<void>;
  /** Undoes `prepare` when a run ends (before its environment stops). */
  cleanup?: (world: W) => void | Promise<void>;
  scenario: readonly Step[];
  invariants?: readonly PerturbationInvariant[];
  /** Families to run (default all), or exact ids (`'crash-after-write:3'`). */
  perturbations?: readonly (PerturbationFamily | `${PerturbationFamily}:${number}`)[];
  /** Run only this perturbation (an id from a report's reproduction line); the reference still runs. */
  only?: string;
  /** Kinds to compare besides the CRDs', the scenario's and those the operator writes. */
  kinds?: readonly ResourceRef[];
  /** Per run: the longest wait for the cluster to go quiet after the scenario (default 20 s). */
  timeoutMs?: number;
  /** Quiet means no event and no operator write for this long (default 300 ms). */
  quietMs?: number;
  /** How long stale perturbations hold the operator's watches (default 1000 ms). */
  staleMs?: number;
  /** Called after each run, for progress output. */
  onRun?: (run: RunSummary) => void;
}

/** One write the operator made (a successful response), in order. */
export interface RecordedWrite {
  verb: 'create' | 'replace' | 'patch' | 'apply' | 'delete' | 'replaceStatus' | 'patchStatus';
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  kind: string;
  namespace: string | undefined;
  /** The object's name; a generated name as `prefix*`. */
  name: string;
}

export interface Divergence {
  /** The perturbation's id (`crash-after-write:2`), or `reference` for a broken invariant there. */
  perturbation: string;
  /** What differed, one finding per line. */
  findings: string[];
  /** A line that runs this schedule alone. */
  reproduce: string;
}

export interface RunSummary {
  perturbation: string;
  ms: number;
  findings: string[];
}

export interface PerturbationReport {
  name: string;
  /** The reference run's writes, numbered from 1 as the perturbations count them. */
  writes: RecordedWrite[];
  /** Every perturbation run (the reference runs are not in it). */
  runs: RunSummary[];
  divergences: Divergence[];
  /** Fields that differed between two undisturbed runs, so not compared (`Secret default/db: data.password`). */
  masked: string[];
  /** Runs made, references included. */
  schedules: number;
  totalMs: number;
  /** `perturbationTest db: 23 schedules in 18.2 s, 0 divergences`. */
  summary: string;
}
