/**
 * The work queue's metrics hooks: what a queue reports, under controller-runtime's metric names, so
 * the manager can wire them to prom-client and existing dashboards keep working. Start with
 * {@link WorkQueueMetrics}.
 */

/**
 * Push hooks, called as things happen. The time-based gauges (`workqueue_unfinished_work_seconds`,
 * `workqueue_longest_running_processor_seconds`) are pulled instead, from
 * `WorkQueue.unfinishedWorkSeconds()` and `longestRunningProcessorSeconds()` in a collect callback,
 * so a queue runs no timer of its own.
 */
export interface WorkQueueMetrics {
  /** `workqueue_depth`: keys waiting to be processed (including those added while in flight). */
  depth(value: number): void;
  /** `workqueue_adds_total`: a key became queued (adds of an already-queued key are not counted). */
  add(): void;
  /** `workqueue_queue_duration_seconds`: time from a key being queued to a worker taking it. */
  queueDuration(seconds: number): void;
  /** `workqueue_work_duration_seconds`: time from `get` to `done`. */
  workDuration(seconds: number): void;
  /** `workqueue_retries_total`: an `addRateLimited` call. */
  retry(): void;
}

/** controller-runtime's names for the work queue metrics, each labelled `name` (the queue's name). */
export const workQueueMetricNames = {
  depth: 'workqueue_depth',
  adds: 'workqueue_adds_total',
  queueDuration: 'workqueue_queue_duration_seconds',
  workDuration: 'workqueue_work_duration_seconds',
  unfinishedWork: 'workqueue_unfinished_work_seconds',
  longestRunningProcessor: 'workqueue_longest_running_processor_seconds',
  retries: 'workqueue_retries_total',
} as const;
