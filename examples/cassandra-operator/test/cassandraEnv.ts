/**
 * The end-to-end tests' world: the embedded API server with the cluster simulation, the simulated
 * ring attached to its kubelet, the operator running in-process, and the domain invariants watched
 * on every event. Start with {@link startCassandraEnv}.
 */
import { builtin, isConditionTrue, resourceRefOf } from '@steward/core';
import type { KubeObject } from '@steward/core';
import {
  invariant,
  isPodReady,
  never,
  noClaimDeletedWhilePodExists,
  runManager,
  startTestEnv,
  waitFor,
  watchInvariants,
} from '@steward/testing';
import type { Invariant, InvariantWatch, RunningManager, TestEnv } from '@steward/testing';
import { simulatedRing } from '../src/admin/simulatedRing.js';
import type { SimulatedRing } from '../src/admin/simulatedRing.js';
import { CassandraDatacenter } from '../src/api/cassandraDatacenter.js';
import type { Datacenter } from '../src/api/cassandraDatacenter.js';
import { LABELS, NODE_STATES } from '../src/resources/labels.js';
import { cassandraOperator } from '../src/operator.js';

export const datacenters = resourceRefOf(CassandraDatacenter);

export interface CassandraEnv {
  env: TestEnv;
  ring: SimulatedRing;
  operator: RunningManager;
  invariants: InvariantWatch;
  namespace: string;
  /** Reads the datacenter `name`. */
  dc(name?: string): Promise<Datacenter>;
  /** Waits until the datacenter is Ready for its current generation. */
  ready(name?: string, timeout?: number): Promise<Datacenter>;
  pods(name?: string): Promise<KubeObject[]>;
  stop(): Promise<void>;
}

/** Ring timings short enough for tests, long enough that joins and leaves overlap with reconciles. */
export const RING_TIMINGS = {
  startMs: 10,
  joinMs: 80,
  decommissionMs: 120,
  drainMs: 5,
  cleanupMs: 20,
  leftRetentionMs: 400,
};

/**
 * The parts of the cluster a Cassandra datacenter needs: StatefulSets making pods and claims, volumes
 * binding them, a kubelet starting pods quickly (the ring, attached to it, decides readiness), and
 * the garbage collector removing what a deleted datacenter owned.
 */
export const SIMULATION = {
  kubelet: { startDelayMs: 10, readyDelayMs: 10, probeIntervalMs: 50 },
  statefulSets: true,
  volumes: true,
  garbageCollector: true,
};

export async function startCassandraEnv(): Promise<CassandraEnv> {
  const env = await startTestEnv({ crds: [CassandraDatacenter], namespace: true, simulate: SIMULATION });
  const { namespace } = env;
  const ring = simulatedRing({
    client: env.client,
    ...RING_TIMINGS,
    selector: { namespace, labelSelector: LABELS.datacenter },
  });
  env.simulation?.kubelet?.attach(ring.dataPlane);
  const invariants = await watchInvariants(env.client, {
    namespace,
    invariants: cassandraInvariants(namespace),
  });
  const operator = await runManager(env, (m) =>
    cassandraOperator({ admin: ring.admin, pollIntervalMs: 100, resyncIntervalMs: 1000 }).setup(m),
  );
  const get = (name = 'dc1'): Promise<Datacenter> =>
    env.client.get<Datacenter>(datacenters, name, { namespace });
  return {
    env,
    ring,
    operator,
    invariants,
    namespace,
    dc: get,
    async ready(name = 'dc1', timeout = 20_000) {
      return waitFor(
        async () => {
          const dc = await get(name);
          const current = dc.status?.observedGeneration === dc.metadata.generation;
          return current && isConditionTrue(dc.status?.conditions, 'Ready') ? dc : undefined;
        },
        {
          timeout,
          description: `CassandraDatacenter ${name} Ready`,
          state: () => describe(env, ring, get(name)),
        },
      );
    },
    async pods(name = 'dc1') {
      const list = await env.client.list(builtin.pods, {
        namespace,
        labelSelector: `${LABELS.datacenter}=${name}`,
      });
      return list.items.filter((p) => p.metadata.deletionTimestamp === undefined);
    },
    async stop() {
      await invariants.stop();
      ring.close();
      await env.stop();
    },
  };
}

/** What a failed wait prints: the datacenter's status, the pods and the ring. */
async function describe(env: TestEnv, ring: SimulatedRing, dc: Promise<Datacenter>): Promise<unknown> {
  const pods = await env.client.list(builtin.pods, { namespace: env.namespace });
  return {
    status: (await dc.catch(() => undefined))?.status,
    pods: pods.items.map(
      (p) => `${p.metadata.name} ${p.metadata.labels?.[LABELS.nodeState]} ready=${ready(p)}`,
    ),
    ring: ring.ring(env.namespace).map((m) => `${m.pod} ${m.state} ${m.process}`),
  };
}

const ready = (pod: KubeObject): boolean => isPodReady(pod);
const stateOf = (pod: KubeObject): string | undefined => pod.metadata.labels?.[LABELS.nodeState];

/**
 * The invariants, checked on every event: never two nodes joining or leaving at once, no
 * claim deleted while its pod exists, a pod labelled seed only when Ready.
 */
export function cassandraInvariants(namespace: string): Invariant[] {
  return [
    never(
      'two nodes joining or leaving at once',
      (s) => {
        const moving = s
          .list(builtin.pods, { namespace })
          .filter((p) => stateOf(p) === NODE_STATES.starting || stateOf(p) === NODE_STATES.decommissioning);
        return moving.length > 1 ? `moving at once: ${moving.map((p) => p.metadata.name).join(', ')}` : false;
      },
      { kinds: [builtin.pods] },
    ),
    noClaimDeletedWhilePodExists({ namespace }),
    invariant(
      'only Ready pods become seeds',
      (_s, event) => {
        const pod = event.object;
        if (event.ref?.kind !== 'Pod' || pod === undefined) return undefined;
        if (event.type !== 'update' && event.type !== 'add') return undefined;
        const wasSeed = event.oldObject?.metadata.labels?.[LABELS.seed] === 'true';
        const isSeed = pod.metadata.labels?.[LABELS.seed] === 'true';
        if (isSeed && !wasSeed && !ready(pod)) return `${pod.metadata.name} became a seed while not Ready`;
        return undefined;
      },
      { kinds: [builtin.pods] },
    ),
  ];
}

/** Sorts names (possibly undefined) as text. */
export const byText = (a: string | undefined, b: string | undefined): number =>
  (a ?? '').localeCompare(b ?? '');
