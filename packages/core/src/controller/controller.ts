/**
 * The reconcile loop: informer events → keys → work queue → workers → `reconcile(obj, ctx)` (or
 * `cleanup` for objects being deleted, with a finalizer). Start with {@link controller}; shapes are
 * in controllerTypes.ts, the context in reconcileContext.ts, update filters in predicates.ts, the
 * finalizer in ../finalizer/finalizer.ts, read-your-writes in readYourWrites.ts.
 */
import type { Subscription } from 'rxjs';
import type { KubeObject } from '../client/types.js';
import { defaultFinalizerName, finalizer } from '../finalizer/finalizer.js';
import { workQueue } from '../queue/workQueue.js';
import { hostname } from 'node:os';
import { eventRecorder } from '../reconcile/eventRecorder.js';
import { PAUSED_ANNOTATION } from '../reconcile/paused.js';
import { cachedReader } from './cachedReader.js';
import { ControllerConfigError, ReconcileResultError } from './controllerErrors.js';
import { guardedMetrics } from './controllerMetrics.js';
import { controllerSources, pausedSafe } from './controllerSources.js';
import type {
  Controller,
  ControllerLogEntry,
  ControllerLogger,
  ControllerOptions,
} from './controllerTypes.js';
import { readYourWrites, recordingClient } from './readYourWrites.js';
import { reconcileContext } from './reconcileContext.js';
import type { ContextDeps } from './reconcileContext.js';
import { failureOf, outcomeOf } from './reconcileOutcome.js';
import type { Outcome } from './reconcileOutcome.js';

const defaultLog: ControllerLogger = (entry) => {
  if (entry.level === 'error')
    console.error(`[${entry.controller}] ${entry.key ?? ''} ${entry.msg}`, entry.error);
};

