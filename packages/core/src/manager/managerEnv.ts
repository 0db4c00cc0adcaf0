/**
 * A manager configured from the environment an operator's Deployment sets (`steward manifests`
 * writes these variables): leader election, the probe and metrics ports, the namespace to watch.
 * Start with {@link managerOptionsFromEnv}.
 */
import type { ManagerOptions } from './managerTypes.js';
import { ManagerConfigError } from './managerErrors.js';

/** The variables, by purpose; `steward manifests` sets them on the Deployment. */
export const MANAGER_ENV = {
  /** This replica's Pod name (downward API): the leader-election identity and Events' reporting instance. */
  podName: 'POD_NAME',
  /** The namespace the operator runs in (downward API). */
  podNamespace: 'POD_NAMESPACE',
  /** `"true"`: campaign for the Lease before reconciling (several replicas, one active). */
  leaderElection: 'STEWARD_LEADER_ELECTION',
  /** The Lease's name (default: the operator's name). */
  leaderElectionName: 'STEWARD_LEADER_ELECTION_NAME',
  /** The Lease's namespace (default: `POD_NAMESPACE`, else `default`). */
  leaderElectionNamespace: 'STEWARD_LEADER_ELECTION_NAMESPACE',
  /** Port of `/healthz` and `/readyz` (default 8081). */
  healthPort: 'STEWARD_HEALTH_PORT',
  /** Port of `/metrics` (default 8080). */
  metricsPort: 'STEWARD_METRICS_PORT',
  /** Watch only this namespace (default: all). */
  watchNamespace: 'WATCH_NAMESPACE',
} as const;

function port(env: Readonly<Record<string, string | undefined>>, key: string, fallback: number): number {
  const text = env[key];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535)
    throw new ManagerConfigError(
      `${key}=${JSON.stringify(text)} is not a port; set it to 0–65535 or unset it`,
    );
  return value;
}

/**
 * `ManagerOptions` from the environment: leader election on when `STEWARD_LEADER_ELECTION=true`
 * (Lease `name` defaulting to `operatorName`, identity the Pod name), `/healthz` + `/readyz` and
 * `/metrics` on their ports, one namespace when `WATCH_NAMESPACE` is set. Merge your own options over
 * the result.
 */
export function managerOptionsFromEnv(
  operatorName: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ManagerOptions {
  const podName = env[MANAGER_ENV.podName];
  const watchNamespace = env[MANAGER_ENV.watchNamespace];
  const electing = env[MANAGER_ENV.leaderElection] === 'true';
  return {
    // Several replicas, one acting: the others wait with warm caches. Off for a local run.
    leaderElection: electing
      ? {
          name: env[MANAGER_ENV.leaderElectionName] || operatorName,
          namespace: env[MANAGER_ENV.leaderElectionNamespace] || env[MANAGER_ENV.podNamespace] || 'default',
          ...(podName ? { identity: podName } : {}),
        }
      : false,
    healthProbe: { port: port(env, MANAGER_ENV.healthPort, 8081) },
    metrics: { port: port(env, MANAGER_ENV.metricsPort, 8080) },
    ...(watchNamespace ? { namespace: watchNamespace } : {}),
  };
}
