/**
 * PodDisruptionBudgets: a voluntary eviction (a node drain) may never take the primary without a
 * switchover, and may take at most one replica at a time. Start with {@link clusterPdbs}.
 */
import type { KubeObject } from '@steward/core';
import { LABELS, names, ROLE_PRIMARY, ROLE_REPLICA } from '../api/labels.js';

function pdb(
  cluster: string,
  namespace: string,
  name: string,
  role: string,
  minAvailable: number,
): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace, labels: { [LABELS.cluster]: cluster } },
    spec: { minAvailable, selector: { matchLabels: { [LABELS.cluster]: cluster, [LABELS.role]: role } } },
  };
}

/** The primary's PDB always; the replicas' only when there are replicas (as CloudNativePG). */
export function clusterPdbs(cluster: string, namespace: string, instances: number): KubeObject[] {
  const out = [pdb(cluster, namespace, names.primaryPdb(cluster), ROLE_PRIMARY, 1)];
  if (instances > 1) {
    // instances − 2 replicas must stay: one replica may be drained at a time.
    out.push(pdb(cluster, namespace, names.replicaPdb(cluster), ROLE_REPLICA, instances - 2));
  }
  return out;
}