/** Builds a controller; nothing is watched until `start()`. */
export function controller<T extends KubeObject = KubeObject>(options: ControllerOptions<T>): Controller {
  const { name, client, informers, reconcile, cleanup } = options;
  const workers = options.maxConcurrentReconciles ?? 1;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new ControllerConfigError(
      `controller ${name}: maxConcurrentReconciles must be an integer ≥ 1, got ${String(workers)}`,
    );
  }
  const rywTimeoutMs = options.readYourWritesTimeoutMs ?? 5_000;
  if (!(rywTimeoutMs >= 0 && rywTimeoutMs < Infinity)) {
    throw new ControllerConfigError(
      `controller ${name}: readYourWritesTimeoutMs must be a finite number ≥ 0, got ${String(rywTimeoutMs)}`,
    );
  }
  const fin =
    cleanup === undefined
      ? undefined
      : finalizer({
          name: options.finalizer ?? defaultFinalizerName(options.for, name),
          client,
          ref: options.for,
        });
  const metrics = guardedMetrics(options.metrics);
  const queue = workQueue({
    name,
    ...(options.rateLimiter === undefined ? {} : { rateLimiter: options.rateLimiter }),
    ...(options.queueMetrics === undefined ? {} : { metrics: options.queueMetrics }),
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

  const abort = new AbortController();
  const cache = cachedReader(informers, options.namespace);
  const ryw = readYourWrites({ timeoutMs: rywTimeoutMs, covering: (ref, ns) => cache.covering(ref, ns) });
  const deps: ContextDeps = {
    controller: name,
    primary: options.for,
    log,
    signal: abort.signal,
    reader: cache.reader(abort.signal),
    events: eventRecorder(client, {
      controller: options.eventsController ?? `steward.dev/${name}`,
      instance: options.eventsInstance ?? process.env['POD_NAME'] ?? hostname(),
      onError: (error) => emit('error', 'an Event could not be recorded', undefined, error),
    }),
    fieldManager: options.fieldManager ?? name,
    writerFor: (key) =>
      recordingClient(client, (ref, written, target) => ryw.record(key, ref, written, target)),
  };
  const primary = cache.informerFor<T>(options.for);
  const sources = controllerSources(options, cache, queue, (msg, error) =>
    emit('error', msg, undefined, error),
  );

  const subscriptions: Subscription[] = [];
  let running: Promise<void>[] = [];
  let state: 'new' | 'started' | 'stopped' = 'new';
  let active = 0;

  /** The cached object, once the caches have caught up with this key's last writes. */
  async function current(key: string): Promise<T | undefined | 'stale'> {
    if (primary.store.get(key) === undefined) return undefined;
    if (!(await ryw.waitFor(key, abort.signal))) return 'stale';
    return primary.store.get(key);
  }

  async function processKey(key: string): Promise<void> {
    const cached = await current(key);
    if (cached === undefined) {
      // Deleted (or never cached): nothing to reconcile; clear its backoff and its pending writes.
      queue.forget(key);
      ryw.forget(key);
      emit('debug', 'not in the cache (deleted); reconcile skipped', key);
      return;
    }
    if (cached === 'stale') {
      if (abort.signal.aborted) return;
      queue.addRateLimited(key);
      emit(
        'info',
        `the cache has not caught up with this controller's last writes in ${rywTimeoutMs} ms; requeued`,
        key,
      );
      return;
    }
    if (pausedSafe(cached)) {
      queue.forget(key);
      emit(
        'debug',
        `paused (annotation ${PAUSED_ANNOTATION}: "true"); no reconcile, cleanup or finalizer write`,
        key,
      );
      return;
    }
    const step = fin === undefined ? 'reconcile' : fin.step(cached);
    if (step === 'skip') {
      queue.forget(key);
      emit('debug', 'being deleted and our finalizer is gone; nothing to do', key);
      return;
    }
    const { ctx, commitStatus } = reconcileContext(deps, key, cached, queue.numRequeues(key));
    const what = step === 'cleanup' ? 'cleanup' : 'reconcile';
    const started = performance.now();
    let outcome: Outcome;
    try {
      let obj = cached;
      if (step === 'add' && fin !== undefined) {
        obj = await fin.add(cached, abort.signal);
        ryw.record(key, options.for, obj, obj);
        ctx.object = obj;
        ctx.log.debug(`added finalizer ${fin.name}`);
      }
      const fn = step === 'cleanup' && cleanup !== undefined ? cleanup : reconcile;
      outcome = outcomeOf(key, await fn(obj, ctx));
      if (outcome.error === undefined) await commitStatus();
      if (
        step === 'cleanup' &&
        fin !== undefined &&
        outcome.queue === 'forget' &&
        outcome.error === undefined
      ) {
        ryw.record(key, options.for, await fin.remove(obj, abort.signal), obj);
        ctx.log.debug(`cleanup done; removed finalizer ${fin.name}`);
      }
    } catch (thrown) {
      outcome = failureOf(key, thrown);
    }
    metrics?.reconciled(outcome.metric, (performance.now() - started) / 1000, outcome.terminal);
    if (outcome.queue === 'forget') queue.forget(key);
    else if (outcome.queue === 'after') {
      queue.forget(key);
      queue.addAfter(key, outcome.delayMs ?? 0);
    } else queue.addRateLimited(key);
    if (outcome.error === undefined) return;
    if (outcome.terminal)
      ctx.log.error(
        `${what} failed with a TerminalError; not retried until the object changes`,
        outcome.error,
      );
    else if (outcome.error instanceof ReconcileResultError)
      ctx.log.error(`${what} returned an invalid result; retrying`, outcome.error);
    else ctx.log.error(`${what} failed; retrying (attempt ${ctx.attempt + 1})`, outcome.error);
  }

  async function work(): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      metrics?.activeWorkers(++active);
      try {
        await processKey(key);
      } catch (error) {
        // Only a bug here (the reconcile's own failures are handled above); keep the worker alive.
        queue.addRateLimited(key);
        emit('error', 'controller failed to process the key', key, error);
      } finally {
        metrics?.activeWorkers(--active);
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
      metrics?.maxConcurrentReconciles(workers);
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
