/**
 * One run of a scenario on a fresh server, undisturbed or with one perturbation: starts the operator,
 * plays the steps, applies the perturbation at its point, waits for quiet and returns what the oracle
 * compares. Start with {@link runSchedule}; `perturbationTest.ts` decides which runs to make.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject, ResourceRef } from '@steward/core';
import { clusterObserver } from './clusterObserver.js';
import type { ClusterObserver } from './clusterObserver.js';
import type { ObjectCounts } from './clusterObserver.js';
import type {
  PerturbationFamily,
  PerturbationTestOptions,
  RecordedWrite,
  Step,
} from './perturbationTypes.js';
import type { RecordingHooks } from './recordingClient.js';
import { isEventRef } from './recordingClient.js';
import { OPERATOR_AGENT, refOfObject, startOperator, startRunEnv, watchesOpen } from './runEnv.js';
import type { RunningOperator } from './runEnv.js';
import type { TestEnv } from '../env/testEnvTypes.js';

export interface Perturbation {
  family: PerturbationFamily;
  /** The write (1-based, as the reference numbered them) or the step (1-based). */
  at: number;
}

export function perturbationId(p: Perturbation): string {
  return `${p.family}:${p.at}`;
}

export interface RunResult {
  writes: RecordedWrite[];
  objects: KubeObject[];
  counts: ReadonlyMap<string, ObjectCounts>;
  /** Invariant violations, timed-out waits, failed steps, no quiet. */
  findings: string[];
  refs: ResourceRef[];
  ms: number;
}

export interface RunContext {
  options: PerturbationTestOptions<unknown>;
  crds: { crd: KubeObject; ref: ResourceRef }[];
  /** Kinds to observe from the start. */
  refs: readonly ResourceRef[];
}

const WATCHES = { userAgent: OPERATOR_AGENT };

export function isMutation(step: Step): boolean {
  return 'apply' in step || 'patch' in step || 'delete' in step;
}

export async function runSchedule(ctx: RunContext, perturbation?: Perturbation): Promise<RunResult> {
  const started = Date.now();
  const { options } = ctx;
  const staleMs = options.staleMs ?? 1000;
  const findings: string[] = [];
  const env = await startRunEnv(ctx.crds, options.simulate);
  let world: unknown;
  let prepared = false;
  const observer = clusterObserver(env.client, options.invariants);
  const writes: RecordedWrite[] = [];
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>): void => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  let lastWriteAt = Date.now();
  let fired = false;
  let operator: RunningOperator | undefined;

  const hold = (ms: number): void => {
    const held = env.server.faults.holdWatches(WATCHES);
    track(sleep(ms).then(() => held.release()));
  };
  const hooks: RecordingHooks = {
    beforeWrite(index, target) {
      if (fired || perturbation?.at !== index) return;
      if (perturbation.family === 'stale-at-write') {
        fired = true;
        hold(staleMs);
      } else if (perturbation.family === 'conflict-at-write') {
        fired = true;
        env.server.faults.failNext({ ...target, userAgent: OPERATOR_AGENT }, { code: 409 });
      }
    },
    afterWrite(index, _write, ref) {
      lastWriteAt = Date.now();
      if (!isEventRef(ref)) track(observer.watch(ref).catch(() => undefined));
      if (fired || perturbation?.family !== 'crash-after-write' || perturbation.at !== index)
        return undefined;
      fired = true;
      // The process dies here: its client is already refusing; a fresh one starts with cold caches.
      track(restart());
      return 'crash';
    },
  };
  const start = async (): Promise<void> => {
    operator = await startOperator(env, (m) => options.setup(m, world), hooks, writes);
  };
  const restart = async (): Promise<void> => {
    await operator?.kill();
    await start();
  };

  try {
    for (const ref of ctx.refs) await observer.watch(ref);
    world = await options.prepare?.(env);
    prepared = true;
    await start();
    const steps = options.scenario;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as Step;
      const n = i + 1;
      if (perturbation?.family === 'stale-at-step' && perturbation.at === n) hold(staleMs);
      if (perturbation?.family === 'missed-events' && perturbation.at === n) {
        // Sieve's unobserved state: the operator must never see the states between these steps. A
        // held watch would deliver them later, so they are dropped: closed watches resume from a
        // compacted history, get 410 and relist, seeing only the state after the last of them.
        const held = env.server.faults.holdWatches(WATCHES);
        await runStep(env, ctx, step, n, findings, observer);
        while (i + 1 < steps.length && isMutation(steps[i + 1] as Step)) {
          i++;
          await runStep(env, ctx, steps[i] as Step, i + 1, findings, observer);
        }
        await sleep(50); // let the observer see the last state before history goes
        const relisted = relists(operator);
        env.server.faults.compact();
        env.server.faults.closeWatches(WATCHES);
        held.release();
        // The quiet check cannot see an informer backing off before its relist: wait for the relists.
        track(relistedSince(operator, relisted).then(() => watchesOpen(env.server, relisted.size)));
        continue;
      }
      await runStep(env, ctx, step, n, findings, observer);
    }
    await quiet(ctx, observer, pending, () => lastWriteAt, findings);
    const objects = observer.objects();
    findings.unshift(...observer.violations);
    return {
      writes,
      objects,
      counts: observer.counts,
      findings,
      refs: [...observer.refs],
      ms: Date.now() - started,
    };
  } catch (error) {
    const tail = operator?.running.formatLogs().split('\n').slice(-10).join('\n  ') ?? '';
    throw new Error(
      `${options.name}: run ${perturbation ? perturbationId(perturbation) : 'reference'} failed: ${String(error)}${tail ? `\n  operator log:\n  ${tail}` : ''}`,
      { cause: error },
    );
  } finally {
    await Promise.allSettled(pending);
    await operator?.kill().catch(() => undefined);
    if (prepared) await Promise.resolve(options.cleanup?.(world)).catch(() => undefined);
    await observer.stop();
    await env.stop();
  }
}

