/**
 * Prometheus metrics for controllers, work queues and leader election, under controller-runtime's
 * exact names, labels and buckets, so existing dashboards and alerts work unchanged. Start with
 * {@link controllerMetrics}; {@link workQueueMetrics} and {@link leaderElectionMetrics} follow.
 * Each metric is registered once per registry and shared by every controller (their labels differ).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { controllerMetricNames, type ControllerMetrics } from '../controller/controllerMetrics.js';
import { workQueueMetricNames, type WorkQueueMetrics } from '../queue/metrics.js';

/** controller-runtime's buckets for `controller_runtime_reconcile_time_seconds`. */
export const reconcileTimeBuckets: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25,
  1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

/** The work queue's duration buckets: 10 ns × 10^i for i in 0..11 (client-go's ExponentialBuckets(10e-9, 10, 12)). */
export const workQueueDurationBuckets: readonly number[] = Array.from({ length: 12 }, (_, i) =>
  Number((1e-8 * 10 ** i).toPrecision(1)),
);

interface Spec<K extends 'counter' | 'gauge' | 'histogram'> {
  kind: K;
  help: string;
  labelNames: readonly string[];
  buckets?: readonly number[];
  collect?: (this: Gauge) => void;
}

interface MetricOf {
  counter: Counter;
  gauge: Gauge;
  histogram: Histogram;
}

/** The metric of this name in `registry`, created on first use: one metric per registry, many label sets. */
function shared<K extends keyof MetricOf>(registry: Registry, name: string, spec: Spec<K>): MetricOf[K] {
  const existing = registry.getSingleMetric(name);
  if (existing !== undefined) return existing as unknown as MetricOf[K];
  const base = { name, help: spec.help, labelNames: [...spec.labelNames], registers: [registry] };
  const made =
    spec.kind === 'counter'
      ? new Counter(base)
      : spec.kind === 'histogram'
        ? new Histogram({ ...base, buckets: [...(spec.buckets ?? [])] })
        : new Gauge({ ...base, ...(spec.collect ? { collect: spec.collect } : {}) });
  return made as MetricOf[K];
}

/** The `ControllerMetrics` hooks of one controller, writing to `registry` under its `controller` label. */
export function controllerMetrics(registry: Registry, controllerName: string): ControllerMetrics {
  const n = controllerMetricNames;
  const labels = { controller: controllerName };
  const total = shared(registry, n.reconcileTotal, {
    kind: 'counter',
    help: 'Reconciles finished, by controller and result',
    labelNames: ['controller', 'result'],
  });
  const errors = shared(registry, n.reconcileErrors, {
    kind: 'counter',
    help: 'Reconciles that failed, by controller',
    labelNames: ['controller'],
  });
  const terminal = shared(registry, n.terminalReconcileErrors, {
    kind: 'counter',
    help: 'Reconciles that failed with a TerminalError (not retried), by controller',
    labelNames: ['controller'],
  });
  const time = shared(registry, n.reconcileTime, {
    kind: 'histogram',
    help: 'Seconds each reconcile took, by controller',
    labelNames: ['controller'],
    buckets: reconcileTimeBuckets,
  });
  const active = shared(registry, n.activeWorkers, {
    kind: 'gauge',
    help: 'Workers inside a reconcile right now, by controller',
    labelNames: ['controller'],
  });
  const max = shared(registry, n.maxConcurrentReconciles, {
    kind: 'gauge',
    help: 'Workers a controller runs (its maxConcurrentReconciles)',
    labelNames: ['controller'],
  });
  // Series exist at 0 from the start, so rate() and absent() work before the first failure.
  for (const result of ['success', 'error', 'requeue', 'requeue_after']) total.inc({ ...labels, result }, 0);
  errors.inc(labels, 0);
  terminal.inc(labels, 0);
  return {
    reconciled(outcome, seconds, isTerminal) {
      total.inc({ ...labels, result: outcome });
      time.observe(labels, seconds);
      if (outcome === 'error') {
        errors.inc(labels);
        if (isTerminal) terminal.inc(labels);
      }
    },
    activeWorkers: (value) => active.set(labels, value),
    maxConcurrentReconciles: (value) => max.set(labels, value),
  };
}

