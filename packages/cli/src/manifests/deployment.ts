/**
 * The operator's Deployment, and the environment convention between it and the operator's main:
 * {@link OPERATOR_ENV} names the variables the Deployment sets and a generated main reads to build
 * its manager. Start with {@link deploymentFor}.
 */
import { MANAGER_ENV } from '@steward/core';

/** Ports the Deployment declares; the operator's manager listens on them (see {@link OPERATOR_ENV}). */
export const METRICS_PORT = 8080;
export const HEALTH_PORT = 8081;

/**
 * The variables the Deployment sets, which the operator's main turns into `manager()` options with
 * @steward/core's `managerOptionsFromEnv(operator.name)`: one list, kept in core as `MANAGER_ENV`, so
 * the manifests and the manager cannot disagree.
 */
export const OPERATOR_ENV = MANAGER_ENV;

/** The labels every generated object carries; the Deployment selects its Pods by the first. */
export function labelsFor(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'steward' };
}

export interface DeploymentParams {
  name: string;
  namespace: string;
  image: string;
  replicas: number;
}

function fromField(fieldPath: string) {
  return { valueFrom: { fieldRef: { fieldPath } } };
}

/** The Deployment object: probes, named ports, downward-API env, a locked-down security context. */
export function deploymentFor({
  name,
  namespace,
  image,
  replicas,
}: DeploymentParams): Record<string, unknown> {
  const labels = labelsFor(name);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          // The manager drains running reconciles for up to 30 s on SIGTERM, then releases the Lease.
          terminationGracePeriodSeconds: 40,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'manager',
              image,
              imagePullPolicy: 'IfNotPresent',
              ports: [
                { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
                { name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' },
              ],
              env: [
                { name: OPERATOR_ENV.podName, ...fromField('metadata.name') },
                { name: OPERATOR_ENV.podNamespace, ...fromField('metadata.namespace') },
                { name: OPERATOR_ENV.leaderElection, value: 'true' },
                { name: OPERATOR_ENV.leaderElectionName, value: name },
                { name: OPERATOR_ENV.leaderElectionNamespace, ...fromField('metadata.namespace') },
                { name: OPERATOR_ENV.healthPort, value: String(HEALTH_PORT) },
                { name: OPERATOR_ENV.metricsPort, value: String(METRICS_PORT) },
              ],
              // Liveness is slow to fire: a replica waiting for the Lease is healthy, only not leading.
              livenessProbe: {
                httpGet: { path: '/healthz', port: 'health' },
                initialDelaySeconds: 15,
                periodSeconds: 20,
              },
              readinessProbe: {
                httpGet: { path: '/readyz', port: 'health' },
                initialDelaySeconds: 5,
                periodSeconds: 10,
              },
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { memory: '512Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              // Node and libraries write temporary files; the root filesystem is read-only.
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}
