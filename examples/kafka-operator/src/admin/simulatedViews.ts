/**
 * The read-only views of the simulated Kafka tests and invariants read: topics with what is moving,
 * nodes with their process state, clusters with the quorum, and partitions below their minimum ISR.
 * Start with {@link simulatedViews}.
 */
import type { TopicInfo } from './kafkaAdmin.js';
import type { ClusterFilter, SimulatedKafka } from './simulatedKafkaTypes.js';
import { minIsrOf, type SimCluster, type SimTopic } from './simulatedState.js';

export const topicInfo = (t: SimTopic): TopicInfo => ({
  name: t.name,
  config: { ...t.config },
  partitions: t.partitions.map((p) => ({
    partition: p.partition,
    leader: p.leader,
    replicas: [...p.replicas],
    isr: [...p.isr],
  })),
});

export function simulatedViews(
  clustersOf: (filter?: ClusterFilter) => SimCluster[],
  clusters: Map<string, SimCluster>,
): Pick<SimulatedKafka, 'topics' | 'nodes' | 'clusters' | 'underMinIsr'> {
  return {
    topics: (filter) =>
      clustersOf(filter).flatMap((c) =>
        [...c.topics.values()].map((t) => ({
          ...topicInfo(t),
          namespace: c.namespace,
          cluster: c.name,
          minInsyncReplicas: minIsrOf(c, t),
          partitions: t.partitions.map((p) => ({
            partition: p.partition,
            leader: p.leader,
            replicas: [...p.replicas],
            isr: [...p.isr],
            adding: [...p.adding],
            removing: [...p.removing],
            bytes: p.bytes,
          })),
        })),
      ),
    nodes: (filter) =>
      clustersOf(filter).flatMap((c) =>
        [...c.nodes.values()]
          .sort((a, b) => a.id - b.id)
          .map((n) => ({
            namespace: c.namespace,
            cluster: c.name,
            id: n.id,
            roles: [...n.roles],
            pod: n.pod,
            version: n.version,
            running: n.running,
            failed: n.failed,
            registered: n.registered,
            fenced: n.fenced,
            caughtUp: n.caughtUp,
            starts: n.starts,
            config: { ...n.config },
          })),
      ),
    clusters: () =>
      [...clusters.values()].map((c) => ({
        namespace: c.namespace,
        cluster: c.name,
        clusterId: c.clusterId,
        activeController: c.activeController,
        voters: [...c.voters].sort((a, b) => a - b),
        metadataVersion: c.metadataVersion,
      })),
    underMinIsr: (filter) =>
      clustersOf(filter).flatMap((c) =>
        [...c.topics.values()].flatMap((t) => {
          const min = minIsrOf(c, t);
          return t.partitions
            .filter((p) => p.isr.length < min)
            .map((p) => ({
              namespace: c.namespace,
              cluster: c.name,
              topic: t.name,
              partition: p.partition,
              isr: [...p.isr],
              min,
            }));
        }),
      ),
  };
}
