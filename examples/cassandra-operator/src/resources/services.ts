/**
 * Pure builders of the datacenter-wide objects: the seed Service, the headless Service that names
 * every node, and the PodDisruptionBudget. Start with {@link seedService}.
 */
import type { KubeObject } from '@steward/core';
import type { Datacenter } from '../api/cassandraDatacenter.js';
import {
  CQL_PORT,
  LABELS,
  MGMT_PORT,
  nodesServiceName,
  OPERATOR_NAME,
  pdbName,
  seedServiceName,
} from './labels.js';

const labelsOf = (dc: Datacenter): Record<string, string> => ({
  [LABELS.cluster]: dc.spec.clusterName,
  [LABELS.datacenter]: dc.metadata.name ?? '',
  [LABELS.managedBy]: OPERATOR_NAME,
});

/**
 * Headless, selecting `seed: "true"` pods, and publishing them before they are Ready: a node that
 * starts resolves the seeds through it, and a seed that restarts must stay findable meanwhile.
 */
export function seedService(dc: Datacenter): KubeObject {
  const name = dc.metadata.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: seedServiceName(name), labels: labelsOf(dc) },
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: { [LABELS.datacenter]: name, [LABELS.seed]: 'true' },
      ports: [{ name: 'gossip', port: 7000, targetPort: 7000, protocol: 'TCP' }],
    },
  };
}

/** The StatefulSets' governing Service: stable DNS names for every node. */
export function nodesService(dc: Datacenter): KubeObject {
  const name = dc.metadata.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: nodesServiceName(name), labels: labelsOf(dc) },
    spec: {
      clusterIP: 'None',
      selector: { [LABELS.datacenter]: name },
      ports: [
        { name: 'cql', port: CQL_PORT, targetPort: 'cql', protocol: 'TCP' },
        { name: 'mgmt-api', port: MGMT_PORT, targetPort: 'mgmt-api', protocol: 'TCP' },
      ],
    },
  };
}

/**
 * At most one node voluntarily down at a time (`minAvailable: size - 1`), as cass-operator: with
 * replication factor 3 and quorum reads, losing one replica of a range is safe, two is not.
 */
export function podDisruptionBudget(dc: Datacenter): KubeObject {
  const name = dc.metadata.name ?? '';
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: pdbName(name), labels: labelsOf(dc) },
    spec: {
      minAvailable: Math.max(0, dc.spec.size - 1),
      selector: { matchLabels: { [LABELS.datacenter]: name } },
    },
  };
}
