/**
 * What the operator asks of Kafka itself, behind one small interface shaped after Kafka's Admin API:
 * cluster metadata, topics, partition reassignment, configs and feature levels (KRaft
 * `metadata.version`), and broker unregistration. Start with {@link KafkaAdmin}. `kafkaClientAdmin.ts`
 * implements it with a Kafka client library; `simulatedKafka.ts` implements it for the simulated
 * cluster. Operations are idempotent where Kafka allows it.
 */

/** How to reach the cluster: its bootstrap servers (`<cluster>-kafka-bootstrap:9092`). */
export interface ClusterAddress {
  namespace: string;
  cluster: string;
  bootstrap: string[];
}

export interface BrokerInfo {
  id: number;
  host: string;
  rack?: string;
}

export interface ClusterInfo {
  clusterId: string;
  brokers: BrokerInfo[];
  /** The active KRaft controller's node id. */
  activeController: number;
}

export interface PartitionInfo {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface TopicInfo {
  name: string;
  partitions: PartitionInfo[];
  config: Record<string, string>;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  replicas: number;
  config?: Record<string, string>;
}

/** A reassignment in flight: the target replicas and those still being added or removed. */
export interface Reassignment {
  topic: string;
  partition: number;
  replicas: number[];
  adding: number[];
  removing: number[];
}

export interface KafkaAdmin {
  describeCluster(address: ClusterAddress): Promise<ClusterInfo>;
  listTopics(address: ClusterAddress): Promise<TopicInfo[]>;
  describeTopic(address: ClusterAddress, name: string): Promise<TopicInfo | undefined>;
  /** Creates the topic; an existing one is left as it is (use the calls below to change it). */
  createTopic(address: ClusterAddress, topic: TopicSpec): Promise<void>;
  /** Raises the partition count; partitions never decrease, so a lower count is refused. */
  createPartitions(address: ClusterAddress, name: string, count: number): Promise<void>;
  /** Sets topic config entries (incremental: keys not given are left alone). */
  alterTopicConfig(address: ClusterAddress, name: string, config: Record<string, string>): Promise<void>;
  deleteTopic(address: ClusterAddress, name: string): Promise<void>;
  /** Starts moving partition replicas; `replicas` per (topic, partition) is the target assignment. */
  reassignPartitions(
    address: ClusterAddress,
    moves: { topic: string; partition: number; replicas: number[] }[],
  ): Promise<void>;
  /** Reassignments still in progress (empty when every move has completed). */
  listReassignments(address: ClusterAddress): Promise<Reassignment[]>;
  /** Broker settings Kafka can change without a restart (dynamic configs). */
  alterBrokerConfig(address: ClusterAddress, broker: number, config: Record<string, string>): Promise<void>;
  /** The finalized `metadata.version` feature level, and raising it after an upgrade. */
  metadataVersion(address: ClusterAddress): Promise<string>;
  updateMetadataVersion(address: ClusterAddress, version: string): Promise<void>;
  /** Removes a broker id from the KRaft metadata after its node is gone. */
  unregisterBroker(address: ClusterAddress, broker: number): Promise<void>;
}
