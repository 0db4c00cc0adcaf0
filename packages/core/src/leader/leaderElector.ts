/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's semantics: only the process
 * holding the lease runs its controllers. Start with {@link leaderElector}; the lease record logic is
 * in `leaseRecord.ts`.
 */
import { ConflictError, AlreadyExistsError, NotFoundError } from '../client/errors.js';
import { builtin } from '../client/resourceRef.js';
import type { KubeClient } from '../client/types.js';
import { StewardError } from '../errors/errors.js';
import { heldByOther, nextLease, releasedLease, type Lease } from './leaseRecord.js';

export interface LeaderElectorOptions {
  client: KubeClient;
  /** Namespace and name of the Lease (created when missing). */
  namespace: string;
  name: string;
  /** This candidate's identity, unique among candidates (e.g. the pod name). */
  identity: string;
  /** How long a lease stays valid after its renewTime; followers wait this long. Default 15 000. */
  leaseDurationMs?: number;
  /** The leader stops leading when no renewal succeeded for this long. Default 10 000. */
  renewDeadlineMs?: number;
  /** Time between acquire attempts (jittered) and between renewals. Default 2 000. */
  retryPeriodMs?: number;
  /** Called on becoming leader; `signal` aborts the moment leadership is lost or released. */
  onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** Called once when leadership ends (after `signal` aborted). */
  onStoppedLeading?: () => void;
  /** Called whenever the observed holder changes to a non-empty identity (including this one). */
  onNewLeader?: (identity: string) => void;
}

export interface LeaderElector {
  /**
   * Campaigns until leading, then renews. Resolves when this elector is finished: leadership was lost
   * (the process should exit, as with client-go) or `release()` was called. Rejects with the error of
   * `onStartedLeading` if it rejects (leadership is released first). Call once.
   */
  start(): Promise<void>;
  /** Stops campaigning; when leading, stops leading (aborts the signal) and clears the holder so another candidate takes over at once. */
  release(): Promise<void>;
  isLeader(): boolean;
  /** The last observed holder, or undefined when none was seen. */
  leader(): string | undefined;
}

/** Invalid elector options (durations out of order, empty identity). Not retryable. */
export class LeaderElectionError extends StewardError {
  constructor(message: string) {
    super('LEADER_ELECTION_CONFIG', message, false);
  }
}

