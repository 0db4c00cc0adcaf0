/**
 * The moves that change which instance is primary: fencing (the role label off, so `-rw` selects
 * nobody), failover (promote the most advanced replica once the primary is gone) and switchover
 * (stop the primary's writes, wait for a chosen streaming replica to replay them, promote it).
 * Start with {@link failover}, then {@link switchover}.
 *
 * Order is the safety argument: the old primary loses its label **before** anything is promoted, and
 * the new one gains it **after** its promotion, so `-rw` never selects two pods. `status.currentPrimary`
 * is written last; a crash in between leaves an instance that reports `primary` which the next
 * reconcile adopts (see `chooseFailoverCandidate`) instead of promoting a second one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { builtin, NotFoundError } from '@steward/core';
import type { KubeObject, ReconcileContext } from '@steward/core';
import { PostgresAdminError } from '../admin/adminErrors.js';
import type { Credentials, PostgresAdmin } from '../admin/postgresAdmin.js';
import { LABELS, ROLE_FENCED, ROLE_PRIMARY } from '../api/labels.js';
import type { ResolveInstance } from './observe.js';
import type { Observed } from './observe.js';
import {
  chooseFailoverCandidate,
  isStreamingFrom,
  lsnValue,
  SWITCHOVER_MAX_LAG_BYTES,
  switchoverLag,
} from './planning.js';

export interface PrimaryDeps {
  ctx: ReconcileContext;
  admin: PostgresAdmin;
  resolve: ResolveInstance;
  credentials: Credentials;
  observed: Observed;
  /** How long a switchover waits for its target to replay the old primary's last commit. */
  switchoverTimeoutMs: number;
  /** The controller's clock (the one a rolling change compares `switchoverAbortedAt` with). */
  now: () => number;
}

