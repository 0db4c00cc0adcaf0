/**
 * A status writer for one object: collect conditions and fields, then {@link StatusUpdater.commit}
 * writes the status subresource once, and not at all when nothing changed. Start with
 * {@link statusUpdater}.
 *
 * Flow: the desired status starts as a copy of the object's status with `observedGeneration` set to
 * `metadata.generation`; `setCondition` and `set` change it; `commit` compares it with the status as
 * read and, if they differ, sends a JSON merge patch to `/status` carrying `metadata.resourceVersion`.
 * Guarantees: no request when the status is unchanged; a write based on a stale read fails with
 * `ConflictError` (retryable: the controller reads again and reconciles again) instead of overwriting
 * someone else's newer status. Errors: `StatusSubresourceError` when the kind has no status
 * subresource; the client's coded errors otherwise.
 */
import { NotFoundError } from '../client/errors.js';
import type { KubeClient, KubeObject, ResourceRef } from '../client/types.js';
import { setCondition as setConditionIn, type Condition, type ConditionInput } from './conditions.js';
import { deepEqual } from './deepEqual.js';
import { StatusSubresourceError } from './reconcileErrors.js';

export type StatusFields = Record<string, unknown>;

export interface StatusUpdaterOptions {
  /** The clock for conditions' `lastTransitionTime`; default the system clock. */
  now?: () => Date;
}

export interface StatusUpdater<T extends KubeObject = KubeObject> {
  /** Sets a condition in `status.conditions`; `observedGeneration` defaults to `metadata.generation`. */
  setCondition(input: ConditionInput): StatusUpdater<T>;
  /** Sets top-level status fields; a field set to `undefined` is removed. */
  set(fields: StatusFields): StatusUpdater<T>;
  /** The desired status so far (a copy). */
  readonly status: StatusFields;
  /**
   * Writes the status if it differs from the one read. `object` is the server's answer, or the object
   * as read when nothing was written. After a commit the updater continues from the written object.
   */
  commit(options?: { signal?: AbortSignal }): Promise<{ object: T; changed: boolean }>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 merge patch from `from` to `to`: removed keys become null, arrays are replaced whole. */
function mergePatch(from: StatusFields, to: StatusFields): StatusFields {
  const patch: StatusFields = {};
  for (const key of Object.keys(from)) {
    if (to[key] === undefined && from[key] !== undefined) patch[key] = null;
  }
  for (const [key, value] of Object.entries(to)) {
    if (value === undefined) continue;
    const old = from[key];
    if (deepEqual(old, value)) continue;
    patch[key] = isRecord(old) && isRecord(value) ? mergePatch(old, value) : value;
  }
  return patch;
}

const statusOf = (obj: KubeObject): StatusFields => (isRecord(obj['status']) ? obj['status'] : {});

/** A status updater for `obj` (as read, with its resourceVersion) of the resource `ref`. */
export function statusUpdater<T extends KubeObject>(
  client: KubeClient,
  ref: ResourceRef,
  obj: T,
  options: StatusUpdaterOptions = {},
): StatusUpdater<T> {
  const now = options.now ?? (() => new Date());
  let current = obj;
  let desired: StatusFields = {};

  const reset = (from: T): void => {
    current = from;
    desired = structuredClone(statusOf(from));
    const generation = from.metadata.generation;
    if (generation !== undefined) desired['observedGeneration'] = generation;
  };
  reset(obj);

  const label = (): string => {
    const { namespace, name } = current.metadata;
    return `${ref.kind} ${namespace === undefined || namespace === '' ? '' : `${namespace}/`}${name ?? '?'}`;
  };

  const updater: StatusUpdater<T> = {
    setCondition(input) {
      const generation = current.metadata.generation;
      const full: ConditionInput =
        input.observedGeneration === undefined && generation !== undefined
          ? { ...input, observedGeneration: generation }
          : input;
      const list = Array.isArray(desired['conditions']) ? (desired['conditions'] as Condition[]) : [];
      desired['conditions'] = setConditionIn(list, full, now()).conditions;
      return updater;
    },
    set(fields) {
      for (const [key, value] of Object.entries(fields)) {
        if (value === undefined) delete desired[key];
        else desired[key] = structuredClone(value);
      }
      return updater;
    },
    get status() {
      return structuredClone(desired);
    },
    async commit(commitOptions = {}) {
      const read = statusOf(current);
      if (deepEqual(read, desired)) return { object: current, changed: false };
      const { name, namespace, resourceVersion } = current.metadata;
      if (name === undefined || name === '') {
        throw new StatusSubresourceError(`${label()}: the object has no metadata.name; pass it as read`);
      }
      const patch = { metadata: { resourceVersion }, status: mergePatch(read, desired) };
      let written: T;
      try {
        written = await client.patchStatus<T>(ref, name, patch, {
          type: 'merge',
          ...(namespace === undefined ? {} : { namespace }),
          ...(commitOptions.signal === undefined ? {} : { signal: commitOptions.signal }),
        });
      } catch (error) {
        // A missing object's 404 names it; a missing subresource's 404 names nothing.
        if (error instanceof NotFoundError && error.status.details?.name === undefined) {
          throw new StatusSubresourceError(
            `${label()}: the server has no status subresource for ${ref.plural}; ` +
              'add `subresources: { status: {} }` to the CRD version',
            { cause: error },
          );
        }
        throw error;
      }
      reset(written);
      return { object: written, changed: true };
    },
  };
  return updater;
}
