/**
 * {@link KafkaAdmin} over Kafka's wire protocol with `@platformatic/kafka`: its `Admin` client for
 * metadata, topics, partitions and configs, and its protocol-level APIs for what the `Admin` class
 * does not wrap (DescribeCluster, DescribeQuorum, partition reassignments, UpdateFeatures,
 * UnregisterBroker, and the finalized features in ApiVersions). Start with {@link kafkaClientAdmin};
 * errors become {@link KafkaAdminError}s by Kafka error name.
 */
import {
  alterPartitionReassignmentsV0,
  ConfigResourceTypes,
  describeClusterV1,
  describeQuorumV2,
  IncrementalAlterConfigOperationTypes,
  listPartitionReassignmentsV0,
  unregisterBrokerV0,
  updateFeaturesV1,
  type ConnectionOptions,
} from '@platformatic/kafka';
import { apiVersionsWithFeatures } from './finalizedFeatures.js';
import type { BrokerInfo, ClusterAddress, KafkaAdmin, TopicInfo } from './kafkaAdmin.js';
import { codeFor, protocolFailure } from './clientErrors.js';
import { clientPool } from './clientPool.js';
import { describeCluster, KafkaAdminError } from './kafkaErrors.js';
import { metadataFeatureLevel, metadataVersionName } from './metadataVersions.js';

export interface KafkaClientAdminOptions {
  /** The client id brokers log and quota (default `steward-kafka-operator`). */
  clientId?: string;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** TLS and SASL settings, passed to every connection. */
  connection?: ConnectionOptions;
}

export interface KafkaClientAdmin extends KafkaAdmin {
  /** Closes every client and connection (the operator's shutdown). */
  close(): Promise<void>;
}

/** Runs `run`, treating Kafka error `apiId` as success: the metadata a check read may lag a change. */
async function ignoring(apiId: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (protocolFailure(error)?.apiId !== apiId) throw error;
  }
}