/** Each operator informer's relist count (raised when a relist begins; its watch opens after it). */
function relists(operator: RunningOperator | undefined): Map<string, number> {
  const health = operator?.running.manager.informers.health() ?? [];
  return new Map(health.map((h) => [h.key, h.relists]));
}

async function relistedSince(
  operator: RunningOperator | undefined,
  before: Map<string, number>,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const now = relists(operator);
    if ([...before].every(([key, n]) => (now.get(key) ?? 0) > n)) return;
    await sleep(20);
  }
}

async function runStep(
  env: TestEnv,
  ctx: RunContext,
  step: Step,
  n: number,
  findings: string[],
  observer: ClusterObserver,
): Promise<void> {
  const fieldManager = 'steward-perturb';
  try {
    if ('apply' in step) {
      const ref =
        step.ref ??
        refOfObject(
          step.apply,
          ctx.crds.map((c) => c.ref),
        );
      if (ref === undefined) {
        throw new TypeError(
          `step ${n}: no resource known for ${step.apply.apiVersion} ${step.apply.kind}: give the step a ref`,
        );
      }
      const written = await env.client.apply(ref, step.apply, { fieldManager, force: true });
      await seen(observer, ref, written);
    } else if ('patch' in step) {
      const { ref, namespace, name, patch } = step.patch;
      const written = await env.client.patch(ref, name, patch, namespace === undefined ? {} : { namespace });
      await seen(observer, ref, written);
    } else if ('delete' in step) {
      const { ref, namespace, name } = step.delete;
      const answer = await env.client.delete(ref, name, namespace === undefined ? {} : { namespace });
      // Kept by finalizers: the object with its deletionTimestamp; else gone.
      if ('metadata' in answer && answer.metadata !== undefined && 'deletionTimestamp' in answer.metadata)
        await seen(observer, ref, answer as KubeObject);
      else
        await seen(
          observer,
          ref,
          { metadata: { name, ...(namespace === undefined ? {} : { namespace }) } },
          true,
        );
    } else if ('wait' in step) {
      const deadline = Date.now() + (step.timeoutMs ?? 10_000);
      while (!step.wait(observer.snapshot())) {
        if (Date.now() >= deadline) {
          findings.push(`step ${n}: wait${step.description ? ` for ${step.description}` : ''} timed out`);
          return;
        }
        await observer.nextChange(Math.max(1, Math.min(100, deadline - Date.now())));
      }
    } else {
      await sleep(step.settle);
    }
  } catch (error) {
    if (error instanceof TypeError) throw error;
    findings.push(`step ${n} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Waits (up to 5 s) until the runner's own view holds a step's write — the written resourceVersion or
 * later, or the object gone — so that a `wait` step right after it judges the new state, not the old.
 */
async function seen(
  observer: ClusterObserver,
  ref: ResourceRef,
  written: KubeObject,
  gone = false,
): Promise<void> {
  const { namespace, name = '', resourceVersion } = written.metadata;
  const deadline = Date.now() + 5000;
  const caughtUp = (): boolean => {
    const cached = observer.snapshot().get(ref, namespace, name);
    if (gone) return cached === undefined;
    const have = cached?.metadata.resourceVersion;
    if (have === undefined || resourceVersion === undefined) return false;
    return /^\d+$/.test(have) && /^\d+$/.test(resourceVersion)
      ? BigInt(have) >= BigInt(resourceVersion)
      : have === resourceVersion;
  };
  while (!caughtUp() && Date.now() < deadline)
    await observer.nextChange(Math.min(100, deadline - Date.now()));
}

/** Waits until nothing happened for `quietMs` and no perturbation is pending, or records that it never did. */
async function quiet(
  ctx: RunContext,
  observer: ClusterObserver,
  pending: Set<Promise<unknown>>,
  lastWriteAt: () => number,
  findings: string[],
): Promise<void> {
  const quietMs = ctx.options.quietMs ?? 300;
  const deadline = Date.now() + (ctx.options.timeoutMs ?? 20_000);
  for (;;) {
    if (pending.size > 0) await Promise.race([...pending, sleep(50)]);
    const idle = Date.now() - Math.max(observer.lastChangeAt, lastWriteAt());
    if (pending.size === 0 && idle >= quietMs) return;
    if (Date.now() >= deadline) {
      findings.push(
        `never settled: changes kept coming ${ctx.options.timeoutMs ?? 20_000} ms after the last step`,
      );
      return;
    }
    await sleep(Math.max(10, quietMs - idle));
  }
}
