/**
 * A simulated Cassandra ring behind the {@link CassandraAdmin} interface, for tests on the embedded
 * API server: attach its `dataPlane` to the simulated kubelet and each pod runs a management agent;
 * Cassandra starts only when the operator calls `start`, bootstraps (UJ) before it is Normal (UN),
 * decommissions over time (UL → LEFT, its data streamed to the others), drains, cleans up and can
 * fail (DN). Start with {@link simulatedRing}; the rules live in `ringModel.ts`.
 */
import type { KubeClient, KubeObject } from '@steward/core';
import { builtin } from '@steward/core';
import { CassandraAdminError, describeNode } from './adminErrors.js';
import type { CassandraAdmin, Node, RingMember } from './cassandraAdmin.js';
import { LABELS } from '../resources/labels.js';
import { ringModel } from './ringModel.js';
import { isUp, memberOf, type RingEvent, type RingNode, type RingTimings } from './ringNode.js';

// The pod convention's labels, shared with the operator that writes them.
export const DATACENTER_LABEL = LABELS.datacenter;
export const RACK_LABEL = LABELS.rack;
/** The volumeClaimTemplate holding a node's data: claims are `server-data-<pod>`. */
export const DATA_VOLUME = 'server-data';

/** The shape `kubelet.attach` takes (`SimulatedDataPlane` in @steward/testing), kept local so the
 * operator's build does not depend on the testing package. */
export interface RingDataPlane {
  selector: { namespace?: string; labelSelector?: string };
  ready(pod: KubeObject): boolean;
  started(pod: KubeObject): Promise<void>;
  stopped(pod: KubeObject): void;
}

export interface SimulatedRingOptions extends Partial<RingTimings> {
  /** Which pods run Cassandra (default: every pod labelled with a datacenter, in any namespace). */
  selector?: { namespace?: string; labelSelector?: string };
  /**
   * Reads each pod's data claim so a node is keyed by the claim's uid: a claim deleted and created
   * again under the same name is a new node. Without it nodes are keyed by claim name, and a node that
   * left the ring is forgotten when its pod stops (a reused name then joins as a new node).
   */
  client?: KubeClient;
}

/** A member as the simulation knows it: what `nodetool status` shows, plus where it lives. */
export interface SimulatedMember extends RingMember {
  namespace: string;
  pod: string;
  claim: string;
  /** The Cassandra process: `stopped` until `start`, `drained` after `drain`, … */
  process: RingNode['process'];
  failed: boolean;
  capacity: number;
}

export interface SimulatedRing {
  /** Pass to `env.simulation.kubelet.attach(...)`: pods are Ready only while their node is UN. */
  dataPlane: RingDataPlane;
  admin: CassandraAdmin;
  /** Every node the simulation knows (LEFT ones included until gossip forgets them), sorted by pod. */
  ring(namespace?: string): SimulatedMember[];
  /** Cassandra on the pod dies or hangs: DN to the others, its agent unreachable, the pod NotReady. */
  failNode(pod: PodRef): void;
  /** The fault clears: a node that had bootstrapped comes back UN; one that had not needs `start`. */
  recoverNode(pod: PodRef): void;
  /** Sets the bytes a node holds (all of them owned), e.g. to make a scale-down lack capacity. */
  setLoad(pod: PodRef, bytes: number): void;
  /** Sets the size of a node's data volume (default `capacityBytes`). */
  setCapacity(pod: PodRef, bytes: number): void;
  /** What happened, in order: joins, leaves, failures, refused operations. */
  history(): readonly RingEvent[];
  /** Stops the timers of operations in flight (a test's afterEach). */
  close(): void;
}

export interface PodRef {
  namespace: string;
  name: string;
}

const DEFAULTS: RingTimings = {
  startMs: 20,
  joinMs: 100,
  decommissionMs: 150,
  drainMs: 10,
  cleanupMs: 30,
  leftRetentionMs: 1_000,
  capacityBytes: 10 * 2 ** 30,
  dataBytes: 2 ** 30,
};

const podKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** The pod's data claim, from its `server-data` volume (as the StatefulSet names it). */
const claimOf = (pod: KubeObject): string => {
  const volumes = (
    pod['spec'] as { volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[] }
  )?.volumes;
  return (
    volumes?.find((v) => v.name === DATA_VOLUME)?.persistentVolumeClaim?.claimName ??
    `${DATA_VOLUME}-${pod.metadata.name ?? ''}`
  );
};

/** Seeds name a node by IP, pod name or DNS name (`<pod>.<service>…`). */
const isSeed = (seed: string, node: RingNode): boolean =>
  seed === node.address || seed === node.pod || seed.startsWith(`${node.pod}.`);

