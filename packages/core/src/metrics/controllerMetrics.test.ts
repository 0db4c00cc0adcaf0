import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import {
  controllerMetrics,
  leaderElectionMetrics,
  reconcileTimeBuckets,
  workQueueDurationBuckets,
  workQueueMetrics,
} from './controllerMetrics.js';

/** The value of the sample line `name{labels} value` in Prometheus text, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('controllerMetrics', () => {
  it('counts reconciles by result under controller-runtime names, sharing metrics between controllers', async () => {
    const registry = new Registry();
    const a = controllerMetrics(registry, 'a');
    const b = controllerMetrics(registry, 'b');
    a.reconciled('success', 0.02, false);
    a.reconciled('success', 0.3, false);
    a.reconciled('error', 1.5, true);
    b.reconciled('error', 0.001, false);
    b.reconciled('requeue_after', 0.001, false);
    a.maxConcurrentReconciles(4);
    a.activeWorkers(2);
    const text = await registry.metrics();
    expect(sample(text, 'controller_runtime_reconcile_total{controller="a",result="success"}')).toBe(2);
    expect(sample(text, 'controller_runtime_reconcile_total{controller="a",result="error"}')).toBe(1);
    expect(sample(text, 'controller_runtime_reconcile_total{controller="a",result="requeue"}')).toBe(0);
    expect(sample(text, 'controller_runtime_reconcile_total{controller="b",result="requeue_after"}')).toBe(1);
    expect(sample(text, 'controller_runtime_reconcile_errors_total{controller="a"}')).toBe(1);
    expect(sample(text, 'controller_runtime_reconcile_errors_total{controller="b"}')).toBe(1);
    expect(sample(text, 'controller_runtime_terminal_reconcile_errors_total{controller="a"}')).toBe(1);
    expect(sample(text, 'controller_runtime_terminal_reconcile_errors_total{controller="b"}')).toBe(0);
    expect(sample(text, 'controller_runtime_reconcile_time_seconds_count{controller="a"}')).toBe(3);
    expect(sample(text, 'controller_runtime_reconcile_time_seconds_bucket{le="0.025",controller="a"}')).toBe(
      1,
    );
    expect(sample(text, 'controller_runtime_reconcile_time_seconds_bucket{le="60",controller="a"}')).toBe(3);
    expect(sample(text, 'controller_runtime_max_concurrent_reconciles{controller="a"}')).toBe(4);
    expect(sample(text, 'controller_runtime_active_workers{controller="a"}')).toBe(2);
    expect(text.match(/^# TYPE controller_runtime_reconcile_total counter$/gm)).toHaveLength(1);
    expect(text).toContain('# TYPE controller_runtime_reconcile_time_seconds histogram');
  });

  it("uses controller-runtime's buckets", () => {
    expect(reconcileTimeBuckets).toHaveLength(40);
    expect(reconcileTimeBuckets[0]).toBe(0.005);
    expect(reconcileTimeBuckets.at(-1)).toBe(60);
    expect(workQueueDurationBuckets).toEqual([
      1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000,
    ]);
  });
});

describe('workQueueMetrics', () => {
  it('reports pushed queue metrics labelled name and controller, and pulls the time gauges at scrape', async () => {
    const registry = new Registry();
    let unfinished = 1.5;
    const q = workQueueMetrics(registry, 'widgets', { unfinished: () => unfinished, longest: () => 0.75 });
    const other = workQueueMetrics(registry, 'other', {
      unfinished: () => {
        throw new Error('broken source');
      },
      longest: () => Number.NaN,
    });
    q.add();
    q.add();
    q.depth(2);
    q.queueDuration(0.004);
    q.workDuration(0.2);
    q.retry();
    other.add();
    let text = await registry.metrics();
    const w = '{name="widgets",controller="widgets"}';
    expect(sample(text, `workqueue_adds_total${w}`)).toBe(2);
    expect(sample(text, `workqueue_depth{name="widgets",controller="widgets",priority=""}`)).toBe(2);
    expect(sample(text, `workqueue_queue_duration_seconds_count${w}`)).toBe(1);
    expect(
      sample(text, `workqueue_work_duration_seconds_bucket{le="1",name="widgets",controller="widgets"}`),
    ).toBe(1);
    expect(sample(text, `workqueue_retries_total${w}`)).toBe(1);
    expect(sample(text, `workqueue_unfinished_work_seconds${w}`)).toBe(1.5);
    expect(sample(text, `workqueue_longest_running_processor_seconds${w}`)).toBe(0.75);
    // A throwing or NaN source reads as 0 instead of failing the scrape.
    expect(sample(text, 'workqueue_unfinished_work_seconds{name="other",controller="other"}')).toBe(0);
    expect(sample(text, 'workqueue_longest_running_processor_seconds{name="other",controller="other"}')).toBe(
      0,
    );
    unfinished = 3;
    text = await registry.metrics();
    expect(sample(text, `workqueue_unfinished_work_seconds${w}`)).toBe(3);
    q.dispose();
    text = await registry.metrics();
    expect(sample(text, `workqueue_unfinished_work_seconds${w}`)).toBeUndefined();
    expect(sample(text, 'workqueue_unfinished_work_seconds{name="other",controller="other"}')).toBe(0);
  });

  it('a rebuilt queue of the same name takes over the pulled gauges; disposing the old one keeps the new', async () => {
    const registry = new Registry();
    const old = workQueueMetrics(registry, 'q', { unfinished: () => 1, longest: () => 1 });
    workQueueMetrics(registry, 'q', { unfinished: () => 2, longest: () => 2 });
    old.dispose();
    const text = await registry.metrics();
    expect(sample(text, 'workqueue_unfinished_work_seconds{name="q",controller="q"}')).toBe(2);
  });
});

describe('leaderElectionMetrics', () => {
  it('sets leader_election_master_status{name} to 1 while leading and 0 otherwise', async () => {
    const registry = new Registry();
    const m = leaderElectionMetrics(registry, 'my-operator');
    expect(sample(await registry.metrics(), 'leader_election_master_status{name="my-operator"}')).toBe(0);
    m.leading(true);
    expect(sample(await registry.metrics(), 'leader_election_master_status{name="my-operator"}')).toBe(1);
    m.leading(false);
    expect(sample(await registry.metrics(), 'leader_election_master_status{name="my-operator"}')).toBe(0);
  });
});