export function kafkaClientAdmin(options: KafkaClientAdminOptions = {}): KafkaClientAdmin {
  const clientId = options.clientId ?? 'steward-kafka-operator';
  const timeout = options.timeoutMs ?? 30_000;
  const pool = clientPool(clientId, timeout, options.connection);
  const { adminFor, connectionFor } = pool;

  /** Runs a call, translating failures; a connection that failed is dropped so the next call reconnects. */
  async function call<T>(address: ClusterAddress, what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof KafkaAdminError) throw error;
      const failure = protocolFailure(error);
      const where = `${describeCluster(address)}: ${what}`;
      if (failure !== undefined) {
        const detail = failure.serverErrorMessage ? ` (${failure.serverErrorMessage})` : '';
        throw new KafkaAdminError(codeFor(failure), `${where}: ${failure.apiId}${detail}`, { cause: error });
      }
      pool.drop(address);
      throw new KafkaAdminError(
        'KAFKA_UNREACHABLE',
        `${where}: no answer from ${address.bootstrap.join(',')}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async function topics(address: ClusterAddress, names?: string[]): Promise<TopicInfo[]> {
    const admin = adminFor(address);
    const list = names ?? (await admin.listTopics());
    if (list.length === 0) return [];
    const metadata = await admin.metadata({ topics: list, forceUpdate: true });
    const configs = await admin.describeConfigs({
      resources: list.map((name) => ({
        resourceType: ConfigResourceTypes.TOPIC,
        resourceName: name,
        configurationKeys: [],
      })),
    });
    return list.flatMap((name) => {
      const topic = metadata.topics.get(name);
      if (topic === undefined) return [];
      // Only what was set on the topic (DYNAMIC_TOPIC_CONFIG = 1), as the operator declares it.
      const own =
        configs.find((c) => c.resourceName === name)?.configs.filter((c) => c.configSource === 1) ?? [];
      return [
        {
          name,
          partitions: topic.partitions.map((p, partition) => ({
            partition,
            leader: p.leader,
            replicas: p.replicas,
            isr: p.isr,
          })),
          config: Object.fromEntries(own.map((c) => [c.name, c.value ?? ''])),
        },
      ];
    });
  }

  return {
    describeCluster: (address) =>
      call(address, 'describe cluster', async () => {
        const connection = await connectionFor(address);
        const cluster = await describeClusterV1.api.async(connection, false, 1);
        // A broker names a random live broker as "controller" in KRaft; the quorum knows the real one.
        const quorum = await describeQuorumV2.api.async(connection, [
          { topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] },
        ]);
        const leader = quorum.topics[0]?.partitions[0]?.leaderId ?? cluster.controllerId;
        return {
          clusterId: cluster.clusterId,
          brokers: cluster.brokers
            .map((b): BrokerInfo => {
              const rack = b.rack ?? undefined;
              return rack === undefined
                ? { id: b.brokerId, host: b.host }
                : { id: b.brokerId, host: b.host, rack };
            })
            .sort((a, b) => a.id - b.id),
          activeController: leader,
        };
      }),
    listTopics: (address) => call(address, 'list topics', () => topics(address)),
    describeTopic: (address, name) =>
      call(address, `describe topic ${name}`, async () => {
        const all = await adminFor(address).listTopics();
        return all.includes(name) ? (await topics(address, [name]))[0] : undefined;
      }),
    createTopic: (address, spec) =>
      call(address, `create topic ${spec.name}`, async () => {
        const admin = adminFor(address);
        if ((await admin.listTopics()).includes(spec.name)) return;
        await ignoring('TOPIC_ALREADY_EXISTS', () =>
          admin.createTopics({
            topics: [spec.name],
            partitions: spec.partitions,
            replicas: spec.replicas,
            configs: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
          }),
        );
      }),
    createPartitions: (address, name, count) =>
      call(address, `create partitions of ${name}`, async () => {
        const [topic] = await topics(address, [name]);
        // Kafka answers INVALID_PARTITIONS for an unchanged count; the interface makes that a no-op.
        if (topic !== undefined && topic.partitions.length === count) return;
        try {
          await adminFor(address).createPartitions({ topics: [{ name, count }] });
        } catch (error) {
          // The metadata read above can lag a change just made; Kafka's answer says the count it has.
          const has = /already has (\d+) partition/.exec(protocolFailure(error)?.serverErrorMessage ?? '');
          if (Number(has?.[1]) !== count) throw error;
        }
      }),
    alterTopicConfig: (address, name, config) =>
      call(address, `alter config of topic ${name}`, () =>
        adminFor(address).incrementalAlterConfigs({
          resources: [
            {
              resourceType: ConfigResourceTypes.TOPIC,
              resourceName: name,
              configs: Object.entries(config).map(([key, value]) => ({
                name: key,
                value,
                configOperation: IncrementalAlterConfigOperationTypes.SET,
              })),
            },
          ],
        }),
      ),
    deleteTopic: (address, name) =>
      call(address, `delete topic ${name}`, async () => {
        const admin = adminFor(address);
        if ((await admin.listTopics()).includes(name))
          await ignoring('UNKNOWN_TOPIC_OR_PARTITION', () => admin.deleteTopics({ topics: [name] }));
      }),
    reassignPartitions: (address, moves) =>
      call(address, 'reassign partitions', async () => {
        const byTopic = new Map<string, { partitionIndex: number; replicas: number[] }[]>();
        for (const move of moves) {
          const list = byTopic.get(move.topic) ?? [];
          list.push({ partitionIndex: move.partition, replicas: move.replicas });
          byTopic.set(move.topic, list);
        }
        await alterPartitionReassignmentsV0.api.async(
          await connectionFor(address),
          timeout,
          false,
          [...byTopic].map(([name, partitions]) => ({ name, partitions })),
        );
      }),
    listReassignments: (address) =>
      call(address, 'list reassignments', async () => {
        const response = await listPartitionReassignmentsV0.api.async(
          await connectionFor(address),
          timeout,
          [],
        );
        return response.topics.flatMap((t) =>
          t.partitions.map((p) => ({
            topic: t.name,
            partition: p.partitionIndex,
            replicas: p.replicas,
            adding: p.addingReplicas,
            removing: p.removingReplicas,
          })),
        );
      }),
    alterBrokerConfig: (address, broker, config) =>
      call(address, `alter config of broker ${broker}`, () =>
        adminFor(address).incrementalAlterConfigs({
          resources: [
            {
              resourceType: ConfigResourceTypes.BROKER,
              resourceName: String(broker),
              configs: Object.entries(config).map(([name, value]) => ({
                name,
                value,
                configOperation: IncrementalAlterConfigOperationTypes.SET,
              })),
            },
          ],
        }),
      ),
    metadataVersion: (address) =>
      call(address, 'read metadata.version', async () => {
        const features = await apiVersionsWithFeatures.async(await connectionFor(address), clientId, '1');
        const level = features.finalized.get('metadata.version');
        return level === undefined ? '' : (metadataVersionName(level) ?? String(level));
      }),
    updateMetadataVersion: (address, version) =>
      call(address, `set metadata.version ${version}`, async () => {
        const level = metadataFeatureLevel(version);
        if (level === undefined)
          throw new KafkaAdminError(
            'KAFKA_INVALID_UPDATE_VERSION',
            `${describeCluster(address)}: metadata.version ${version} is not a level this operator knows (like 3.9-IV0)`,
          );
        // upgradeType 1 = UPGRADE: Kafka refuses a lower level unless told it may lose metadata.
        await updateFeaturesV1.api.async(
          await connectionFor(address),
          timeout,
          [{ feature: 'metadata.version', maxVersionLevel: level, upgradeType: 1 }],
          false,
        );
      }),
    unregisterBroker: (address, broker) =>
      call(address, `unregister broker ${broker}`, async () => {
        const connection = await connectionFor(address);
        await ignoring('BROKER_ID_NOT_REGISTERED', () => unregisterBrokerV0.api.async(connection, broker));
      }),
    close: () => pool.close(),
  };
}
