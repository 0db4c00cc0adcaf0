/**
 * Status conditions with metav1.Condition semantics: {@link setCondition} adds or updates one and
 * moves `lastTransitionTime` only when `status` changes, so "since when is it Ready?" stays true.
 * Start with {@link setCondition}; {@link findCondition} and {@link isConditionTrue} read them.
 */
import { ConditionError } from './reconcileErrors.js';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A metav1.Condition as it is stored in `status.conditions`. */
export interface Condition {
  /** CamelCase, e.g. `Ready`; unique within the list. */
  type: string;
  status: ConditionStatus;
  /** CamelCase machine-readable cause of the last change, e.g. `ReplicasNotReady`. */
  reason: string;
  /** Human-readable detail; may be empty. */
  message: string;
  /** RFC 3339 with seconds precision: when `status` last changed. */
  lastTransitionTime: string;
  /** The `metadata.generation` this condition was computed from. */
  observedGeneration?: number;
}

/** What a caller sets: `lastTransitionTime` is the helper's job. */
export interface ConditionInput {
  type: string;
  status: ConditionStatus;
  reason: string;
  message?: string;
  observedGeneration?: number;
}

export interface ConditionsResult {
  conditions: Condition[];
  /** False when the list is equal to the one given (nothing to write). */
  changed: boolean;
}

// metav1.Condition's reason pattern and size limits, as the API server's OpenAPI schema states them.
const REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const MAX_TYPE = 316;
const MAX_REASON = 1024;
const MAX_MESSAGE = 32768;
const STATUSES: readonly string[] = ['True', 'False', 'Unknown'];

/** A metav1.Time: RFC 3339 in UTC with whole seconds (`2026-11-27T08:00:00Z`), as the server stores it. */
export function conditionTime(date: Date = new Date()): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('conditionTime: invalid date');
  return `${date.toISOString().slice(0, 19)}Z`;
}

function validate(input: ConditionInput): void {
  const type = input.type;
  if (typeof type !== 'string' || type === '') {
    throw new ConditionError('condition type is empty: give it a CamelCase type such as "Ready"');
  }
  const where = `condition ${JSON.stringify(type)}`;
  if (type.length > MAX_TYPE) {
    throw new ConditionError(`${where}: type is longer than ${MAX_TYPE} characters; shorten it`);
  }
  if (!STATUSES.includes(input.status)) {
    throw new ConditionError(
      `${where}: status ${JSON.stringify(input.status)} is not "True", "False" or "Unknown"`,
    );
  }
  const reason = input.reason;
  if (typeof reason !== 'string' || !REASON.test(reason) || reason.length > MAX_REASON) {
    throw new ConditionError(
      `${where}: reason ${JSON.stringify(reason)} is not a CamelCase identifier ` +
        `(${REASON.source}, at most ${MAX_REASON} characters); use e.g. "ReplicasNotReady"`,
    );
  }
  if (input.message !== undefined && input.message.length > MAX_MESSAGE) {
    throw new ConditionError(`${where}: message is longer than ${MAX_MESSAGE} characters; shorten it`);
  }
  const gen = input.observedGeneration;
  if (gen !== undefined && (!Number.isInteger(gen) || gen < 0)) {
    throw new ConditionError(`${where}: observedGeneration ${gen} must be an integer ≥ 0`);
  }
}

function sameCondition(a: Condition, b: Condition): boolean {
  return (
    a.type === b.type &&
    a.status === b.status &&
    a.reason === b.reason &&
    a.message === b.message &&
    a.lastTransitionTime === b.lastTransitionTime &&
    a.observedGeneration === b.observedGeneration
  );
}

/**
 * Adds the condition, or updates the one of the same type. `lastTransitionTime` becomes `now` when the
 * condition is new or its `status` changed, and is kept otherwise (a new reason, message or
 * observedGeneration is not a transition). Returns a new list; the given one is not modified.
 * Throws {@link ConditionError} on an empty type, a bad status or a reason that is not CamelCase.
 */
export function setCondition(
  list: readonly Condition[] | undefined,
  input: ConditionInput,
  now: Date = new Date(),
): ConditionsResult {
  validate(input);
  const conditions = [...(list ?? [])];
  const index = conditions.findIndex((c) => c.type === input.type);
  const existing = index < 0 ? undefined : conditions[index];
  const next: Condition = {
    type: input.type,
    status: input.status,
    reason: input.reason,
    message: input.message ?? '',
    lastTransitionTime:
      existing !== undefined && existing.status === input.status
        ? existing.lastTransitionTime
        : conditionTime(now),
  };
  if (input.observedGeneration !== undefined) next.observedGeneration = input.observedGeneration;
  if (existing === undefined) {
    conditions.push(next);
    return { conditions, changed: true };
  }
  if (sameCondition(existing, next)) return { conditions, changed: false };
  conditions[index] = next;
  return { conditions, changed: true };
}

/** The condition of this type, if any. */
export function findCondition(list: readonly Condition[] | undefined, type: string): Condition | undefined {
  return list?.find((c) => c.type === type);
}

/** True when the condition exists and its status is `"True"`; absent or Unknown is not true. */
export function isConditionTrue(list: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(list, type)?.status === 'True';
}

/** The list without the condition of this type; `changed` is false when there was none. */
export function removeCondition(list: readonly Condition[] | undefined, type: string): ConditionsResult {
  const conditions = (list ?? []).filter((c) => c.type !== type);
  return { conditions, changed: conditions.length !== (list?.length ?? 0) };
}
