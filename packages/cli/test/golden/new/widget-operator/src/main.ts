/**
 * Runs the widget-operator: one manager (leader election, `/healthz` and `/readyz`, `/metrics`, JSON logs)
 * hosting the operator's controllers, configured from the environment manifests/deployment.yaml sets.
 * Without those variables (a local run against your kubeconfig) it runs alone, probes on 8081.
 */
import { manager } from '@steward/core';
import { widgetOperator } from './operator.js';

const env = process.env;
const leaderElection =
  env['STEWARD_LEADER_ELECTION'] === 'true'
    ? {
        name: env['STEWARD_LEADER_ELECTION_NAME'] ?? widgetOperator.name,
        namespace: env['STEWARD_LEADER_ELECTION_NAMESPACE'] ?? env['POD_NAMESPACE'] ?? 'default',
        ...(env['POD_NAME'] === undefined ? {} : { identity: env['POD_NAME'] }),
      }
    : false;

const operatorManager = manager({
  leaderElection,
  healthProbe: { port: Number(env['STEWARD_HEALTH_PORT'] ?? 8081) },
  metrics: { port: Number(env['STEWARD_METRICS_PORT'] ?? 8080) },
});
await widgetOperator.setup(operatorManager);
// Starts, then on SIGTERM finishes running reconciles and releases the lease before exiting.
await operatorManager.run();
