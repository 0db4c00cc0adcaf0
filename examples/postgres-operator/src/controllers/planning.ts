/**
 * The cluster controller's decisions as pure functions over what it observed: which replica to
 * promote, which instance to remove, what a rolling change does next. Start with
 * {@link chooseFailoverCandidate}. No I/O here, so each rule is unit-tested on its own.
 */
import type { InstanceStatus } from '../admin/postgresAdmin.js';

/** One instance as the controller sees it: its pod (maybe gone), readiness, and what Postgres says. */
export interface ObservedInstance {
  name: string;
  serial: number;
  /** The pod exists and is not being deleted. */
  hasPod: boolean;
  /** Pod Ready (Postgres accepts connections) and not being deleted. */
  ready: boolean;
  /** The pod runs the spec's image, parameters and resources. */
  updated: boolean;
  /** Postgres's own view; undefined when the pod is not ready or did not answer. */
  db?: InstanceStatus;
}

/** Parses `X/Y` (two hex halves) into one number that orders WAL positions. */
export function lsnValue(lsn: string | undefined): bigint {
  const m = /^([0-9A-Fa-f]+)\/([0-9A-Fa-f]+)$/.exec(lsn ?? '');
  if (m === null) return -1n;
  return (BigInt(`0x${m[1] ?? '0'}`) << 32n) + BigInt(`0x${m[2] ?? '0'}`);
}

// #region failoverCandidate
/** Most advanced first: higher timeline, then higher LSN, then lower lag, then lower serial. */
function moreAdvanced(a: ObservedInstance, b: ObservedInstance): number {
  const ta = a.db?.timeline ?? -1;
  const tb = b.db?.timeline ?? -1;
  if (ta !== tb) return tb - ta;
  const la = lsnValue(a.db?.lsn);
  const lb = lsnValue(b.db?.lsn);
  if (la !== lb) return lb > la ? 1 : -1;
  const ga = a.db?.lagBytes ?? 0;
  const gb = b.db?.lagBytes ?? 0;
  if (ga !== gb) return ga - gb;
  return a.serial - b.serial;
}

/**
 * The replica to promote when `failedPrimary` is gone: only a ready instance that answered (an
 * instance we cannot read might be far behind), the most advanced one, so the least committed data
 * is lost. An instance that already reports `primary` (a promotion interrupted by a crash of the
 * operator) wins: promoting another would make two primaries.
 */
export function chooseFailoverCandidate(
  instances: readonly ObservedInstance[],
  failedPrimary: string,
): ObservedInstance | undefined {
  const candidates = instances.filter((i) => i.name !== failedPrimary && i.ready && i.db !== undefined);
  const promoted = candidates.filter((i) => i.db?.role === 'primary').sort(moreAdvanced);
  if (promoted[0] !== undefined) return promoted[0];
  return candidates.sort(moreAdvanced)[0];
}
// #endregion

/** A replica that streams from the current primary: safe to promote in a switchover. */
export const isStreamingFrom = (i: ObservedInstance, primary: string): boolean =>
  i.ready && i.db?.role === 'replica' && i.db.streamingFrom === primary;

/**
 * How far (bytes) the switchover target lags the primary as both last reported. Beyond
 * {@link SWITCHOVER_MAX_LAG_BYTES} the primary's writes are not stopped yet (Patroni likewise refuses
 * a candidate beyond its lag limit): they would stay stopped while the target replays all of it.
 * Undefined when either position is unknown or they are on different timelines.
 */
export function switchoverLag(
  primary: ObservedInstance | undefined,
  target: ObservedInstance,
): bigint | undefined {
  if (primary?.db === undefined || target.db === undefined || primary.db.timeline !== target.db.timeline)
    return undefined;
  const lag = lsnValue(primary.db.lsn) - lsnValue(target.db.lsn);
  return lag < 0n ? 0n : lag;
}

/** One WAL segment: a replica within it replays the rest in well under a second. */
export const SWITCHOVER_MAX_LAG_BYTES = 16n * 1024n * 1024n;

/** The switchover target for a rolling change: the most advanced updated streaming replica. */
export function chooseSwitchoverTarget(
  instances: readonly ObservedInstance[],
  primary: string,
): ObservedInstance | undefined {
  return instances.filter((i) => i.updated && isStreamingFrom(i, primary)).sort(moreAdvanced)[0];
}

// #region scaleDownVictim
/**
 * The instance scale-down removes: the replica with the highest serial (the newest). Never the
 * primary: with more instances than wanted there is always a replica to remove instead.
 */
export function chooseScaleDownVictim(
  instances: readonly ObservedInstance[],
  primary: string,
): ObservedInstance | undefined {
  return instances.filter((i) => i.name !== primary).sort((a, b) => b.serial - a.serial)[0];
}
// #endregion

// #region planRollout
export type RolloutStep =
  | { kind: 'none' }
  /** Some instance is not ready or not streaming: each must be back before the next is touched. */
  | { kind: 'wait'; reason: string }
  | { kind: 'replaceReplica'; name: string }
  | { kind: 'switchover'; to: string }
  /** `supervised`: every replica is updated; the primary waits for the user's switchover. */
  | { kind: 'awaitUser' }
  /** A single instance: no replica to switch to, so the primary is restarted in place. */
  | { kind: 'restartPrimary' };

/**
 * The next step of a rolling change (image, parameters, resources). Replicas one at a time — the
 * most lagged first, since it serves the fewest reads — each only when every instance is ready and
 * streaming; then a switchover to an updated replica, so the old primary is updated as a replica.
 */
export function planRollout(
  instances: readonly ObservedInstance[],
  primary: string,
  strategy: 'supervised' | 'unsupervised',
): RolloutStep {
  const outdated = instances.filter((i) => !i.updated);
  if (outdated.length === 0) return { kind: 'none' };
  const replicas = instances.filter((i) => i.name !== primary);
  const stragglers = replicas.filter((i) => !isStreamingFrom(i, primary));
  const primaryReady = instances.some((i) => i.name === primary && i.ready);
  if (!primaryReady) return { kind: 'wait', reason: `primary ${primary} is not ready` };
  if (stragglers.length > 0) {
    return { kind: 'wait', reason: `${stragglers.map((i) => i.name).join(', ')} not streaming yet` };
  }
  const outdatedReplicas = outdated.filter((i) => i.name !== primary).sort((a, b) => -moreAdvanced(a, b));
  if (outdatedReplicas[0] !== undefined) return { kind: 'replaceReplica', name: outdatedReplicas[0].name };
  if (replicas.length === 0) return { kind: 'restartPrimary' };
  if (strategy === 'supervised') return { kind: 'awaitUser' };
  const target = chooseSwitchoverTarget(instances, primary);
  return target === undefined
    ? { kind: 'wait', reason: 'no updated replica streams' }
    : { kind: 'switchover', to: target.name };
}
// #endregion

// #region nextSerial
/** The serial for a new instance: above every serial ever given out, so names are never reused. */
export function nextSerial(latestSerial: number | undefined, instances: readonly ObservedInstance[]): number {
  return Math.max(latestSerial ?? 0, ...instances.map((i) => i.serial)) + 1;
}
// #endregion
