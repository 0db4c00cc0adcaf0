/**
 * Server-side apply that skips the request when the cached object already matches: {@link applyObject}
 * is what a reconcile calls for every child, every time, without flooding the API server.
 *
 * Flow: `desired` gets the annotation `steward.dev/applied-hash` (a stable hash of `desired`); when
 * `current` (the cached object) carries that same hash and already holds every field of `desired`
 * with equal values, nothing is sent. Otherwise the object is applied with `force` (default true: the
 * controller owns its children's fields and takes them back from anyone who edited them).
 * Guarantees: removing a field from `desired` changes the hash, so it is applied and the server drops
 * the field this manager no longer owns; a field edited by someone else differs from `desired`, so it
 * is applied and corrected. Assumptions: `current` is this object as last seen (an informer's copy).
 * Caveats: a list the server merges with other managers' entries never matches by length, so such
 * objects are applied every time (correct, not skipped). An empty map or list in `desired` matches a
 * missing field, since the server drops them from built-in objects. Errors: the client's coded errors.
 */
import { createHash } from 'node:crypto';
import type { KubeClient, KubeObject, ResourceRef } from '../client/types.js';
import { canonicalJson } from './deepEqual.js';

/** The annotation holding the hash of what this field manager last applied. */
export const APPLIED_HASH_ANNOTATION = 'steward.dev/applied-hash';

export interface ApplyObjectOptions {
  /** The server-side apply field manager, e.g. the controller's name. */
  fieldManager: string;
  /** The object as last seen (from an informer); without it the apply is always sent. */
  current?: KubeObject | undefined;
  /** Take fields other managers own instead of failing with 409. Default true. */
  force?: boolean;
  signal?: AbortSignal;
}

export interface ApplyObjectResult<T extends KubeObject> {
  /** The server's object, or `current` when nothing was sent. */
  object: T;
  /** False when nothing was sent, or the server's resourceVersion did not move. */
  changed: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isEmpty = (v: unknown): boolean =>
  (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);

/**
 * True when `have` holds every field of `want` with an equal value (server-added fields are ignored). An
 * empty map or list in `want` is also held by a missing field: the real API server does not store them for
 * built-in kinds (Go's `omitempty`; e.g. a pod template's `annotations: {}`), so it never reads back.
 */
export function containsFields(have: unknown, want: unknown): boolean {
  if (have === undefined && isEmpty(want)) return true;
  if (isRecord(want)) {
    if (!isRecord(have)) return false;
    return Object.entries(want).every(([k, v]) => v === undefined || containsFields(have[k], v));
  }
  if (Array.isArray(want)) {
    return (
      Array.isArray(have) && have.length === want.length && want.every((v, i) => containsFields(have[i], v))
    );
  }
  return have === want;
}

/** The hash `applyObject` stores: sha-256 of the canonical JSON of `desired` (its own hash left out). */
export function appliedHash(desired: KubeObject): string {
  const annotations = { ...desired.metadata.annotations };
  delete annotations[APPLIED_HASH_ANNOTATION];
  const metadata = { ...desired.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete (metadata as { annotations?: unknown }).annotations;
  return createHash('sha256')
    .update(canonicalJson({ ...desired, metadata }))
    .digest('hex')
    .slice(0, 32);
}

/**
 * Applies `desired` (server-side apply with `fieldManager`) unless `current` already matches it; see
 * the module comment. `desired` is not modified.
 */
export async function applyObject<T extends KubeObject = KubeObject>(
  client: KubeClient,
  ref: ResourceRef,
  desired: KubeObject,
  options: ApplyObjectOptions,
): Promise<ApplyObjectResult<T>> {
  const hash = appliedHash(desired);
  const intent: KubeObject = {
    ...desired,
    metadata: {
      ...desired.metadata,
      annotations: { ...desired.metadata.annotations, [APPLIED_HASH_ANNOTATION]: hash },
    },
  };
  const current = options.current;
  // apiVersion and kind are left out of the comparison: list items of built-in kinds come without them.
  const { apiVersion: _apiVersion, kind: _kind, ...fields } = intent;
  if (
    current !== undefined &&
    current.metadata.annotations?.[APPLIED_HASH_ANNOTATION] === hash &&
    containsFields(current, fields)
  ) {
    return { object: current as T, changed: false };
  }
  const object = await client.apply<T>(ref, intent, {
    fieldManager: options.fieldManager,
    force: options.force ?? true,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const before = current?.metadata.resourceVersion;
  return { object, changed: before === undefined || object.metadata.resourceVersion !== before };
}
