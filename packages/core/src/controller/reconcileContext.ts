/**
 * Builds the context one reconcile (or cleanup) gets: its id, the object, a bound logger, the cached
 * reader, the recording writer, and the reconcile helpers (status, events, owner references, apply)
 * bound to the object. Start with {@link reconcileContext}; controller.ts calls it once per key taken
 * from the queue.
 */
import { randomBytes } from 'node:crypto';
import type { KubeClient, KubeObject, ResourceRef } from '../client/types.js';
import { applyObject } from '../reconcile/apply.js';
import type { EventRecorder } from '../reconcile/eventRecorder.js';
import { setControllerReference } from '../reconcile/ownerReferences.js';
import { statusUpdater } from '../reconcile/statusUpdater.js';
import type { StatusUpdater } from '../reconcile/statusUpdater.js';
import type {
  CachedReader,
  ControllerLogEntry,
  ControllerLogger,
  ReconcileContext,
} from './controllerTypes.js';

/** What the controller supplies for every context. */
export interface ContextDeps {
  controller: string;
  primary: ResourceRef;
  log: ControllerLogger;
  signal: AbortSignal;
  reader: CachedReader;
  /** The writer, wrapped to record this key's writes for read-your-writes. */
  writerFor(key: string): KubeClient;
  /** The controller's one event recorder. */
  events: EventRecorder;
  fieldManager: string;
}

/** A context, and the commit of the status the reconcile changed but did not write. */
export interface ContextHandle<T extends KubeObject> {
  ctx: ReconcileContext<T>;
  /** Commits `ctx.status` when it was changed after its last commit; else does nothing. */
  commitStatus: () => Promise<void>;
}

// 8 hex digits from a pool refilled 4 KB at a time: one random syscall per 512 reconciles.
let pool = Buffer.alloc(0);
let offset = 0;
/** A short random id: enough to tell one reconcile's lines from another's in a day of logs. */
export function newReconcileId(): string {
  if (offset + 4 > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  offset += 4;
  return pool.toString('hex', offset - 4, offset);
}

export function reconcileContext<T extends KubeObject>(
  deps: ContextDeps,
  key: string,
  object: T,
  attempt: number,
): ContextHandle<T> {
  const slash = key.indexOf('/');
  const namespace = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  const reconcileId = newReconcileId();
  const about = {
    kind: deps.primary.kind,
    ...(namespace === undefined ? {} : { namespace }),
    name,
  };
  const line = (
    level: ControllerLogEntry['level'],
    msg: string,
    error: unknown,
    fields: Record<string, unknown> | undefined,
  ): void =>
    deps.log({
      level,
      controller: deps.controller,
      msg: typeof msg === 'string' ? msg : String(msg),
      key,
      object: about,
      reconcileId,
      ...(error === undefined ? {} : { error }),
      ...(fields === undefined ? {} : { fields }),
    });
  const client = deps.writerFor(key);
  // Built on first use, from the object as it is then (after the finalizer patch, if any), so the
  // status write carries the latest resourceVersion; `dirty` tracks changes not yet committed.
  let status: StatusUpdater<T> | undefined;
  let dirty = false;
  const statusOf = (): StatusUpdater<T> => {
    if (status !== undefined) return status;
    const inner = statusUpdater<T>(client, deps.primary, ctx.object);
    const wrapped: StatusUpdater<T> = {
      setCondition(input) {
        dirty = true;
        inner.setCondition(input);
        return wrapped;
      },
      set(fields) {
        dirty = true;
        inner.set(fields);
        return wrapped;
      },
      get status() {
        return inner.status;
      },
      async commit(options) {
        dirty = false;
        const result = await inner.commit({ signal: deps.signal, ...options });
        ctx.object = result.object;
        return result;
      },
    };
    return (status = wrapped);
  };
  const ctx: ReconcileContext<T> = {
    key,
    namespace,
    name,
    attempt,
    signal: deps.signal,
    reconcileId,
    object,
    client,
    reader: deps.reader,
    log: {
      debug: (msg, fields) => line('debug', msg, undefined, fields),
      info: (msg, fields) => line('info', msg, undefined, fields),
      error: (msg, error, fields) => line('error', msg, error, fields),
    },
    events: {
      normal: (reason, note, action) => deps.events.normal(ctx.object, reason, note, action),
      warning: (reason, note, action) => deps.events.warning(ctx.object, reason, note, action),
    },
    get status() {
      return statusOf();
    },
    // A child of a namespaced primary must live in its namespace: one without a namespace goes there.
    own: (child) =>
      setControllerReference(
        ctx.object,
        namespace === undefined || child.metadata.namespace !== undefined
          ? child
          : { ...child, metadata: { ...child.metadata, namespace } },
      ),
    async apply<C extends KubeObject>(
      ref: ResourceRef,
      desired: C,
    ): Promise<{ object: C; changed: boolean }> {
      const ns = ref.namespaced ? (desired.metadata.namespace ?? namespace) : undefined;
      const placed: C =
        ns === undefined || ns === desired.metadata.namespace
          ? desired
          : { ...desired, metadata: { ...desired.metadata, namespace: ns } };
      const current = await deps.reader.get<C>(ref, desired.metadata.name ?? '', ns ? { namespace: ns } : {});
      return applyObject<C>(client, ref, placed, {
        fieldManager: deps.fieldManager,
        current,
        signal: deps.signal,
      });
    },
  };
  return {
    ctx,
    commitStatus: async () => {
      if (dirty && status !== undefined) await status.commit();
    },
  };
}
