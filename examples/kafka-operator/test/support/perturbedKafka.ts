/**
 * The Kafka world inside a perturbation run: `perturbationTest()` starts a fresh embedded server per
 * run and gives the test only the operator's manager, so the simulated kubelet and Kafka ride along
 * in `setup`. Start with {@link perturbedKafka}.
 *
 * Caveats, each handled here: the kubelet's writes go through the operator's recording client, so
 * they are numbered among its writes and a crash point may fall on one (a node agent dying with the
 * operator); a crash restarts the kubelet with an empty memory, and it "starts" the containers of
 * running pods again — the data plane below ignores a second start of the same pod, so Kafka sees no
 * restart that did not happen; and a kubelet restarted while a pod terminates deletes it without
 * stopping it, so a pod's deletion is reported to Kafka here too. A new run is recognised by its
 * server having no simulated node yet.
 */
import { builtin, NotFoundError } from '@steward/core';
import type { KubeObject, Manager } from '@steward/core';
import { invariant, kubeletSimulation } from '@steward/testing';
import type { Invariant } from '@steward/testing';
import { simulatedKafka } from '../../src/admin/simulatedKafka.js';
import type { KafkaDataPlane, SimulatedKafka } from '../../src/admin/simulatedKafka.js';
import { kafkaOperator } from '../../src/operator.js';
import { LABELS } from '../../src/resources/labels.js';
import { KAFKA_TIMINGS } from './kafkaEnv.js';

export interface PerturbedKafka {
  /** The perturbation runner's `setup`. */
  setup(manager: Manager): Promise<void>;
  /** The current run's simulated Kafka. */
  kafka(): SimulatedKafka;
  /** The Kafka-side invariants, checked on every event of every run. */
  invariants(namespace: string): Invariant[];
  close(): void;
}

const key = (pod: KubeObject): string => `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;

/** Starts of one pod (by uid) reach Kafka once, however often a restarted kubelet reports them. */
function oncePerPod(inner: KafkaDataPlane): KafkaDataPlane {
  const running = new Map<string, string>();
  return {
    selector: inner.selector,
    ready: (pod) => inner.ready(pod),
    started(pod) {
      if (running.get(key(pod)) === pod.metadata.uid) return;
      running.set(key(pod), pod.metadata.uid ?? '');
      inner.started(pod);
    },
    stopped(pod) {
      if (running.get(key(pod)) !== pod.metadata.uid) return;
      running.delete(key(pod));
      inner.stopped(pod);
    },
  };
}

export function perturbedKafka(): PerturbedKafka {
  let current = simulatedKafka({ ...KAFKA_TIMINGS, selector: { labelSelector: LABELS.cluster } });
  let plane = oncePerPod(current.dataPlane);
  return {
    async setup(manager) {
      const known = await manager.client.get(builtin.nodes, 'sim-node-0').then(
        () => true,
        (error: unknown) => {
          if (error instanceof NotFoundError) return false;
          throw error;
        },
      );
      if (!known) {
        current.close();
        current = simulatedKafka({ ...KAFKA_TIMINGS, selector: { labelSelector: LABELS.cluster } });
        plane = oncePerPod(current.dataPlane);
      }
      // One node: scheduling and pod IPs come out the same in every run, crash or not.
      const kubelet = kubeletSimulation({
        nodes: 1,
        startDelayMs: 10,
        readyDelayMs: 10,
        probeIntervalMs: 20,
      });
      await kubelet.install(manager);
      kubelet.attach(plane);
      // A kubelet restarted while a pod terminates never ran it, so it deletes the pod without
      // reporting its containers stopped (a real one stops them): report it from the pod's events.
      const stopping = plane;
      manager.add({
        name: 'kafka-sim-stopper',
        for: builtin.nodes,
        watches: [
          {
            ref: builtin.pods,
            map: (pod) => {
              if (pod.metadata.deletionTimestamp !== undefined) stopping.stopped(pod);
              return [];
            },
          },
        ],
        reconcile: () => Promise.resolve(undefined),
      });
      await kafkaOperator({ admin: current.admin, pollIntervalMs: 50, resyncIntervalMs: 500 }).setup(manager);
    },
    kafka: () => current,
    invariants(namespace) {
      return [
        invariant(
          'no partition below min.insync.replicas',
          () =>
            current
              .underMinIsr({ namespace })
              .map((p) => `${p.topic}-${p.partition}: isr ${p.isr.join(',')} < ${p.min}`),
          { kinds: [builtin.pods] },
        ),
        invariant(
          'no broker unregistered while holding replicas',
          () =>
            current
              .history()
              .filter((e) => e.type === 'unregistered' && (e.heldReplicas ?? 0) > 0)
              .map((e) => `broker ${e.node ?? ''} held ${e.heldReplicas ?? 0} replicas`),
          { kinds: [builtin.pods] },
        ),
      ];
    },
    close: () => current.close(),
  };
}
