/**
 * Builds invariants: {@link invariant} from a check over the snapshot, and {@link never} from a
 * predicate that must never hold. The ready-made ones for Pods, Services and claims are in
 * `podInvariants.ts`; `watchInvariants.ts` runs them all on every event.
 */
import type { ResourceRef } from '@steward/core';
import type { Invariant, InvariantCheck, InvariantEvent, Snapshot } from './invariantTypes.js';

export interface InvariantOptions {
  /** Kinds the check reads (watched automatically); or list them in `watchInvariants({ kinds })`. */
  kinds?: readonly ResourceRef[];
}

/**
 * An invariant from a check run on every event: return nothing (or `true`) when it holds, a message
 * (or `false`) when it does not. The check is shared by every watch it is given to, so keep state out
 * of it; an invariant with history implements {@link Invariant}'s `begin()` instead.
 */
export function invariant(name: string, check: InvariantCheck, options: InvariantOptions = {}): Invariant {
  return { name, kinds: options.kinds ?? [], begin: () => check };
}

/**
 * An invariant that `predicate` never holds: `true` (or a message, which is reported) is a violation.
 * `never('two primaries', (s) => s.list(builtin.pods, { labelSelector: 'role=primary' }).length > 1)`.
 */
export function never(
  name: string,
  predicate: (snapshot: Snapshot, event: InvariantEvent) => boolean | string | undefined,
  options: InvariantOptions = {},
): Invariant {
  return invariant(
    name,
    (snapshot, event) => {
      const result = predicate(snapshot, event);
      if (result === true) return `${name} happened`;
      return typeof result === 'string' ? result : undefined;
    },
    options,
  );
}
