/**
 * The Lease record rules of leader election: when a lease is held by someone else, and what the next
 * record looks like when acquiring, renewing or releasing. Pure functions; start with {@link heldByOther}.
 */
import type { KubeObject } from '../client/types.js';
import { microTime, parseMicroTime } from '../time/microTime.js';

/** coordination.k8s.io/v1 LeaseSpec (the fields leader election uses; others are kept as read). */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
  [field: string]: unknown;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

function timeOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseMicroTime(text).date.getTime();
  } catch {
    // Another client may write RFC 3339 with other precision; read what JavaScript can.
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  }
}

/**
 * True when another identity holds an unexpired lease at `nowMs`. Expiry is renewTime + the
 * candidate's own `leaseDurationMs` (the record's whole seconds cannot hold sub-second durations; all
 * candidates of one lease are configured alike). Without a readable renewTime, the local time the
 * record was last seen to change stands in for it.
 */
export function heldByOther(
  lease: Lease,
  identity: string,
  leaseDurationMs: number,
  nowMs: number,
  observedAtMs: number,
): boolean {
  const holder = lease.spec?.holderIdentity;
  if (!holder || holder === identity) return false;
  const renewedAt = timeOf(lease.spec?.renewTime) ?? observedAtMs;
  return renewedAt + leaseDurationMs > nowMs;
}

/**
 * The record written to acquire or renew: a renewal keeps acquireTime and leaseTransitions; taking
 * the lease from anyone else (or from nobody after a release) sets acquireTime and counts a transition.
 */
export function nextLease(
  current: Lease | undefined,
  identity: string,
  leaseDurationMs: number,
  nowMs: number,
  base: Lease,
): Lease {
  const spec = current?.spec ?? {};
  const now = microTime(new Date(nowMs));
  const renewing = spec.holderIdentity === identity;
  return {
    ...base,
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    spec: {
      ...spec,
      holderIdentity: identity,
      leaseDurationSeconds: Math.max(1, Math.ceil(leaseDurationMs / 1000)),
      acquireTime: renewing && spec.acquireTime ? spec.acquireTime : now,
      renewTime: now,
      leaseTransitions: current === undefined ? 0 : (spec.leaseTransitions ?? 0) + (renewing ? 0 : 1),
    },
  };
}

/** The record written by `release()`: no holder, so the next candidate need not wait for expiry. */
export function releasedLease(current: Lease, nowMs: number): Lease {
  const { holderIdentity: _holder, ...spec } = current.spec ?? {};
  const now = microTime(new Date(nowMs));
  return { ...current, spec: { ...spec, leaseDurationSeconds: 1, acquireTime: now, renewTime: now } };
}
