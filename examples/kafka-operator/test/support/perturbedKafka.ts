/**
 * The Kafka world of a perturbation run: the cluster simulation and a fresh simulated Kafka attached
 * to its kubelet, the operator set up on it, and the Kafka-side invariants. Start with
 * {@link perturbedKafka}, the options both perturbation scenarios share.
 *
 * The simulation runs on its own client, so the runner crashes, delays and refuses only the operator:
 * the kubelet keeps running pods across an operator crash, and Kafka outlives the operator's process
 * as it does in a real cluster (a crash restarts nothing in the data plane).
 */
import { builtin } from '@steward/core';
import { invariant } from '@steward/testing';
import type { Invariant, PerturbationTestOptions } from '@steward/testing';
import { simulatedKafka } from '../../src/admin/simulatedKafka.js';
import type { SimulatedKafka } from '../../src/admin/simulatedKafkaTypes.js';
import { KafkaCluster } from '../../src/api/kafkaCluster.js';
import { KafkaTopic } from '../../src/api/kafkaTopic.js';
import { kafkaOperator } from '../../src/operator.js';
import { LABELS } from '../../src/resources/labels.js';
import { KAFKA_SIMULATION, KAFKA_TIMINGS, kafkaInvariants } from './kafkaEnv.js';

/** What `perturbationTest()` takes besides the scenario: world, operator and invariants. */
export type PerturbedKafka = Omit<PerturbationTestOptions<SimulatedKafka>, 'name' | 'scenario'>;

/**
 * The Kafka of the run in progress, for the invariants (they see the API server's objects only). Runs
 * are sequential, so one at a time: set by `prepare`, cleared by `cleanup`.
 */
let current: SimulatedKafka | undefined;
const currentKafka = (): SimulatedKafka | undefined => current;

/** Kafka's own record, checked on every event: never below min ISR, no broker unregistered holding replicas. */
function kafkaSideInvariants(namespace: string): Invariant[] {
  return [
    invariant(
      'no partition below min.insync.replicas',
      () =>
        (current?.underMinIsr({ namespace }) ?? []).map(
          (p) => `${p.topic}-${p.partition}: isr ${p.isr.join(',')} < ${p.min}`,
        ),
      { kinds: [builtin.pods] },
    ),
    invariant(
      'no broker unregistered while holding replicas',
      () =>
        (current?.history() ?? [])
          .filter((e) => e.type === 'unregistered' && (e.heldReplicas ?? 0) > 0)
          .map((e) => `broker ${e.node ?? ''} held ${e.heldReplicas ?? 0} replicas`),
      { kinds: [builtin.pods] },
    ),
  ];
}

/** The options of a Kafka perturbation run in `namespace`. */
export function perturbedKafka(namespace: string): PerturbedKafka {
  return {
    crds: [KafkaCluster, KafkaTopic],
    simulate: KAFKA_SIMULATION,
    prepare: (env) => {
      const kafka = simulatedKafka({
        ...KAFKA_TIMINGS,
        selector: { namespace, labelSelector: LABELS.cluster },
      });
      env.simulation?.kubelet?.attach(kafka.dataPlane);
      current = kafka;
      return kafka;
    },
    setup: (manager, kafka) =>
      kafkaOperator({ admin: kafka.admin, pollIntervalMs: 50, resyncIntervalMs: 500 }).setup(manager),
    cleanup: (kafka) => {
      kafka.close();
      if (current === kafka) current = undefined;
    },
    invariants: [...kafkaInvariants(namespace, currentKafka), ...kafkaSideInvariants(namespace)],
    kinds: [builtin.pods, builtin.persistentvolumeclaims],
  };
}
