/**
 * The moves that change which instance is primary: fencing (the role label off, so `-rw` selects
 * nobody), failover (promote the most advanced replica once the primary is gone) and switchover
 * (hand the primary role to a chosen streaming replica). Start with {@link failover}.
 *
 * Order is the safety argument: the old primary loses its label **before** anything is promoted, and
 * the new one gains it **after** its promotion, so `-rw` never selects two pods. `status.currentPrimary`
 * is written last; a crash in between leaves an instance that reports `primary` which the next
 * reconcile adopts (see `chooseFailoverCandidate`) instead of promoting a second one.
 */
import { builtin, NotFoundError } from '@steward/core';
import type { ReconcileContext } from '@steward/core';
import type { Credentials, PostgresAdmin } from '../admin/postgresAdmin.js';
import { LABELS, ROLE_FENCED, ROLE_PRIMARY } from '../api/labels.js';
import type { ResolveInstance } from './observe.js';
import type { Observed } from './observe.js';
import { chooseFailoverCandidate, isStreamingFrom } from './planning.js';

export interface PrimaryDeps {
  ctx: ReconcileContext;
  admin: PostgresAdmin;
  resolve: ResolveInstance;
  credentials: Credentials;
  observed: Observed;
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

/** Promotes `target` and makes it the labelled, recorded primary. The caller fenced the old one. */
async function promote(deps: PrimaryDeps, target: string): Promise<void> {
  const pod = deps.observed.pods.get(target);
  if (pod === undefined) throw new Error(`${deps.ctx.key}: promotion target ${target} has no pod`);
  await deps.admin.promote(deps.resolve(pod), deps.credentials);
  await setRole(deps, target, ROLE_PRIMARY);
  deps.ctx.status.set({ currentPrimary: target, currentPrimaryFailingSince: undefined });
  await deps.ctx.status.commit({ signal: deps.ctx.signal });
}

/**
 * The primary is gone or not ready past the delay: fence it, promote the most advanced ready
 * replica. The others are pointed at it by the next reconcile (`follow`), and the old primary,
 * when it returns, is started as a replica and follows too. Returns the new primary, or undefined
 * when no replica can take over (the cluster is then Degraded and waits for the primary).
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

/**
 * Hands the primary role from `from` to `to`, a replica streaming from it (CloudNativePG refuses to
 * promote a replica whose streaming connection is down: it may be missing WAL). Returns false when
 * `to` is not eligible, leaving everything as it was.
 */
export async function switchover(deps: PrimaryDeps, from: string, to: string): Promise<boolean> {
  const target = deps.observed.instances.find((i) => i.name === to);
  const resumed = target?.ready === true && target.db?.role === 'primary'; // an interrupted switchover
  if (target === undefined || !(isStreamingFrom(target, from) || resumed)) return false;
  void deps.ctx.events.normal('SwitchoverStarted', `switching the primary from ${from} to ${to}`);
  // Writes stop first, so nothing committed on the old primary after this is lost by the promotion.
  await fenceAllBut(deps, undefined);
  await promote(deps, to);
  void deps.ctx.events.normal('SwitchedOver', `${to} is the primary (was ${from})`);
  return true;
}
