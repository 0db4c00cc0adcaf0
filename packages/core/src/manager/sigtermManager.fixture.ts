/**
 * A child process for the SIGTERM test: a manager with leader election whose reconciles take 500 ms,
 * run with `run()`. It prints `start <name>` / `end <name>` per reconcile and `stopped` after `run()`
 * resolves, then exits by itself (nothing left open). Environment: KUBECONFIG_JSON, NAMESPACE.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { jsonLogger } from '../log/jsonLogger.js';
import { refFor } from '../client/resourceRef.js';
import { manager } from './manager.js';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromString(process.env['KUBECONFIG_JSON'] ?? '');
const namespace = process.env['NAMESPACE'] ?? 'default';
const say = (line: string): void => void process.stdout.write(`${line}\n`);

const m = manager({
  kubeConfig,
  namespace,
  leaderElection: {
    name: 'sigterm',
    namespace,
    identity: 'child',
    leaseDurationMs: 2_000,
    renewDeadlineMs: 1_500,
    retryPeriodMs: 200,
  },
  healthProbe: false,
  log: jsonLogger({ stream: process.stderr, level: 'debug' }),
});
m.add({
  name: 'slow',
  for: refFor('test.steward.dev/v1', 'Widget', 'widgets', true),
  maxConcurrentReconciles: 2,
  async reconcile(obj) {
    const name = obj.metadata.name ?? '';
    say(`start ${name}`);
    // Deliberately ignores the abort signal: the shutdown must wait for it.
    await new Promise((r) => setTimeout(r, 500));
    say(`end ${name}`);
  },
});
await m.run();
say('stopped');
