/**
 * Builds the context one reconcile (or cleanup) gets: its id, the object, a bound logger, the cached
 * reader and the recording writer. Start with {@link reconcileContext}; controller.ts calls it once
 * per key taken from the queue.
 */
import { randomBytes } from 'node:crypto';
import type { KubeClient, KubeObject, ResourceRef } from '../client/types.js';
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
): ReconcileContext<T> {
  const slash = key.indexOf('/');
  const namespace = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  const reconcileId = newReconcileId();
  const ref = {
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
      object: ref,
      reconcileId,
      ...(error === undefined ? {} : { error }),
      ...(fields === undefined ? {} : { fields }),
    });
  return {
    key,
    namespace,
    name,
    attempt,
    signal: deps.signal,
    reconcileId,
    object,
    client: deps.writerFor(key),
    reader: deps.reader,
    log: {
      debug: (msg, fields) => line('debug', msg, undefined, fields),
      info: (msg, fields) => line('info', msg, undefined, fields),
      error: (msg, error, fields) => line('error', msg, error, fields),
    },
  };
}
