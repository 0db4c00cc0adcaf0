/**
 * `runManager()`: runs the operator under test in-process, in a test environment, on its own client,
 * with its logs kept in memory and a clean shutdown (also when the environment stops first). Start with
 * {@link runManager}.
 */
import { kubeClient, manager } from '@steward/core';
import type { ControllerLogEntry, KubeClient, Manager } from '@steward/core';
import { onEnvStop } from './stopHooks.js';
import type { TestEnv } from './testEnvTypes.js';

/** The default user agent of the operator's requests (`server.faults` filters can match it). */
export const OPERATOR_USER_AGENT = 'steward-operator-under-test';

export interface RunManagerOptions {
  /** User-Agent of the manager's client; give each manager its own to aim faults at one. */
  userAgent?: string;
  /** Use this client instead of a fresh one (it is not closed on stop). */
  client?: KubeClient;
  /** Watch one namespace only; default all. */
  namespace?: string;
  /** Also receives every log line (they are kept in `logs` either way). */
  log?: (entry: ControllerLogEntry) => void;
  /** How long `stop()` waits for running reconciles. Default 10 000 ms. */
  shutdownTimeoutMs?: number;
}

export interface RunningManager {
  readonly manager: Manager;
  /** Every line the manager and its controllers logged, in order. */
  readonly logs: readonly ControllerLogEntry[];
  /** Lines formatted one per line (`level controller key: msg (error)`), for a failure message. */
  formatLogs(): string;
  /** Stops the manager (running reconciles finish first) and closes its client. Safe to call twice. */
  stop(): Promise<void>;
}

function formatEntry(e: ControllerLogEntry): string {
  const error =
    e.error instanceof Error
      ? ` (${e.error.message})`
      : e.error === undefined
        ? ''
        : ` (${JSON.stringify(e.error)})`;
  return `${e.level} ${e.controller}${e.key === undefined ? '' : ` ${e.key}`}: ${e.msg}${error}`;
}

/**
 * Builds a manager on the environment (leader election off), lets `setup` register controllers, starts
 * it and resolves once its caches are warm. If `setup` or the start fails, the manager is stopped and
 * the error rethrown. `env.stop()` stops it too.
 */
export async function runManager(
  env: TestEnv,
  setup: (m: Manager) => void | Promise<void>,
  options: RunManagerOptions = {},
): Promise<RunningManager> {
  const ownClient = options.client === undefined;
  const client =
    options.client ??
    kubeClient(env.kubeConfig, { qps: Infinity, userAgent: options.userAgent ?? OPERATOR_USER_AGENT });
  const logs: ControllerLogEntry[] = [];
  const m = manager({
    client,
    leaderElection: false,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 10_000,
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    log: (entry) => {
      logs.push(entry);
      options.log?.(entry);
    },
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      unregister();
      try {
        await m.stop();
      } finally {
        if (ownClient) client.close();
      }
    })());
  const unregister = onEnvStop(env, stop);
  try {
    await setup(m);
    await m.start();
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  return { manager: m, logs, formatLogs: () => logs.map(formatEntry).join('\n'), stop };
}
