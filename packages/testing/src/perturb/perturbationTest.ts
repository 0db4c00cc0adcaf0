/**
 * `perturbationTest()`: Sieve/Acto-style testing of an operator. The scenario runs twice undisturbed
 * (the reference, and which fields vary by nature), then once per perturbation — a crash right after
 * each write, a stale cache at each write and step, missed events at each step, a 409 on each write —
 * and every run is compared with the reference: invariants on every event, the end state, and how
 * often each object was created and deleted. Start with {@link perturbationTest}.
 */
import { StewardError } from '@steward/core';
import type { ResourceRef } from '@steward/core';
import { invariantKinds, refKey } from './clusterObserver.js';
import { compareCounts, compareEndStates, describeMask, endState, maskBetween } from './endState.js';
import type { Mask } from './endState.js';
import type {
  Divergence,
  PerturbationFamily,
  PerturbationReport,
  PerturbationTestOptions,
  RunSummary,
  Step,
} from './perturbationTypes.js';
import { crdAndRef, refOfObject } from './runEnv.js';
import { isMutation, perturbationId, runSchedule } from './runSchedule.js';
import type { Perturbation, RunContext } from './runSchedule.js';

/** A perturbation test that could not run: a broken scenario, an unknown `only`, a failing reference. */
export class PerturbationTestError extends StewardError {
  constructor(message: string, cause?: unknown) {
    super('PERTURBATION_TEST', message, false, cause === undefined ? {} : { cause });
  }
}

const WRITE_FAMILIES: PerturbationFamily[] = ['crash-after-write', 'stale-at-write', 'conflict-at-write'];
const STEP_FAMILIES: PerturbationFamily[] = ['stale-at-step', 'missed-events'];

/** Every perturbation of a scenario with `writes` reference writes, in the order they run. */
export function perturbationsFor(writes: number, scenario: readonly Step[]): Perturbation[] {
  const all: Perturbation[] = [];
  for (const family of WRITE_FAMILIES) for (let k = 1; k <= writes; k++) all.push({ family, at: k });
  for (const family of STEP_FAMILIES) {
    scenario.forEach((step, i) => {
      if (isMutation(step)) all.push({ family, at: i + 1 });
    });
  }
  return all;
}

function selected(p: Perturbation, options: PerturbationTestOptions<unknown>): boolean {
  const id = perturbationId(p);
  if (options.only !== undefined) return options.only === id;
  const wanted = options.perturbations;
  return wanted === undefined || wanted.some((w) => w === p.family || w === id);
}

function reproduce(options: PerturbationTestOptions<unknown>, id: string): string {
  return `perturbationTest({ ...options, only: '${id}' }) // ${options.name}`;
}

/**
 * Runs the scenario undisturbed twice, then once per selected perturbation, and reports every run
 * whose invariants, end state or create/delete counts differ from the reference. It never throws for a
 * divergence (assert on `report.divergences`); it throws {@link PerturbationTestError} when the
 * reference itself cannot run (a step fails, a wait times out) or `only` names no perturbation.
 */
export async function perturbationTest<W = undefined>(
  typed: PerturbationTestOptions<W>,
): Promise<PerturbationReport> {
  // The world type only links `prepare`, `setup` and `cleanup`; past this point it is opaque.
  const options = typed as unknown as PerturbationTestOptions<unknown>;
  const started = Date.now();
  const crds = (options.crds ?? []).map((c) => crdAndRef(c));
  const refs = new Map<string, ResourceRef>();
  const add = (ref: ResourceRef): void => void refs.set(refKey(ref), ref);
  for (const { ref } of crds) add(ref);
  for (const ref of options.kinds ?? []) add(ref);
  for (const invariant of options.invariants ?? []) for (const ref of invariantKinds(invariant)) add(ref);
  for (const step of options.scenario) {
    if ('apply' in step) {
      const ref =
        step.ref ??
        refOfObject(
          step.apply,
          crds.map((c) => c.ref),
        );
      if (ref) add(ref);
    } else if ('patch' in step) add(step.patch.ref);
    else if ('delete' in step) add(step.delete.ref);
  }
  const ctx: RunContext = { options, crds, refs: [...refs.values()] };

  const first = await runSchedule(ctx);
  if (first.findings.some((f) => !f.startsWith('invariant '))) {
    throw new PerturbationTestError(
      `${options.name}: the undisturbed reference run failed, fix the scenario first:\n  ${first.findings.join('\n  ')}`,
    );
  }
  // Every kind the operator wrote is observed from the start from now on.
  for (const ref of first.refs) add(ref);
  const second = await runSchedule({ ...ctx, refs: [...refs.values()] });
  const reference = endState(first.objects);
  const mask = maskBetween(reference, endState(second.objects));
  const countMask: Mask = new Map();
  for (const id of new Set([...first.counts.keys(), ...second.counts.keys()])) {
    const a = first.counts.get(id);
    const b = second.counts.get(id);
    if (a?.created !== b?.created || a?.deleted !== b?.deleted) countMask.set(id, new Set(['*']));
  }

  const divergences: Divergence[] = [];
  const referenceFindings = [...new Set([...first.findings, ...second.findings])];
  if (referenceFindings.length > 0) {
    divergences.push({
      perturbation: 'reference',
      findings: referenceFindings,
      reproduce: reproduce(options, 'reference'),
    });
  }

  const plan = perturbationsFor(first.writes.length, options.scenario).filter((p) => selected(p, options));
  if (options.only !== undefined && options.only !== 'reference' && plan.length === 0) {
    throw new PerturbationTestError(
      `${options.name}: only '${options.only}' names no perturbation of this scenario (${first.writes.length} writes, ${options.scenario.length} steps)`,
    );
  }
  const runCtx: RunContext = { ...ctx, refs: [...refs.values()] };
  const runs: RunSummary[] = [];
  for (const p of plan) {
    const id = perturbationId(p);
    const result = await runSchedule(runCtx, p);
    const findings = [
      ...result.findings,
      ...compareEndStates(reference, endState(result.objects), mask),
      ...compareCounts(first.counts, result.counts, countMask),
    ];
    const run = { perturbation: id, ms: result.ms, findings };
    runs.push(run);
    options.onRun?.(run);
    if (findings.length > 0)
      divergences.push({ perturbation: id, findings, reproduce: reproduce(options, id) });
  }

  const schedules = runs.length + 2;
  const totalMs = Date.now() - started;
  return {
    name: options.name,
    writes: first.writes,
    runs,
    divergences,
    masked: describeMask(mask),
    schedules,
    totalMs,
    summary: `perturbationTest ${options.name}: ${schedules} schedules in ${(totalMs / 1000).toFixed(1)} s, ${divergences.length} divergence${divergences.length === 1 ? '' : 's'}`,
  };
}

/** The report as text: the summary, the reference writes, then each divergence with its reproduction. */
export function formatReport(report: PerturbationReport): string {
  const lines = [report.summary];
  lines.push(`  writes: ${report.writes.map((w, i) => `${i + 1}.${w.verb} ${w.kind} ${w.name}`).join(', ')}`);
  if (report.masked.length > 0)
    lines.push(`  masked (vary between undisturbed runs): ${report.masked.join('; ')}`);
  for (const d of report.divergences) {
    lines.push(`  ${d.perturbation}:`);
    for (const f of d.findings) lines.push(`    ${f}`);
    lines.push(`    reproduce: ${d.reproduce}`);
  }
  return lines.join('\n');
}
