/**
 * The controller's metrics hooks: what a controller reports about its reconciles, under
 * controller-runtime's metric names, so the manager can wire them to prom-client and existing
 * dashboards keep working. Start with {@link ControllerMetrics}; the queue's own hooks are in
 * `queue/metrics.ts`.
 */

/** The `result` label of `controller_runtime_reconcile_total`. */
export type ReconcileOutcome = 'success' | 'error' | 'requeue' | 'requeue_after';

/** Push hooks, called by the controller as things happen; each must be cheap and must not throw. */
export interface ControllerMetrics {
  /**
   * One reconcile (or cleanup) finished: `controller_runtime_reconcile_total{result}` and
   * `controller_runtime_reconcile_time_seconds`; for `error`, also
   * `controller_runtime_reconcile_errors_total`, and `controller_runtime_terminal_reconcile_errors_total`
   * when `terminal`.
   */
  reconciled(outcome: ReconcileOutcome, seconds: number, terminal: boolean): void;
  /** `controller_runtime_active_workers`: workers inside a reconcile right now. */
  activeWorkers(value: number): void;
  /** `controller_runtime_max_concurrent_reconciles`: set once when the controller starts. */
  maxConcurrentReconciles(value: number): void;
}

/** controller-runtime's names for the controller metrics, each labelled `controller`. */
export const controllerMetricNames = {
  reconcileTotal: 'controller_runtime_reconcile_total',
  reconcileErrors: 'controller_runtime_reconcile_errors_total',
  terminalReconcileErrors: 'controller_runtime_terminal_reconcile_errors_total',
  reconcileTime: 'controller_runtime_reconcile_time_seconds',
  activeWorkers: 'controller_runtime_active_workers',
  maxConcurrentReconciles: 'controller_runtime_max_concurrent_reconciles',
} as const;

/** Wraps `metrics` so that a throwing hook loses its sample instead of a worker. */
export function guardedMetrics(metrics: ControllerMetrics | undefined): ControllerMetrics | undefined {
  if (metrics === undefined) return undefined;
  return {
    reconciled: (outcome, seconds, terminal) => guard(() => metrics.reconciled(outcome, seconds, terminal)),
    activeWorkers: (value) => guard(() => metrics.activeWorkers(value)),
    maxConcurrentReconciles: (value) => guard(() => metrics.maxConcurrentReconciles(value)),
  };
}

function guard(call: () => void): void {
  try {
    call();
  } catch {
    /* the sample is lost */
  }
}
