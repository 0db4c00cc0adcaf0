/**
 * Runs the widget-operator: one manager (leader election, `/healthz` and `/readyz`, `/metrics`, JSON logs)
 * hosting the operator's controllers, configured from the environment manifests/deployment.yaml sets.
 * Without those variables (a local run against your kubeconfig) it runs alone, probes on 8081.
 */
import { manager, managerOptionsFromEnv } from '@steward/core';
import { widgetOperator } from './operator.js';

const operatorManager = manager(managerOptionsFromEnv(widgetOperator.name));
await widgetOperator.setup(operatorManager);
// Starts, then on SIGTERM finishes running reconciles and releases the lease before exiting.
await operatorManager.run();
