/**
 * The reconcile loop: informer events → keys → work queue → workers → `reconcile(obj, ctx)`. Start
 * with {@link controller}; shapes are in controllerTypes.ts, update filters in predicates.ts.
 */
import type { Subscription } from 'rxjs';
import type { KubeObject, OwnerReference, ResourceRef } from '../client/types.js';
import { isTerminal } from '../errors/errors.js';
import type { InformerEvent } from '../informer/informerTypes.js';
import { objectKey } from '../informer/store.js';
import { workQueue } from '../queue/workQueue.js';
import { ControllerConfigError, ReconcileError, ReconcileResultError } from './controllerErrors.js';
import type {
  Controller,
  ControllerLogEntry,
  ControllerLogger,
  ControllerOptions,
  ReconcileContext,
} from './controllerTypes.js';

const defaultLog: ControllerLogger = (entry) => {
  if (entry.level === 'error')
    console.error(`[${entry.controller}] ${entry.key ?? ''} ${entry.msg}`, entry.error);
};

/** Builds a controller; nothing is watched until `start()`. */
export function controller<T extends KubeObject = KubeObject>(options: ControllerOptions<T>): Controller {
  const { name, client, informers, reconcile } = options;
  const workers = options.maxConcurrentReconciles ?? 1;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new ControllerConfigError(
      `controller ${name}: maxConcurrentReconciles must be an integer ≥ 1, got ${String(workers)}`,
    );
  }
  const predicates = options.predicates ?? [];
  const queue = workQueue({
    name,
    ...(options.rateLimiter === undefined ? {} : { rateLimiter: options.rateLimiter }),
  });
  const rawLog = options.log ?? defaultLog;
  // A logger that throws must not take a worker down with it.
  const log: ControllerLogger = (entry) => {
    try {
      rawLog(entry);
    } catch {
      /* the log line is lost; the loop goes on */
    }
  };
  const emit = (level: ControllerLogEntry['level'], msg: string, key?: string, error?: unknown): void =>
    log({
      level,
      controller: name,
      msg,
      ...(key === undefined ? {} : { key }),
      ...(error === undefined ? {} : { error }),
    });

  const informerFor = <S extends KubeObject>(ref: ResourceRef) =>
    informers.informer<S>({
      ref,
      ...(options.namespace !== undefined && ref.namespaced ? { namespace: options.namespace } : {}),
    });
  const primary = informerFor<T>(options.for);
  const ownerKeyOf = ownerKeyFunc(options.for);
  const sources: { subscribe: (s: Subscription[]) => void; sync: (signal?: AbortSignal) => Promise<void> }[] =
    [];

  // Each source turns an event into keys; a throw from user code (a map function, a predicate) or a
  // malformed object drops that event with a log line instead of ending the subscription.
  const addSource = <S extends KubeObject>(
    ref: ResourceRef,
    keysOf: (e: InformerEvent<S>) => Iterable<string>,
  ) => {
    const inf = informerFor<S>(ref);
    sources.push({
      subscribe: (subs) =>
        subs.push(
          inf.events$.subscribe((event) => {
            let keys: Iterable<string>;
            try {
              keys = keysOf(event);
              for (const key of keys) {
                if (typeof key === 'string' && key !== '') queue.add(key, { initial: event.initial });
              }
            } catch (error) {
              emit(
                'error',
                `dropped a ${ref.kind} ${event.type} event: mapping it to keys threw`,
                undefined,
                error,
              );
            }
          }),
        ),
      sync: (signal) => inf.waitForSync(signal),
    });
  };

  addSource<T>(options.for, (e) => {
    if (e.type === 'update' && e.oldObject !== undefined) {
      const { oldObject, object } = e;
      if (!predicates.every((p) => p(oldObject, object))) return [];
    }
    return [objectKey(e.object)];
  });
  for (const ref of options.owns ?? []) {
    addSource(ref, (e) => {
      const keys = new Set<string>();
      for (const obj of [e.oldObject, e.object]) {
        const key = obj === undefined ? undefined : ownerKeyOf(obj);
        if (key !== undefined) keys.add(key);
      }
      return keys;
    });
  }
  for (const source of options.watches ?? []) {
    addSource(source.ref, (e) => {
      const keys = source.map(e.object);
      return Array.isArray(keys) ? keys : [];
    });
  }

  const abort = new AbortController();
  const subscriptions: Subscription[] = [];
  let running: Promise<void>[] = [];
  let state: 'new' | 'started' | 'stopped' = 'new';

  async function processKey(key: string): Promise<void> {
    const obj = primary.store.get(key);
    if (obj === undefined) {
      // Deleted (or never cached): nothing to reconcile; clear its backoff.
      queue.forget(key);
      emit('debug', 'not in the cache (deleted); reconcile skipped', key);
      return;
    }
    const slash = key.indexOf('/');
    const ctx: ReconcileContext = {
      key,
      namespace: slash < 0 ? undefined : key.slice(0, slash),
      name: slash < 0 ? key : key.slice(slash + 1),
      attempt: queue.numRequeues(key),
      client,
      signal: abort.signal,
      log,
    };
    let result: unknown;
    try {
      result = await reconcile(obj, ctx);
    } catch (thrown) {
      const error =
        thrown instanceof Error
          ? thrown
          : new ReconcileError(`reconcile of ${key} threw a non-Error value: ${describe(thrown)}`, thrown);
      if (isTerminal(error)) {
        queue.forget(key);
        emit(
          'error',
          'reconcile failed with a TerminalError; not retried until the object changes',
          key,
          error,
        );
      } else {
        queue.addRateLimited(key);
        emit('error', `reconcile failed; retrying (attempt ${ctx.attempt + 1})`, key, error);
      }
      return;
    }
    applyResult(key, result);
  }

  function applyResult(key: string, result: unknown): void {
    if (result === undefined || result === null) {
      queue.forget(key);
      return;
    }
    if (typeof result === 'object') {
      const { requeue, requeueAfter } = result as { requeue?: unknown; requeueAfter?: unknown };
      const afterOk =
        requeueAfter === undefined ||
        (typeof requeueAfter === 'number' && requeueAfter >= 0 && requeueAfter < Infinity);
      const requeueOk = requeue === undefined || typeof requeue === 'boolean';
      if (afterOk && requeueOk) {
        if (typeof requeueAfter === 'number') {
          queue.forget(key);
          queue.addAfter(key, requeueAfter);
        } else if (requeue === true) {
          queue.addRateLimited(key);
        } else {
          queue.forget(key);
        }
        return;
      }
    }
    queue.addRateLimited(key);
    emit(
      'error',
      'reconcile returned an invalid result; retrying',
      key,
      new ReconcileResultError(
        `reconcile of ${key} returned ${describe(result)}; return undefined, { requeue: true } or { requeueAfter: ms ≥ 0 }`,
      ),
    );
  }

  async function work(): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await processKey(key);
      } catch (error) {
        // Only a bug here (the reconcile's own failures are handled above); keep the worker alive.
        queue.addRateLimited(key);
        emit('error', 'controller failed to process the key', key, error);
      } finally {
        queue.done(key);
      }
    }
  }

  return {
    name,
    queue,
    async start(signal) {
      if (state !== 'new')
        throw new ControllerConfigError(`controller ${name}: start() called twice or after stop()`);
      state = 'started';
      for (const source of sources) source.subscribe(subscriptions);
      informers.start();
      await Promise.all(sources.map((s) => s.sync(signal)));
      if (state !== 'started') return;
      running = Array.from({ length: workers }, () => work());
      emit('info', `started ${workers} worker(s)`);
    },
    async stop(stopOptions = {}) {
      if (state === 'stopped') return;
      state = 'stopped';
      for (const sub of subscriptions.splice(0)) sub.unsubscribe();
      const { drained, unfinished } = await queue.drain({ deadlineMs: stopOptions.deadlineMs ?? 30_000 });
      abort.abort();
      if (drained) await Promise.all(running);
      else emit('error', `stopped with reconciles still running: ${unfinished.join(', ')}`);
      running = [];
    },
  };
}

/** Maps an owned object to its controller owner's key, when that owner is of the primary kind. */
function ownerKeyFunc(primary: ResourceRef): (obj: KubeObject) => string | undefined {
  return (obj) => {
    const refs: unknown = obj.metadata?.ownerReferences;
    if (!Array.isArray(refs)) return undefined;
    const owner = (refs as OwnerReference[]).find((r) => r?.controller === true);
    if (owner === undefined || owner.kind !== primary.kind || typeof owner.name !== 'string')
      return undefined;
    if (groupOf(owner.apiVersion) !== primary.group) return undefined;
    if (!primary.namespaced) return owner.name;
    const ns = obj.metadata.namespace;
    return ns ? `${ns}/${owner.name}` : undefined;
  };
}

function groupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function describe(value: unknown): string {
  try {
    const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
