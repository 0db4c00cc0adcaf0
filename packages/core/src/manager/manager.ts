/**
 * The manager: runs several controllers in one process over one client and one shared informer
 * factory, with warm caches before leadership, leader election, health probes and Prometheus metrics.
 * Start with {@link manager}; shapes are in managerTypes.ts, the HTTP side in probeServer.ts.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Registry } from 'prom-client';
import { loadKubeConfig } from '../client/loadKubeConfig.js';
import { kubeClient } from '../client/kubeClient.js';
import type { KubeObject, ResourceRef } from '../client/types.js';
import { controller } from '../controller/controller.js';
import type { Controller, ControllerLogger } from '../controller/controllerTypes.js';
import { sharedInformerFactory } from '../informer/sharedInformerFactory.js';
import { leaderElector, type LeaderElector } from '../leader/leaderElector.js';
import { jsonLogger } from '../log/jsonLogger.js';
import {
  controllerMetrics,
  leaderElectionMetrics,
  workQueueMetrics,
  type RegisteredWorkQueueMetrics,
} from '../metrics/controllerMetrics.js';
import { fencedClient } from './fencedClient.js';
import { ManagerConfigError } from './managerErrors.js';
import type { ManagedControllerOptions, Manager, ManagerOptions } from './managerTypes.js';
import { probeServer, type ProbeRoute, type ProbeServer } from './probeServer.js';
import { readiness } from './readiness.js';

interface Running {
  ctrl: Controller;
  queueMetrics: RegisteredWorkQueueMetrics;
}

/** Builds a manager; nothing is watched or served until `start()`. */
export function manager(options: ManagerOptions = {}): Manager {
  const ownsClient = options.client === undefined;
  const client = options.client ?? kubeClient(loadKubeConfig(options.kubeConfig));
  const informers = sharedInformerFactory(client);
  const registry = (options.metrics === false ? undefined : options.metrics?.registry) ?? new Registry();
  const log: ControllerLogger = safeLogger(options.log ?? jsonLogger());
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 30_000;
  const le = options.leaderElection === false ? undefined : options.leaderElection;
  const leaderGauge = le === undefined ? undefined : leaderElectionMetrics(registry, le.name);
  const emit = (level: 'info' | 'error' | 'debug', msg: string, error?: unknown): void =>
    log({ level, controller: 'manager', msg, ...(error === undefined ? {} : { error }) });

  const registered = new Map<string, ManagedControllerOptions>();
  const running = new Map<string, Running>();
  const servers: ProbeServer[] = [];
  let state: 'new' | 'starting' | 'started' | 'stopping' | 'stopped' = 'new';
  let healthUrl: string | undefined;
  let metricsUrl: string | undefined;
  /** The current term: aborted when controllers must stop (leadership lost, or the manager stopping). */
  let term: { abort: AbortController; signal: AbortSignal } | undefined;
  let elector: LeaderElector | undefined;
  let campaign: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  let markStopped: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));

  const namespaceOf = (opts: ManagedControllerOptions, ref: ResourceRef): string | undefined =>
    ref.namespaced ? (opts.namespace ?? options.namespace) : undefined;

  /** Creates a controller's informers with the keys the controller itself will ask for, so they are shared. */
  const preCreate = (opts: ManagedControllerOptions): void => {
    const refs = [opts.for, ...(opts.owns ?? []), ...(opts.watches ?? []).map((w) => w.ref)];
    for (const ref of refs) {
      const namespace = namespaceOf(opts, ref);
      informers.informer({ ref, ...(namespace === undefined ? {} : { namespace }) });
    }
  };

  const startController = async (opts: ManagedControllerOptions, signal: AbortSignal): Promise<void> => {
    const { name } = opts;
    let ctrl: Controller | undefined;
    const queueMetrics = workQueueMetrics(registry, name, {
      unfinished: () => ctrl?.queue.unfinishedWorkSeconds() ?? 0,
      longest: () => ctrl?.queue.longestRunningProcessorSeconds() ?? 0,
    });
    const namespace = opts.namespace ?? options.namespace;
    ctrl = controller({
      ...opts,
      ...(namespace === undefined ? {} : { namespace }),
      // Under leader election, writes are fenced by the term: refused once leadership is lost.
      client: le === undefined ? client : fencedClient(client, signal, `controller ${name}`),
      informers,
      log,
      metrics: controllerMetrics(registry, name),
      queueMetrics,
    });
    running.set(name, { ctrl, queueMetrics });
    try {
      await ctrl.start(signal);
    } catch (error) {
      if (!signal.aborted) emit('error', `controller ${name} failed to start`, error);
    }
  };

  /** Stops every running controller; `deadlineMs` 0 aborts their reconciles at once. */
  const stopControllers = async (deadlineMs: number): Promise<void> => {
    const all = [...running.values()];
    running.clear();
    await Promise.all(
      all.map(async ({ ctrl, queueMetrics }) => {
        try {
          await ctrl.stop({ deadlineMs });
        } finally {
          queueMetrics.dispose();
        }
      }),
    );
  };

  /** Controllers cannot restart: each leadership term (or the only term, without election) builds fresh ones. */
  const beginTerm = async (signal: AbortSignal): Promise<void> => {
    const abort = new AbortController();
    const current = { abort, signal: AbortSignal.any([signal, abort.signal]) };
    term = current;
    await Promise.all([...registered.values()].map((opts) => startController(opts, current.signal)));
  };

  const endTerm = (deadlineMs: number): Promise<void> => {
    term?.abort.abort();
    term = undefined;
    return stopControllers(deadlineMs).catch((error: unknown) =>
      emit('error', 'stopping controllers failed', error),
    );
  };

  /** Campaigns until the manager stops: a lost term ends, and the process campaigns again. */
  const campaignLoop = async (opts: NonNullable<typeof le>): Promise<void> => {
    const identity = opts.identity ?? `${hostname()}_${randomUUID()}`;
    for (;;) {
      if (state !== 'started') return;
      let lost: Promise<void> = Promise.resolve();
      elector = leaderElector({
        client,
        namespace: opts.namespace,
        name: opts.name,
        identity,
        ...(opts.leaseDurationMs === undefined ? {} : { leaseDurationMs: opts.leaseDurationMs }),
        ...(opts.renewDeadlineMs === undefined ? {} : { renewDeadlineMs: opts.renewDeadlineMs }),
        ...(opts.retryPeriodMs === undefined ? {} : { retryPeriodMs: opts.retryPeriodMs }),
        onStartedLeading: (signal) => {
          leaderGauge?.leading(true);
          emit('info', `became leader of lease ${opts.namespace}/${opts.name} as ${identity}`);
          void beginTerm(signal);
        },
        onStoppedLeading: () => {
          leaderGauge?.leading(false);
          // Abort at once: a deposed leader's reconciles must not keep writing.
          if (state === 'started') emit('error', `lost leadership of lease ${opts.namespace}/${opts.name}`);
          lost = endTerm(0);
        },
      });
      try {
        await elector.start();
      } catch (error) {
        emit('error', 'leader election failed', error);
      }
      await lost;
    }
  };

  const routes = (withHealth: boolean, withMetrics: boolean): Record<string, ProbeRoute> => {
    const r: Record<string, ProbeRoute> = {};
    if (withHealth) {
      r['/healthz'] = () =>
        state === 'started' || state === 'starting'
          ? { status: 200, body: 'ok' }
          : { status: 503, body: `manager ${state}` };
      r['/readyz'] = () => readiness(state === 'started' ? undefined : state, informers.health());
    }
    if (withMetrics) {
      r['/metrics'] = async () => ({
        status: 200,
        body: await registry.metrics(),
        contentType: registry.contentType,
      });
    }
    return r;
  };

  const openServers = async (): Promise<void> => {
    const health = options.healthProbe === false ? undefined : options.healthProbe;
    const metrics = options.metrics === false ? undefined : (options.metrics ?? {});
    const metricsOnHealth = metrics !== undefined && metrics.port === undefined && health !== undefined;
    if (health !== undefined) {
      const s = await probeServer(health.port, health.host ?? '0.0.0.0', routes(true, metricsOnHealth));
      servers.push(s);
      healthUrl = s.url;
      if (metricsOnHealth) metricsUrl = s.url;
    }
    // Only an explicit metrics option opens a server of its own.
    if (options.metrics !== undefined && metrics !== undefined && !metricsOnHealth) {
      const s = await probeServer(metrics.port ?? 0, metrics.host ?? '0.0.0.0', routes(false, true));
      servers.push(s);
      metricsUrl = s.url;
    }
  };

  const stop = (stopOptions: { deadlineMs?: number } = {}): Promise<void> => {
    stopping ??= (async () => {
      const wasStarted = state === 'started' || state === 'starting';
      state = 'stopping';
      // Drain first, then release: a successor must not start while our reconciles still write.
      await endTerm(stopOptions.deadlineMs ?? shutdownTimeoutMs);
      await elector?.release().catch((error: unknown) => emit('error', 'releasing the lease failed', error));
      await campaign;
      leaderGauge?.leading(false);
      await informers.stop();
      await Promise.all(servers.splice(0).map((s) => s.close()));
      if (ownsClient) client.close();
      state = 'stopped';
      markStopped?.();
      if (wasStarted) emit('info', 'manager stopped');
    })();
    return stopping;
  };

  const self: Manager = {
    client,
    informers,
    registry,
    log,
    add<T extends KubeObject>(opts: ManagedControllerOptions<T>): void {
      const name = opts.name;
      if (typeof name !== 'string' || name === '')
        throw new ManagerConfigError('manager.add(): a controller needs a name');
      if (registered.has(name)) {
        throw new ManagerConfigError(
          `manager.add(): a controller named ${name} is already registered; names must be unique`,
        );
      }
      if (state === 'stopping' || state === 'stopped') {
        throw new ManagerConfigError(`manager.add(${name}): the manager is stopped`);
      }
      const erased = opts as unknown as ManagedControllerOptions;
      registered.set(name, erased);
      if (state === 'new') return;
      preCreate(erased);
      if (term !== undefined) void startController(erased, term.signal);
    },
    async start(signal) {
      if (state !== 'new') throw new ManagerConfigError('manager.start(): called twice or after stop()');
      state = 'starting';
      signal?.addEventListener('abort', () => void stop(), { once: true });
      try {
        for (const opts of registered.values()) preCreate(opts);
        // Probes answer while caches fill: /healthz says alive, /readyz says what is still syncing.
        await openServers();
        informers.start();
        // Caches are warm before leadership: a new leader reconciles at once, from a full cache.
        await informers.waitForSync(signal);
      } catch (error) {
        if (state !== 'starting') return; // stop() was called (or `signal` aborted) during the sync
        await stop({ deadlineMs: 0 });
        throw error;
      }
      if (state !== 'starting') return; // stopped while syncing
      state = 'started';
      emit('info', `manager started with ${registered.size} controller(s)`);
      if (le === undefined) await beginTerm(new AbortController().signal);
      else campaign = campaignLoop(le);
    },
    stop,
    async run() {
      const onSignal = (sig: NodeJS.Signals): void => received?.(sig);
      let received: ((sig: NodeJS.Signals | undefined) => void) | undefined;
      const signalled = new Promise<NodeJS.Signals | undefined>((resolve) => (received = resolve));
      void stopped.then(() => received?.(undefined)); // stop() called directly
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      try {
        await self.start();
        const sig = await signalled;
        if (sig !== undefined) emit('info', `received ${sig}; stopping`);
        await stop();
      } finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
    },
    isLeader: () => (le === undefined ? state === 'started' : (elector?.isLeader() ?? false)),
    get healthUrl() {
      return healthUrl;
    },
    get metricsUrl() {
      return metricsUrl;
    },
  };
  return self;
}

/** A logger that throws must not break the manager. */
function safeLogger(inner: ControllerLogger): ControllerLogger {
  return (entry) => {
    try {
      inner(entry);
    } catch {
      /* the line is lost */
    }
  };
}
