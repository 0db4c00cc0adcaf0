/**
 * The perturbation scenarios (scale-down and rolling restart of a one-rack datacenter) and the
 * issue's invariants, checked on every event of every run. Start with {@link scaleDownScenario}.
 */
import { builtin, isConditionTrue } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { invariant, isPodReady, never, noClaimDeletedWhilePodExists } from '@steward/testing';
import type { PerturbationTestOptions, Snapshot, Step } from '@steward/testing';
import { CassandraDatacenter } from '../../src/api/cassandraDatacenter.js';
import type { Datacenter } from '../../src/api/cassandraDatacenter.js';
import { cassandraOperator } from '../../src/operator.js';
import { LABELS, NODE_STATES } from '../../src/resources/labels.js';
import { simulatedRing } from '../../src/admin/simulatedRing.js';
import type { SimulatedRing } from '../../src/admin/simulatedRing.js';
import { datacenters, RING_TIMINGS, SIMULATION } from '../cassandraEnv.js';

const namespace = 'default';
// One zone, so every pod lands on the same simulated node whatever the timing: where the scheduler
// puts a pod is the simulation's business, not a difference in the operator's outcome.
const datacenter = {
  apiVersion: 'cassandra.steward.dev/v1alpha1',
  kind: 'CassandraDatacenter',
  metadata: { name: 'dc1', namespace },
  spec: { clusterName: 'demo', size: 3, racks: [{ name: 'r1', zone: 'zone-a' }], storage: { size: '1Gi' } },
};

/** The datacenter is Ready for `generation` (and, when given, `check` holds of it). */
function readyAt(generation: number, check: (dc: Datacenter) => boolean = () => true) {
  return (s: Snapshot): boolean => {
    const dc = s.get<Datacenter>(datacenters, namespace, 'dc1');
    return (
      dc?.status?.observedGeneration === generation &&
      isConditionTrue(dc.status.conditions, 'Ready') &&
      check(dc)
    );
  };
}

const patchDc = (patch: unknown): Step => ({ patch: { ref: datacenters, namespace, name: 'dc1', patch } });

export const scaleDownScenario: Step[] = [
  { apply: datacenter },
  { wait: readyAt(1), timeoutMs: 20_000, description: '3 nodes up' },
  patchDc({ spec: { size: 2 } }),
  {
    wait: (s) =>
      readyAt(2)(s) && s.get(builtin.persistentvolumeclaims, namespace, 'server-data-dc1-r1-2') === undefined,
    timeoutMs: 20_000,
    description: '2 nodes up, the third claim gone',
  },
];

export const rollingRestartScenario: Step[] = [
  { apply: datacenter },
  { wait: readyAt(1), timeoutMs: 20_000, description: '3 nodes up' },
  patchDc({ spec: { restartRequestedAt: 'r1' } }),
  {
    wait: readyAt(2, (dc) => dc.status?.lastRollingRestart === 'r1'),
    timeoutMs: 20_000,
    description: 'restart done',
  },
];

const stateOf = (pod: KubeObject): string | undefined => pod.metadata.labels?.[LABELS.nodeState];
const podOfClaim = (claim: string): string => claim.replace(/^server-data-/, '');

// The ring of the run in progress, for the invariants (they see only the API server's objects). Runs
// are sequential, so one at a time: set by `prepare`, cleared by `cleanup`.
let currentRing: SimulatedRing | undefined;
const leftPods = (): Set<string> =>
  new Set((currentRing?.history() ?? []).filter((e) => e.kind === 'left').map((e) => e.pod));

/** The invariants for these scenarios. */
export const cassandraPerturbationInvariants = [
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
    'no claim deleted while its node is in the ring',
    (_s, event) => {
      if (event.type !== 'delete' || event.ref?.kind !== 'PersistentVolumeClaim') return undefined;
      const claim = event.object?.metadata.name ?? '';
      return leftPods().has(podOfClaim(claim))
        ? undefined
        : `claim ${claim} deleted while its node is in the ring`;
    },
    { kinds: [builtin.persistentvolumeclaims] },
  ),
  invariant(
    'no pod removed before its node left the ring, unless restarting while every other node is up',
    (s, event) => {
      if (event.type !== 'delete' || event.ref?.kind !== 'Pod' || event.object === undefined)
        return undefined;
      const pod = event.object.metadata.name ?? '';
      if (leftPods().has(pod)) return undefined;
      const others = s.list(builtin.pods, { namespace }).filter((p) => p.metadata.name !== pod);
      const down = others.filter((p) => !isPodReady(p)).map((p) => p.metadata.name);
      return down.length === 0 ? undefined : `${pod} removed while ${down.join(', ')} not Ready`;
    },
    { kinds: [builtin.pods] },
  ),
];

/**
 * Options shared by both scenarios. Each run gets the cluster simulation (its own client: the
 * runner's faults hit only the operator) and a fresh ring attached to its kubelet; the ring outlives
 * the operator's simulated crashes, as Cassandra outlives its operator's process.
 */
export const baseOptions: Omit<PerturbationTestOptions<SimulatedRing>, 'name' | 'scenario'> = {
  crds: [CassandraDatacenter],
  simulate: SIMULATION,
  prepare: (env) => {
    const ring = simulatedRing({
      client: env.client,
      ...RING_TIMINGS,
      selector: { namespace, labelSelector: LABELS.datacenter },
    });
    env.simulation?.kubelet?.attach(ring.dataPlane);
    currentRing = ring;
    return ring;
  },
  setup: (m, ring) =>
    cassandraOperator({ admin: ring.admin, pollIntervalMs: 100, resyncIntervalMs: 1000 }).setup(m),
  cleanup: (ring) => {
    ring.close();
    if (currentRing === ring) currentRing = undefined;
  },
  invariants: cassandraPerturbationInvariants,
  kinds: [builtin.pods, builtin.persistentvolumeclaims, builtin.statefulsets],
  timeoutMs: 30_000,
};