export function simulatedRing(options: SimulatedRingOptions = {}): SimulatedRing {
  const timings: RingTimings = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof RingTimings)[]) {
    const value = options[key];
    if (value !== undefined) timings[key] = value;
  }
  const model = ringModel(timings);
  /** Which node each pod runs now. */
  const byPod = new Map<string, RingNode>();

  async function keyOf(namespace: string, claim: string): Promise<string> {
    if (options.client !== undefined) {
      const pvc = await options.client
        .get(builtin.persistentvolumeclaims, claim, { namespace })
        .catch(() => undefined);
      if (pvc?.metadata.uid !== undefined) return pvc.metadata.uid;
    }
    return podKey(namespace, claim);
  }

  const find = (ref: PodRef): RingNode => {
    const node = byPod.get(podKey(ref.namespace, ref.name));
    if (node === undefined)
      throw new CassandraAdminError(
        'CASSANDRA_UNKNOWN_NODE',
        `no simulated Cassandra pod ${ref.namespace}/${ref.name}: is the ring's dataPlane attached to the kubelet, and the pod running?`,
      );
    return node;
  };

  /** The node behind an admin call, whose agent must answer (and, unless `agentOnly`, Cassandra too). */
  const reach = (target: Node, agentOnly = false): RingNode => {
    const node = byPod.get(podKey(target.namespace, target.pod));
    if (node === undefined || !node.agent || node.failed)
      throw new CassandraAdminError(
        'CASSANDRA_UNREACHABLE',
        `the management API of ${describeNode(target)} does not answer`,
      );
    if (target.host !== '') node.address = target.host;
    if (!agentOnly && (node.process === 'stopped' || node.process === 'starting'))
      throw new CassandraAdminError(
        'CASSANDRA_UNREACHABLE',
        `Cassandra is not running on ${describeNode(target)}`,
      );
    return node;
  };

  const dataPlane: RingDataPlane = {
    selector: options.selector ?? { labelSelector: DATACENTER_LABEL },
    async started(pod) {
      const namespace = pod.metadata.namespace ?? '';
      const name = pod.metadata.name ?? '';
      const claim = claimOf(pod);
      const node = model.nodeFor(await keyOf(namespace, claim), namespace, claim);
      byPod.set(podKey(namespace, name), node);
      const labels = pod.metadata.labels ?? {};
      Object.assign(node, {
        pod: name,
        datacenter: labels[DATACENTER_LABEL] ?? node.datacenter,
        rack: labels[RACK_LABEL] ?? node.rack,
        agent: true,
      });
      const ip = (pod['status'] as { podIP?: string } | undefined)?.podIP;
      if (ip !== undefined) node.address = ip;
    },
    stopped(pod) {
      const key = podKey(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
      const node = byPod.get(key);
      if (node === undefined) return;
      model.halt(node, `pod ${key} stopped`); // first, while gossip still saw it up
      node.agent = false;
      if (node.status === 'LEFT' && options.client === undefined) {
        model.nodes.delete(node.key);
        byPod.delete(key);
      }
    },
    ready(pod) {
      const node = byPod.get(podKey(pod.metadata.namespace ?? '', pod.metadata.name ?? ''));
      const ip = (pod['status'] as { podIP?: string } | undefined)?.podIP;
      if (node !== undefined && ip !== undefined && node.address === '') node.address = ip;
      return node !== undefined && isUp(node) && node.status === 'N';
    },
  };

  const admin: CassandraAdmin = {
    async start(target, startOptions) {
      model.start(reach(target, true), startOptions?.seeds, isSeed);
    },
    async ring(target) {
      const node = reach(target);
      return model.ringOf(node.namespace).map(memberOf);
    },
    async decommission(target) {
      const node = reach(target);
      if (node.process === 'drained')
        throw new CassandraAdminError(
          'CASSANDRA_REJECTED',
          `${describeNode(target)} is drained; restart it before a decommission`,
        );
      model.decommission(node);
    },
    async drain(target) {
      await model.drain(reach(target));
    },
    async cleanup(target) {
      const node = reach(target);
      if (node.status !== 'N' || node.process !== 'running')
        throw new CassandraAdminError(
          'CASSANDRA_REJECTED',
          `cleanup on ${describeNode(target)}: the node is not Up and Normal`,
        );
      await model.cleanup(node);
    },
    async freeSpace(target) {
      const node = reach(target);
      return Math.max(0, node.capacity - node.load);
    },
  };

  return {
    dataPlane,
    admin,
    ring(namespace) {
      const namespaces = new Set([...model.nodes.values()].map((n) => n.namespace));
      const members = [...namespaces]
        .filter((ns) => namespace === undefined || ns === namespace)
        .flatMap((ns) => model.ringOf(ns));
      return members
        .map((n) => ({
          ...memberOf(n),
          namespace: n.namespace,
          pod: n.pod,
          claim: n.claim,
          process: n.process,
          failed: n.failed,
          capacity: n.capacity,
        }))
        .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.pod.localeCompare(b.pod));
    },
    failNode(ref) {
      const node = find(ref);
      model.halt(node, `node ${ref.namespace}/${ref.name} failed`);
      node.failed = true;
    },
    recoverNode(ref) {
      const node = find(ref);
      node.failed = false;
      if (node.agent && node.bootstrapped && node.process === 'stopped') model.boot(node);
    },
    setLoad(ref, bytes) {
      const node = find(ref);
      node.load = node.owned = bytes;
    },
    setCapacity(ref, bytes) {
      find(ref).capacity = bytes;
    },
    history: () => model.events,
    close: () => model.close(),
  };
}
