/**
 * What the cluster controller looks at before deciding: its pods and claims from the cache, and
 * Kafka's own view through the Admin API. Start with {@link observeCluster}.
 */
import { builtin, isConditionTrue } from '@steward/core';
import type { Condition, KubeObject, ReconcileContext } from '@steward/core';
import { KafkaAdminError } from '../admin/kafkaErrors.js';
import type { ClusterAddress, KafkaAdmin } from '../admin/kafkaAdmin.js';
import { clusterSpecOf } from '../api/kafkaCluster.js';
import type { Cluster } from '../api/kafkaCluster.js';
import { ANNOTATIONS, names, nodeIds, nodeOf, podSelector } from '../resources/labels.js';
import { dynamicConfig, hashOf, revisionOf, targetMetadataVersion } from '../resources/nodePod.js';
import type { ClusterView, KafkaView, PodView } from './plan.js';

/** How the operator reaches a cluster: its bootstrap Service. */
export function addressOf(namespace: string, cluster: string): ClusterAddress {
  return { namespace, cluster, bootstrap: [`${names.bootstrap(cluster)}.${namespace}.svc:9092`] };
}

export function podView(pod: KubeObject): PodView | undefined {
  const node = nodeOf(pod);
  if (node === undefined) return undefined;
  const annotations = pod.metadata.annotations ?? {};
  const conditions = (pod['status'] as { conditions?: Condition[] } | undefined)?.conditions;
  return {
    ...node,
    name: pod.metadata.name ?? '',
    uid: pod.metadata.uid ?? '',
    revision: annotations[ANNOTATIONS.revision],
    version: annotations[ANNOTATIONS.version],
    dynamicConfig: annotations[ANNOTATIONS.dynamicConfig],
    ready: isConditionTrue(conditions, 'Ready'),
    terminating: pod.metadata.deletionTimestamp !== undefined,
  };
}

/**
 * Kafka's view, or undefined while it cannot answer (no broker up yet, a quorum election): the
 * controller then only does what needs no Kafka — creating the nodes.
 */
export async function observeKafka(
  admin: KafkaAdmin,
  address: ClusterAddress,
): Promise<KafkaView | undefined> {
  try {
    const [info, topics, reassignments, metadataVersion] = await Promise.all([
      admin.describeCluster(address),
      admin.listTopics(address),
      admin.listReassignments(address),
      admin.metadataVersion(address),
    ]);
    return { info, topics, reassignments, metadataVersion };
  } catch (error) {
    if (error instanceof KafkaAdminError && error.code === 'KAFKA_UNREACHABLE') return undefined;
    throw error;
  }
}

export async function observeCluster(
  cluster: Cluster,
  ctx: ReconcileContext<Cluster>,
  admin: KafkaAdmin,
): Promise<{ view: ClusterView; pods: Map<string, KubeObject>; address: ClusterAddress }> {
  const spec = clusterSpecOf(cluster);
  const namespace = cluster.metadata.namespace ?? '';
  const name = cluster.metadata.name ?? '';
  const selector = { namespace, labelSelector: podSelector(name) };
  const podObjects = await ctx.reader.list(builtin.pods, selector);
  const claimObjects = await ctx.reader.list(builtin.persistentvolumeclaims, selector);
  const pods = podObjects.flatMap((p) => podView(p) ?? []);
  const claims = new Set(
    claimObjects.flatMap((c) => {
      const node = nodeOf(c);
      return node === undefined || c.metadata.deletionTimestamp !== undefined
        ? []
        : [`${node.role}/${node.id}`];
    }),
  );
  const address = addressOf(namespace, name);
  const dynamic = dynamicConfig(cluster);
  const minIsr = Number(spec.config['min.insync.replicas'] ?? '1');
  const view: ClusterView = {
    desired: { controller: nodeIds('controller', spec.controllers), broker: nodeIds('broker', spec.brokers) },
    revision: { controller: revisionOf(cluster, 'controller'), broker: revisionOf(cluster, 'broker') },
    version: spec.version,
    targetMetadataVersion: targetMetadataVersion(cluster),
    dynamicConfig: { hash: hashOf(dynamic), empty: Object.keys(dynamic).length === 0 },
    minInsyncReplicas: Number.isInteger(minIsr) && minIsr > 0 ? minIsr : 1,
    pods,
    claims,
    kafka: await observeKafka(admin, address),
  };
  return { view, pods: new Map(podObjects.map((p) => [p.metadata.name ?? '', p])), address };
}