/** client-go's JitterFactor: acquire retries wait retryPeriod × [1, 2.2). */
const JITTER = 1.2;

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Builds a leader elector; nothing happens until `start()`. */
export function leaderElector(options: LeaderElectorOptions): LeaderElector {
  const { client, namespace, name, identity } = options;
  const leaseDurationMs = options.leaseDurationMs ?? 15_000;
  const renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
  const retryPeriodMs = options.retryPeriodMs ?? 2_000;
  const where = `lease ${namespace}/${name}`;
  if (!identity) throw new LeaderElectionError(`${where}: identity must be non-empty (use the pod name)`);
  if (!(retryPeriodMs > 0)) throw new LeaderElectionError(`${where}: retryPeriodMs must be > 0`);
  // A leader must give up before a follower may take over, or both would lead at once.
  if (!(leaseDurationMs > renewDeadlineMs)) {
    throw new LeaderElectionError(
      `${where}: leaseDurationMs (${leaseDurationMs}) must be greater than renewDeadlineMs (${renewDeadlineMs})`,
    );
  }
  if (!(renewDeadlineMs > JITTER * retryPeriodMs)) {
    throw new LeaderElectionError(
      `${where}: renewDeadlineMs (${renewDeadlineMs}) must be greater than ${JITTER} × retryPeriodMs (${retryPeriodMs})`,
    );
  }

  let started = false;
  let released = false;
  let leading = false;
  let observed: Lease | undefined; // the last record read or written
  let observedAt = 0; // local time `observed` last changed, for records without a renewTime
  let lastHolder: string | undefined;
  let leadership: AbortController | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let finish: (() => void) | undefined;
  const stopper = new AbortController(); // aborted by release(): ends sleeps and requests

  const observe = (lease: Lease): void => {
    if (lease.metadata?.resourceVersion !== observed?.metadata?.resourceVersion) observedAt = Date.now();
    observed = lease;
    const holder = lease.spec?.holderIdentity;
    if (holder && holder !== lastHolder) {
      lastHolder = holder;
      try {
        options.onNewLeader?.(holder);
      } catch {
        // A failing observer callback must not stop the campaign or the renewals.
      }
    }
  };

  /** Ends leadership synchronously: abort first, so the work stops before anyone else may start. */
  const stopLeading = (): void => {
    if (!leading) return;
    leading = false;
    clearTimeout(deadline);
    leadership?.abort(new StewardError('LEADERSHIP_LOST', `${identity} no longer leads ${where}`, true));
    try {
      options.onStoppedLeading?.();
    } catch {
      // Runs from the deadline timer: a throw here would crash the process, not stop anything more.
    }
    finish?.();
  };

  /** One attempt: true when this identity now holds the lease; false when another does. */
  const tryAcquireOrRenew = async (signal: AbortSignal): Promise<boolean> => {
    const nowMs = Date.now();
    // Fast path while leading: PUT over the record we wrote last; a conflict means someone wrote since.
    if (!leading || observed === undefined) {
      let current: Lease;
      try {
        current = await client.get<Lease>(builtin.leases, name, { namespace, signal });
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        try {
          const created = await client.create<Lease>(
            builtin.leases,
            nextLease(undefined, identity, leaseDurationMs, nowMs, { metadata: { name, namespace } }),
            { namespace, signal },
          );
          observe(created);
          return true;
        } catch (createErr) {
          if (createErr instanceof AlreadyExistsError) return false; // another candidate created it first
          throw createErr;
        }
      }
      observe(current);
      if (heldByOther(current, identity, leaseDurationMs, Date.now(), observedAt)) return false;
    }
    const base = observed as Lease;
    try {
      const written = await client.replace<Lease>(
        builtin.leases,
        nextLease(base, identity, leaseDurationMs, nowMs, base),
        { namespace, signal },
      );
      observe(written);
      return true;
    } catch (err) {
      if (err instanceof ConflictError) {
        observed = undefined; // read again next time
        if (!leading) return false; // another candidate won the race
      }
      throw err;
    }
  };

  const armDeadline = (renewedAtMs: number): void => {
    clearTimeout(deadline);
    // Measured from the renewTime written, which followers measure their lease duration from.
    deadline = setTimeout(stopLeading, Math.max(0, renewedAtMs + renewDeadlineMs - Date.now()));
  };

  const run = async (): Promise<void> => {
    const lease = new AbortController();
    // Acquire: retry with jitter so candidates started together do not collide every period.
    for (;;) {
      if (released) return;
      const attemptAt = Date.now();
      // A hung request must not stall the campaign: each attempt gets the renew deadline.
      const attempt = AbortSignal.any([stopper.signal, AbortSignal.timeout(renewDeadlineMs)]);
      const won = await tryAcquireOrRenew(attempt).catch(() => false);
      if (released) {
        if (won) await clearHolder(); // the write landed after release(): give it back at once
        return;
      }
      if (won) {
        leading = true;
        leadership = lease;
        armDeadline(attemptAt);
        break;
      }
      await sleep(retryPeriodMs * (1 + Math.random() * JITTER), stopper.signal);
    }
    const ended = new Promise<void>((resolve) => (finish = resolve));
    const work = Promise.resolve()
      .then(() => options.onStartedLeading(lease.signal))
      .then(
        () => undefined,
        (err: unknown) => ({ err }),
      );
    // Renew every retry period until the deadline fires, another holder is seen, or release().
    const renewing = (async () => {
      let renewedAt = Date.now();
      const signal = lease.signal;
      for (;;) {
        await sleep(Math.max(0, renewedAt + retryPeriodMs - Date.now()), signal);
        if (!leading) return;
        const attemptAt = Date.now();
        try {
          if (await tryAcquireOrRenew(signal)) {
            if (!leading) return; // the answer came after the deadline: too late to count
            renewedAt = attemptAt;
            armDeadline(attemptAt);
          } else {
            stopLeading(); // someone else holds it
          }
        } catch {
          renewedAt = Date.now(); // failed: retry after a retry period, until the deadline
        }
      }
    })();
    const failed = await Promise.race([work, ended.then(() => undefined)]);
    if (failed) {
      await release();
      throw failed.err;
    }
    await ended;
    await renewing;
  };

  /** Clears the holder so a follower acquires at once instead of waiting out the lease duration. */
  const clearHolder = async (): Promise<void> => {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const current = await client.get<Lease>(builtin.leases, name, { namespace });
        if (current.spec?.holderIdentity !== identity) return;
        await client.replace<Lease>(builtin.leases, releasedLease(current, Date.now()), { namespace });
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) return; // best effort: the lease expires anyway
      }
    }
  };

  const release = async (): Promise<void> => {
    released = true;
    stopper.abort();
    if (!leading) return;
    stopLeading();
    await clearHolder();
  };

  return {
    start() {
      if (started) return Promise.reject(new LeaderElectionError(`${where}: start() called twice`));
      started = true;
      return run();
    },
    release,
    isLeader: () => leading,
    leader: () => lastHolder,
  };
}
