/**
 * Pure builders of a rack's StatefulSet: the pod shape of the contract (the management agent in
 * container `cassandra`, Cassandra started later by the operator) and the data claim template. Start
 * with {@link rackStatefulSet}; {@link rackSizes} splits a datacenter's size over its racks.
 */
import type { KubeObject } from '@steward/core';
import { specOf } from '../api/cassandraDatacenter.js';
import type { Datacenter, Rack } from '../api/cassandraDatacenter.js';
import {
  ANNOTATIONS,
  CONTAINER,
  CQL_PORT,
  DATA_VOLUME,
  LABELS,
  MGMT_PORT,
  NODE_STATES,
  OPERATOR_NAME,
  nodesServiceName,
  rackSelector,
  statefulSetName,
} from './labels.js';

/**
 * Nodes per rack for `size` nodes: as even as possible, the first racks taking the remainder, so rack
 * sizes never differ by more than one (each rack holds one replica of every range when RF = racks).
 */
export function rackSizes(size: number, racks: readonly Pick<Rack, 'name'>[]): Map<string, number> {
  const sizes = new Map<string, number>();
  const base = Math.floor(size / racks.length);
  racks.forEach((rack, i) => sizes.set(rack.name, base + (i < size % racks.length ? 1 : 0)));
  return sizes;
}

/** The management-API image for a Cassandra version (k8ssandra publishes one per server version). */
export const imageFor = (version: string): string => `k8ssandra/cass-management-api:${version}`;

/**
 * The StatefulSet of one rack with `replicas` pods.
 *
 * - `podManagementPolicy: Parallel`: the StatefulSet only makes pods; *when* Cassandra starts on
 *   each is the operator's call (one node at a time), so ordered pod creation would only slow it.
 * - `updateStrategy: OnDelete`: a new template (version, config, restart) reaches a pod only when the
 *   operator deletes it, after draining it, rack by rack, while every other node is up. A
 *   RollingUpdate would restart pods on readiness alone, without draining, in every rack at once.
 * - claims are retained on scale-down and deletion: the operator deletes a claim itself, and only
 *   once its node has left the ring.
 */
export function rackStatefulSet(dc: Datacenter, rack: Rack, replicas: number): KubeObject {
  const spec = specOf(dc);
  const name = dc.metadata.name ?? '';
  const selector = rackSelector(name, rack.name);
  const labels = { ...selector, [LABELS.cluster]: spec.clusterName, [LABELS.managedBy]: OPERATOR_NAME };
  const annotations: Record<string, string> = {};
  if (spec.restartRequestedAt !== undefined)
    annotations[ANNOTATIONS.restartRequestedAt] = spec.restartRequestedAt;
  const affinity =
    rack.zone === undefined
      ? undefined
      : {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: 'topology.kubernetes.io/zone', operator: 'In', values: [rack.zone] },
                  ],
                },
              ],
            },
          },
        };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: statefulSetName(name, rack.name), labels },
    spec: {
      replicas,
      serviceName: nodesServiceName(name),
      selector: { matchLabels: selector },
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'OnDelete' },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: {
        metadata: {
          // A new pod starts with only the agent: the operator moves the label on as Cassandra starts.
          labels: { ...labels, [LABELS.nodeState]: NODE_STATES.readyToStart },
          // Only when set: an empty map is dropped by the server, so the cached set would never
          // contain it and every reconcile would apply again.
          ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
        },
        spec: {
          ...(affinity === undefined ? {} : { affinity }),
          terminationGracePeriodSeconds: 120,
          containers: [
            {
              name: CONTAINER,
              image: imageFor(spec.serverVersion),
              // protocol spelled out: ports merge on (containerPort, protocol), and the embedded
              // server's apply appends an entry whose defaulted protocol it cannot match.
              ports: [
                { name: 'mgmt-api', containerPort: MGMT_PORT, protocol: 'TCP' },
                { name: 'cql', containerPort: CQL_PORT, protocol: 'TCP' },
              ],
              env: [
                { name: 'CASSANDRA_CLUSTER_NAME', value: spec.clusterName },
                { name: 'CASSANDRA_DC', value: name },
                { name: 'CASSANDRA_RACK', value: rack.name },
                // cassandra.yaml overrides, read by the image's config builder at start.
                { name: 'CASSANDRA_YAML_OVERRIDES', value: JSON.stringify(sortedConfig(spec.config)) },
              ],
              // Ready = Cassandra up and UN in its own view, which the agent's probe reports.
              readinessProbe: {
                httpGet: { path: '/api/v0/probes/readiness', port: 'mgmt-api' },
                periodSeconds: 10,
              },
              livenessProbe: {
                httpGet: { path: '/api/v0/probes/liveness', port: 'mgmt-api' },
                initialDelaySeconds: 15,
                periodSeconds: 15,
              },
              volumeMounts: [{ name: DATA_VOLUME, mountPath: '/var/lib/cassandra' }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: DATA_VOLUME },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: spec.storage.size } },
          },
        },
      ],
    },
  };
}

/** Config keys in a stable order, so an equal config is an equal template (no needless restart). */
function sortedConfig(config: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(config ?? {}).sort(([a], [b]) => a.localeCompare(b)));
}
