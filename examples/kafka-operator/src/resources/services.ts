/**
 * Pure builders of a cluster's shared objects: the bootstrap Service clients connect to, the headless
 * Service that gives every node a DNS name, the PodDisruptionBudgets, and the ConfigMap holding
 * server.properties. Start with {@link bootstrapService}.
 */
import type { KubeObject } from '@steward/core';
import { clusterSpecOf } from '../api/kafkaCluster.js';
import type { Cluster } from '../api/kafkaCluster.js';
import { clusterLabels, LABELS, names } from './labels.js';
import type { Role } from './labels.js';
import { CLIENT_PORT, CONTROLLER_PORT } from './nodePod.js';

/** `<cluster>-kafka-bootstrap:9092`: the first address a client dials; it selects brokers only. */
export function bootstrapService(cluster: Cluster): KubeObject {
  const name = cluster.metadata.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: names.bootstrap(name), labels: clusterLabels(name) },
    spec: {
      selector: { [LABELS.cluster]: name, [LABELS.role]: 'broker' },
      ports: [{ name: 'clients', port: CLIENT_PORT, targetPort: CLIENT_PORT }],
    },
  };
}

/**
 * Headless, publishing not-ready addresses: controllers must find each other before any is Ready
 * (the quorum forms first), and brokers advertise `<pod>.<cluster>-kafka-nodes` to clients.
 */
export function nodesService(cluster: Cluster): KubeObject {
  const name = cluster.metadata.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: names.nodes(name), labels: clusterLabels(name) },
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: { [LABELS.cluster]: name },
      ports: [
        { name: 'clients', port: CLIENT_PORT, targetPort: CLIENT_PORT },
        { name: 'controller', port: CONTROLLER_PORT, targetPort: CONTROLLER_PORT },
      ],
    },
  };
}

/**
 * At most one node of a role voluntarily down (a node drain): a quorum of 3 survives one loss, and a
 * partition with 3 replicas and min.insync.replicas=2 keeps accepting writes with one broker gone.
 */
export function podDisruptionBudget(cluster: Cluster, role: Role): KubeObject {
  const name = cluster.metadata.name ?? '';
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: names.pdb(name, role), labels: clusterLabels(name, role) },
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: { [LABELS.cluster]: name, [LABELS.role]: role } },
    },
  };
}

/** server.properties from the spec's config (sorted, so an unchanged spec gives an unchanged map). */
export function configMap(cluster: Cluster): KubeObject {
  const name = cluster.metadata.name ?? '';
  const config = clusterSpecOf(cluster).config;
  const lines = Object.keys(config)
    .sort()
    .map((key) => `${key}=${config[key] ?? ''}`);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: names.config(name), labels: clusterLabels(name) },
    data: { 'server.properties': lines.join('\n') + (lines.length > 0 ? '\n' : '') },
  };
}