/** The time-based queue gauges, read at scrape time. */
export interface PulledQueueGauges {
  /** `workqueue_unfinished_work_seconds` */
  unfinished: () => number;
  /** `workqueue_longest_running_processor_seconds` */
  longest: () => number;
}

/** `WorkQueueMetrics` plus `dispose()`, which drops the queue's pulled gauges (a stopped controller's). */
export interface RegisteredWorkQueueMetrics extends WorkQueueMetrics {
  dispose(): void;
}

/** Per registry: the live queues whose pulled gauges are set at each scrape. */
const pulledSources = new WeakMap<Registry, Map<string, PulledQueueGauges>>();

function readSafely(read: () => number): number {
  try {
    const v = read();
    return Number.isFinite(v) ? v : 0;
  } catch {
    return 0; // a broken source must not fail the whole scrape
  }
}

/**
 * The `WorkQueueMetrics` hooks of one queue, labelled `name` and `controller` (both the queue's name,
 * as controller-runtime does); the pulled gauges read `gauges` at each scrape. A later call with the
 * same name replaces the earlier queue's gauges (a rebuilt controller).
 */
export function workQueueMetrics(
  registry: Registry,
  queueName: string,
  gauges: PulledQueueGauges,
): RegisteredWorkQueueMetrics {
  const n = workQueueMetricNames;
  const labels = { name: queueName, controller: queueName };
  let sources = pulledSources.get(registry);
  if (sources === undefined) pulledSources.set(registry, (sources = new Map()));
  const live = sources;
  const pulled = (pick: keyof PulledQueueGauges) =>
    function (this: Gauge): void {
      for (const [name, source] of live) this.set({ name, controller: name }, readSafely(source[pick]));
    };
  const depth = shared(registry, n.depth, {
    kind: 'gauge',
    help: 'Keys waiting in the work queue',
    labelNames: ['name', 'controller', 'priority'],
  });
  const adds = shared(registry, n.adds, {
    kind: 'counter',
    help: 'Keys that became queued',
    labelNames: ['name', 'controller'],
  });
  const queueDuration = shared(registry, n.queueDuration, {
    kind: 'histogram',
    help: 'Seconds a key waited in the queue before a worker took it',
    labelNames: ['name', 'controller'],
    buckets: workQueueDurationBuckets,
  });
  const workDuration = shared(registry, n.workDuration, {
    kind: 'histogram',
    help: 'Seconds a worker spent on a key, from get to done',
    labelNames: ['name', 'controller'],
    buckets: workQueueDurationBuckets,
  });
  const unfinished = shared(registry, n.unfinishedWork, {
    kind: 'gauge',
    help: 'Seconds of in-flight work not yet observed by the work duration; a steady rise means a stuck worker',
    labelNames: ['name', 'controller'],
    collect: pulled('unfinished'),
  });
  const longest = shared(registry, n.longestRunningProcessor, {
    kind: 'gauge',
    help: 'Seconds the oldest key in flight has been worked on',
    labelNames: ['name', 'controller'],
    collect: pulled('longest'),
  });
  const retries = shared(registry, n.retries, {
    kind: 'counter',
    help: 'Keys re-added after a backoff (failures and requeue)',
    labelNames: ['name', 'controller'],
  });
  live.set(queueName, gauges);
  depth.set({ ...labels, priority: '' }, 0);
  adds.inc(labels, 0);
  retries.inc(labels, 0);
  return {
    depth: (value) => depth.set({ ...labels, priority: '' }, value),
    add: () => adds.inc(labels),
    queueDuration: (seconds) => queueDuration.observe(labels, seconds),
    workDuration: (seconds) => workDuration.observe(labels, seconds),
    retry: () => retries.inc(labels),
    dispose() {
      if (live.get(queueName) !== gauges) return; // already replaced by a newer queue of this name
      live.delete(queueName);
      unfinished.remove(labels);
      longest.remove(labels);
    },
  };
}

/** `leader_election_master_status{name}`: 1 while this process leads the named lease, else 0. */
export function leaderElectionMetrics(registry: Registry, leaseName: string): { leading(on: boolean): void } {
  const gauge = shared(registry, 'leader_election_master_status', {
    kind: 'gauge',
    help: '1 while this process holds the named lease, else 0',
    labelNames: ['name'],
  });
  gauge.set({ name: leaseName }, 0);
  return { leading: (on) => gauge.set({ name: leaseName }, on ? 1 : 0) };
}