/** Sets a pod's role label (a no-op when it already has it; a pod that is gone needs no label). */
export async function setRole(deps: PrimaryDeps, pod: string, role: string): Promise<void> {
  const current = deps.observed.pods.get(pod);
  if (current === undefined || current.metadata.labels?.[LABELS.role] === role) return;
  const patch = { metadata: { labels: { [LABELS.role]: role } } };
  try {
    await deps.ctx.client.patch(builtin.pods, pod, patch, { namespace: deps.ctx.namespace ?? '' });
    current.metadata.labels = { ...current.metadata.labels, [LABELS.role]: role };
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/**
 * Labels every pod but `keep` that is labelled primary `fenced`: writes through `-rw` stop reaching
 * them, and reads through `-ro` do not start to (a fenced primary streams from nobody).
 */
export async function fenceAllBut(deps: PrimaryDeps, keep: string | undefined): Promise<void> {
  for (const [name, pod] of deps.observed.pods) {
    if (name !== keep && pod.metadata.labels?.[LABELS.role] === ROLE_PRIMARY)
      await setRole(deps, name, ROLE_FENCED);
  }
}

/**
 * Promotes `target` and makes it the labelled, recorded primary. The caller fenced the old one;
 * `alsoRecord` adds to the status write that records it (one write: a crash cannot split them).
 */
async function promote(deps: PrimaryDeps, target: string, alsoRecord?: () => void): Promise<void> {
  await deps.admin.promote(deps.resolve(podOf(deps, target)), deps.credentials);
  await setRole(deps, target, ROLE_PRIMARY);
  deps.ctx.status.set({ currentPrimary: target, currentPrimaryFailingSince: undefined });
  alsoRecord?.();
  await deps.ctx.status.commit({ signal: deps.ctx.signal });
}

/**
 * The primary is gone or not ready past the delay: fence it, promote the most advanced ready
 * replica. The others are pointed at it by the next reconcile (`follow`), and the old primary,
 * when it returns, is started as a replica and follows too. Returns the new primary, or undefined
 * when no replica can take over (the cluster is then Degraded and waits for the primary).
 *
 * Unlike a switchover there is no old primary to stop and wait for: replication is asynchronous, so
 * what it committed but had not yet sent is on no replica and is lost (the most advanced replica
 * loses the least). The old primary still holds it on its diverged timeline, which the rewind
 * discards; only synchronous replication (not offered here) would make a failover lose nothing.
 */
export async function failover(deps: PrimaryDeps, failed: string): Promise<string | undefined> {
  const candidate = chooseFailoverCandidate(deps.observed.instances, failed);
  if (candidate === undefined) return undefined;
  void deps.ctx.events.warning(
    'FailingOver',
    `primary ${failed} is unavailable; promoting ${candidate.name}`,
  );
  await fenceAllBut(deps, undefined);
  await promote(deps, candidate.name);
  void deps.ctx.events.normal('FailedOver', `${candidate.name} is the primary (was ${failed})`);
  return candidate.name;
}

/** What a switchover came to: the caller reports it (a refusal, a wait, an abort are not errors). */
export type SwitchoverOutcome =
  | { kind: 'done' }
  /** `to` is not a ready replica streaming from `from`: nothing was touched. */
  | { kind: 'ineligible' }
  /** `to` lags too far to stop writes for while it catches up: nothing was touched yet. */
  | { kind: 'behind'; message: string }
  /** Writes stopped, but `to` did not replay all of them in time: not promoted, writes resumed. */
  | { kind: 'aborted'; message: string };

/** The condition a switchover leaves once one was aborted (`Switchover`, True again after one completes). */
export const SWITCHOVER_CONDITION = 'Switchover';
const POLL_MS = 100;

/**
 * Hands the primary role from `from` to `to`, a replica streaming from it, without losing a commit
 * — the order CloudNativePG and Patroni follow:
 * 1. refuse a target that is not streaming from `from` (it may be missing WAL) or lags far behind;
 * 2. fence `from`: off `-rw` (no new connections reach it), then its writes stopped in Postgres
 *    (`stopWrites`: sessions still open end), which gives its last WAL position;
 * 3. wait, at most `switchoverTimeoutMs`, until `to` has replayed up to that position — else abort:
 *    `from` takes writes again, keeps `-rw`, and `to` is not promoted (it would lose those commits);
 * 4. promote `to`, label and record it; the next reconcile points `from` at it (`follow`).
 */
export async function switchover(deps: PrimaryDeps, from: string, to: string): Promise<SwitchoverOutcome> {
  const { ctx, admin, credentials } = deps;
  const target = deps.observed.instances.find((i) => i.name === to);
  const old = deps.observed.instances.find((i) => i.name === from);
  if (target?.ready === true && target.db?.role === 'primary') {
    // An interrupted switchover: `to` was promoted, recording it did not happen.
    await fenceAllBut(deps, undefined);
    await promote(deps, to, switchoverCompleted(deps));
    return { kind: 'done' };
  }
  if (target === undefined || !isStreamingFrom(target, from)) return { kind: 'ineligible' };
  const lag = switchoverLag(old, target);
  if (lag === undefined || lag > SWITCHOVER_MAX_LAG_BYTES) {
    const behind = lag === undefined ? 'its position against the primary is unknown' : `${lag} bytes behind`;
    return { kind: 'behind', message: `switchover to ${to} waits: ${behind}` };
  }
  void ctx.events.normal('SwitchoverStarted', `switching the primary from ${from} to ${to}`);
  const fromInstance = deps.resolve(podOf(deps, from));
  await fenceAllBut(deps, undefined);
  const finalLsn =
    admin.stopWrites === undefined
      ? (await admin.status(fromInstance, credentials)).lsn
      : await admin.stopWrites(fromInstance, credentials);
  const replayed = await waitForReplay(deps, to, old?.db?.timeline ?? 0, finalLsn);
  if (replayed !== true) {
    await admin.resumeWrites?.(fromInstance, credentials);
    await setRole(deps, from, ROLE_PRIMARY);
    const seconds = deps.switchoverTimeoutMs / 1000;
    const message =
      `${to} replayed up to ${replayed} of ${from}'s last position ${finalLsn} within ${seconds} s, so ` +
      `promoting it would lose commits: not promoted; ${from} stays the primary and takes writes again`;
    void ctx.events.warning('SwitchoverAborted', message);
    ctx.status.setCondition({ type: SWITCHOVER_CONDITION, status: 'False', reason: 'TargetBehind', message });
    ctx.status.set({ switchoverAbortedAt: new Date(deps.now()).toISOString() });
    return { kind: 'aborted', message };
  }
  await promote(deps, to, switchoverCompleted(deps));
  void ctx.events.normal('SwitchedOver', `${to} is the primary (was ${from}), at ${finalLsn}`);
  return { kind: 'done' };
}

const podOf = (deps: PrimaryDeps, name: string): KubeObject => {
  const pod = deps.observed.pods.get(name);
  if (pod === undefined) throw new Error(`${deps.ctx.key}: instance ${name} has no pod`);
  return pod;
};

/** After an aborted switchover, a completed one turns its condition True (in the promotion's commit). */
function switchoverCompleted(deps: PrimaryDeps): () => void {
  return () => {
    deps.ctx.status.set({ switchoverAbortedAt: undefined });
    const conditions = deps.ctx.status.status['conditions'] as { type: string }[] | undefined;
    if (!conditions?.some((c) => c.type === SWITCHOVER_CONDITION)) return;
    deps.ctx.status.setCondition({
      type: SWITCHOVER_CONDITION,
      status: 'True',
      reason: 'Completed',
      message: 'the last switchover completed',
    });
  };
}

/**
 * Polls `to` until it has replayed up to `lsn` on `timeline`: true, or the position it last reported
 * once `switchoverTimeoutMs` passed (`unknown` if it never answered).
 */
async function waitForReplay(
  deps: PrimaryDeps,
  to: string,
  timeline: number,
  lsn: string,
): Promise<true | string> {
  const instance = deps.resolve(podOf(deps, to));
  const deadline = Date.now() + deps.switchoverTimeoutMs;
  let last = 'unknown';
  for (;;) {
    try {
      const s = await deps.admin.status(instance, deps.credentials);
      last = s.lsn;
      if (s.role === 'replica' && s.timeline === timeline && lsnValue(s.lsn) >= lsnValue(lsn)) return true;
    } catch (error) {
      // A target that does not answer is not caught up; it may answer before the deadline.
      if (!(error instanceof PostgresAdminError)) throw error;
    }
    if (Date.now() >= deadline) return last;
    await sleep(POLL_MS, undefined, { signal: deps.ctx.signal });
  }
}
