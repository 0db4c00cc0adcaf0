/** The topic controller's decisions: partitions only grow, replicas bounded by brokers, replica changes as moves. */
import { describe, expect, test } from '@jest/globals';
import type { TopicInfo } from '../admin/kafkaAdmin.js';
import { resizeReplicas, topicChanges } from './topicPlan.js';

const topic: TopicInfo = {
  name: 't',
  config: { 'retention.ms': '1000' },
  partitions: [
    { partition: 0, leader: 100, replicas: [100, 101], isr: [100, 101] },
    { partition: 1, leader: 101, replicas: [101, 102], isr: [101, 102] },
  ],
};
const brokers = [100, 101, 102];

describe('topicChanges', () => {
  test('a partition decrease is refused and nothing else changes', () => {
    const changes = topicChanges(
      { cluster: 'k', partitions: 1, replicas: 3, config: { a: 'b' } },
      topic,
      brokers,
      [topic],
    );
    expect(changes).toEqual({
      refused: {
        reason: 'PartitionDecreaseRefused',
        message: expect.stringMatching(/^spec\.partitions: 1 is below the topic's 2/),
      },
    });
  });

  test('more replicas than brokers is refused', () => {
    expect(
      topicChanges({ cluster: 'k', partitions: 2, replicas: 4 }, topic, brokers, [topic]).refused?.message,
    ).toMatch(/spec\.replicas: 4 replicas but the cluster has 3 brokers/);
  });

  test('partitions grow, changed config keys only, no moves when the factor is unchanged', () => {
    const spec = {
      cluster: 'k',
      partitions: 4,
      replicas: 2,
      config: { 'retention.ms': '1000', 'cleanup.policy': 'compact' },
    };
    expect(topicChanges(spec, topic, brokers, [topic])).toEqual({
      partitions: 4,
      config: { 'cleanup.policy': 'compact' },
    });
  });
});

describe('resizeReplicas', () => {
  test('growing adds the least loaded broker; shrinking keeps the preferred leader', () => {
    expect(resizeReplicas(topic, 3, brokers, [topic])).toEqual([
      { topic: 't', partition: 0, replicas: [100, 101, 102] },
      { topic: 't', partition: 1, replicas: [101, 102, 100] },
    ]);
    expect(resizeReplicas(topic, 1, brokers, [topic])).toEqual([
      { topic: 't', partition: 0, replicas: [100] },
      { topic: 't', partition: 1, replicas: [101] },
    ]);
  });
});
