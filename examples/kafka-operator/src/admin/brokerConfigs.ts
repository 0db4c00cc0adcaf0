/**
 * Which broker settings Kafka changes live and which need a restart: the operator applies the first
 * kind through `alterBrokerConfig` and rolls the pods for the second. Start with
 * {@link isDynamicBrokerConfig}; {@link splitBrokerConfig} sorts a whole change.
 */

/**
 * Broker settings whose Kafka documentation lists an update mode of `per-broker` or `cluster-wide`
 * (the rest are `read-only`: a restart is the only way to change them). Topic-level defaults
 * (`log.retention.ms`, `min.insync.replicas`, …), thread pools, replication throttles and connection
 * limits are here; identity and layout (`node.id`, `process.roles`, `log.dirs`, `broker.rack`,
 * `num.partitions`, `default.replication.factor`, `auto.create.topics.enable`) are not.
 */
const DYNAMIC = new Set([
  'background.threads',
  'compression.type',
  'follower.replication.throttled.rate',
  'leader.replication.throttled.rate',
  'log.cleaner.backoff.ms',
  'log.cleaner.dedupe.buffer.size',
  'log.cleaner.delete.retention.ms',
  'log.cleaner.io.buffer.load.factor',
  'log.cleaner.io.buffer.size',
  'log.cleaner.io.max.bytes.per.second',
  'log.cleaner.max.compaction.lag.ms',
  'log.cleaner.min.cleanable.ratio',
  'log.cleaner.min.compaction.lag.ms',
  'log.cleaner.threads',
  'log.cleanup.policy',
  'log.flush.interval.messages',
  'log.flush.interval.ms',
  'log.index.interval.bytes',
  'log.index.size.max.bytes',
  'log.message.timestamp.type',
  'log.preallocate',
  'log.retention.bytes',
  'log.retention.ms',
  'log.roll.jitter.ms',
  'log.roll.ms',
  'log.segment.bytes',
  'log.segment.delete.delay.ms',
  'max.connection.creation.rate',
  'max.connections',
  'max.connections.per.ip',
  'max.connections.per.ip.overrides',
  'message.max.bytes',
  'metric.reporters',
  'min.insync.replicas',
  'num.io.threads',
  'num.network.threads',
  'num.recovery.threads.per.data.dir',
  'num.replica.fetchers',
  'replica.alter.log.dirs.io.max.bytes.per.second',
  'unclean.leader.election.enable',
]);

/** Listener-scoped security settings (`listener.name.<l>.ssl.keystore.location`, …) are dynamic too. */
const DYNAMIC_PREFIXES = ['listener.name.', 'ssl.', 'sasl.'];

/** Whether Kafka applies this broker setting without a restart. */
export function isDynamicBrokerConfig(key: string): boolean {
  return DYNAMIC.has(key) || DYNAMIC_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** Splits a broker config change into what can be applied live and what needs a rolling restart. */
export function splitBrokerConfig(config: Record<string, string>): {
  dynamic: Record<string, string>;
  restart: Record<string, string>;
} {
  const dynamic: Record<string, string> = {};
  const restart: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (isDynamicBrokerConfig(key)) dynamic[key] = value;
    else restart[key] = value;
  }
  return { dynamic, restart };
}
