/**
 * Pure builders of one Kafka node: its Pod and its data claim, and the revision hash that decides
 * whether a running pod must be rolled. Start with {@link nodePod}. Nodes are plain Pods, not a
 * StatefulSet, as Strimzi's StrimziPodSets are: a StatefulSet can only remove its highest ordinal and
 * restarts pods in its own order, while Kafka needs to choose which broker goes and when each restarts.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '@steward/core';
import { isDynamicBrokerConfig } from '../admin/brokerConfigs.js';
import { highestMetadataVersion } from '../admin/metadataVersions.js';
import { clusterSpecOf } from '../api/kafkaCluster.js';
import type { Cluster } from '../api/kafkaCluster.js';
import { ANNOTATIONS, clusterLabels, LABELS, names, nodeIds } from './labels.js';
import type { Role } from './labels.js';

export const CLIENT_PORT = 9092;
export const CONTROLLER_PORT = 9093;
const CONTROLLER_STORAGE = '1Gi';

/** A short stable hash of a JSON value (keys sorted), for annotations. */
export function hashOf(value: unknown): string {
  const sorted = JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
  return createHash('sha256').update(sorted).digest('hex').slice(0, 12);
}

/** The settings Kafka reads only at start: changing one of them needs a rolling restart. */
export function staticConfig(cluster: Cluster): Record<string, string> {
  const config = clusterSpecOf(cluster).config;
  return Object.fromEntries(Object.entries(config).filter(([key]) => !isDynamicBrokerConfig(key)));
}

/** The settings Kafka changes live through the Admin API (no restart). */
export function dynamicConfig(cluster: Cluster): Record<string, string> {
  const config = clusterSpecOf(cluster).config;
  return Object.fromEntries(Object.entries(config).filter(([key]) => isDynamicBrokerConfig(key)));
}

/**
 * What a running pod must match, per role: the version, the static settings and the rack key.
 * Dynamic settings are left out on purpose (they are applied live), and so is the metadata.version
 * (read only when storage is formatted, raised later through the Admin API).
 */
export function revisionOf(cluster: Cluster, role: Role): string {
  const spec = clusterSpecOf(cluster);
  return hashOf({ role, version: spec.version, config: staticConfig(cluster), rack: spec.rackTopologyKey });
}

/** The metadata.version the cluster should finalize: the spec's, else the highest its version runs. */
export function targetMetadataVersion(cluster: Cluster): string {
  const spec = clusterSpecOf(cluster);
  return spec.metadataVersion ?? highestMetadataVersion(spec.version) ?? spec.version;
}

/**
 * Kafka's cluster id is a base64url UUID (22 characters). It is derived from the resource's uid, so it
 * is stable across reconciles and operator restarts with nothing to store first.
 */
export function clusterIdOf(cluster: Cluster): string {
  const hex = (cluster.metadata.uid ?? '').replaceAll('-', '').padEnd(32, '0').slice(0, 32);
  return Buffer.from(hex, 'hex').toString('base64url');
}

/** `0@c-controller-0.c-kafka-nodes.ns.svc:9093,…`: how every node finds the quorum. */
export function quorumVoters(cluster: Cluster): string {
  const name = cluster.metadata.name ?? '';
  const namespace = cluster.metadata.namespace ?? '';
  return nodeIds('controller', clusterSpecOf(cluster).controllers)
    .map(
      (id) =>
        `${id}@${names.pod(name, 'controller', id)}.${names.nodes(name)}.${namespace}.svc:${CONTROLLER_PORT}`,
    )
    .join(',');
}

/** The Pod of node `id` in `role`, per the pod convention. */
export function nodePod(cluster: Cluster, role: Role, id: number): KubeObject {
  const name = cluster.metadata.name ?? '';
  const spec = clusterSpecOf(cluster);
  const env: { name: string; value: string }[] = [
    { name: 'KAFKA_NODE_ID', value: String(id) },
    { name: 'KAFKA_PROCESS_ROLES', value: role },
    { name: 'KAFKA_VERSION', value: spec.version },
    { name: 'KAFKA_METADATA_VERSION', value: targetMetadataVersion(cluster) },
    { name: 'CLUSTER_ID', value: clusterIdOf(cluster) },
    { name: 'KAFKA_CONTROLLER_QUORUM_VOTERS', value: quorumVoters(cluster) },
  ];
  if (spec.rackTopologyKey !== undefined)
    env.push({ name: 'KAFKA_RACK_TOPOLOGY_KEY', value: spec.rackTopologyKey });
  const ports =
    role === 'controller'
      ? [{ name: 'controller', containerPort: CONTROLLER_PORT }]
      : [{ name: 'clients', containerPort: CLIENT_PORT }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: names.pod(name, role, id),
      labels: clusterLabels(name, role, id),
      annotations: { [ANNOTATIONS.revision]: revisionOf(cluster, role), [ANNOTATIONS.version]: spec.version },
    },
    spec: {
      hostname: names.pod(name, role, id),
      subdomain: names.nodes(name),
      // Brokers of one cluster on different nodes (and racks): one node failure costs one replica.
      ...(role === 'broker' ? { affinity: antiAffinity(name, spec.rackTopologyKey) } : {}),
      containers: [
        {
          name: 'kafka',
          image: `apache/kafka:${spec.version}`,
          env,
          ports,
          volumeMounts: [
            { name: 'data', mountPath: '/var/lib/kafka/data' },
            { name: 'config', mountPath: '/opt/kafka/config/steward' },
          ],
          readinessProbe: { tcpSocket: { port: ports[0]?.name ?? 'clients' }, periodSeconds: 5 },
        },
      ],
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: names.claim(name, role, id) } },
        { name: 'config', configMap: { name: names.config(name) } },
      ],
      // A broker needs time to hand its partition leadership over on SIGTERM (controlled shutdown).
      terminationGracePeriodSeconds: 60,
    },
  };
}

function antiAffinity(cluster: string, rackKey: string | undefined): object {
  const term = (topologyKey: string, weight: number) => ({
    weight,
    podAffinityTerm: {
      topologyKey,
      labelSelector: { matchLabels: { [LABELS.cluster]: cluster, [LABELS.role]: 'broker' } },
    },
  });
  const terms = [term('kubernetes.io/hostname', 50)];
  if (rackKey !== undefined) terms.push(term(rackKey, 100));
  return { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } };
}

/** The data claim of node `id`: kept while the node exists, so a restarted pod finds its log again. */
export function nodeClaim(cluster: Cluster, role: Role, id: number): KubeObject {
  const name = cluster.metadata.name ?? '';
  const size = role === 'broker' ? clusterSpecOf(cluster).storageSize : CONTROLLER_STORAGE;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: names.claim(name, role, id), labels: clusterLabels(name, role, id) },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
  };
}
