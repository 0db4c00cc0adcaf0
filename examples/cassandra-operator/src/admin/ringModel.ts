/**
 * The state machine behind the simulated ring: one {@link RingNode} per data volume (a node keeps its
 * host id and data across pod restarts), the gossip status each shows, and the rules real Cassandra
 * enforces on bootstrap, decommission, drain and cleanup. Start with {@link ringModel};
 * `simulatedRing.ts` wires it to pods and to the `CassandraAdmin` interface.
 */
import { createHash } from 'node:crypto';
import { CassandraAdminError } from './adminErrors.js';
import type { RingMember, RingState } from './cassandraAdmin.js';

/** Gossip status: Normal, Joining (bootstrap), Leaving (decommission), or LEFT the ring. */
export type RingStatus = 'N' | 'J' | 'L' | 'LEFT';

/** What the Cassandra process in the pod is doing (the management agent runs whenever the pod does). */
export type ProcessState = 'stopped' | 'starting' | 'running' | 'drained' | 'decommissioned';

export interface RingNode {
  /** The data volume this node lives on: the claim's uid, or `namespace/claim`. */
  key: string;
  namespace: string;
  pod: string;
  claim: string;
  hostId: string;
  datacenter: string;
  rack: string;
  address: string;
  /** Undefined until the node first gossips. */
  status: RingStatus | undefined;
  /** Whether it finished bootstrapping once: then a restart rejoins as Normal without streaming. */
  bootstrapped: boolean;
  process: ProcessState;
  /** The pod's containers run (its management agent answers). */
  agent: boolean;
  /** Failed by the test (`failNode`): down and unreachable until `recoverNode`. */
  failed: boolean;
  /** Bytes on disk, and the part of them this node still owns (the rest goes at cleanup). */
  load: number;
  owned: number;
  capacity: number;
  leftAt?: number;
}

/** Something the ring did, for tests and invariants (`history()`). */
export interface RingEvent {
  at: number;
  namespace: string;
  pod: string;
  hostId: string;
  kind:
    | 'joining'
    | 'joined'
    | 'up'
    | 'down'
    | 'leaving'
    | 'left'
    | 'decommission-failed'
    | 'drained'
    | 'cleaned'
    | 'refused';
  detail?: string;
}

export interface RingTimings {
  startMs: number;
  joinMs: number;
  decommissionMs: number;
  drainMs: number;
  cleanupMs: number;
  leftRetentionMs: number;
  capacityBytes: number;
  dataBytes: number;
}

/** A node is Up when its process runs undrained and no failure was injected: what gossip sees. */
export function isUp(node: RingNode): boolean {
  return node.agent && !node.failed && node.process === 'running';
}

export function stateOf(node: RingNode): RingState {
  if (node.status === 'LEFT') return 'LEFT';
  return `${isUp(node) ? 'U' : 'D'}${node.status ?? 'J'}` as RingState;
}

export function memberOf(node: RingNode): RingMember {
  const { address, hostId, rack, datacenter, load } = node;
  return { address, hostId, rack, datacenter, state: stateOf(node), load };
}

/** A UUID-shaped id derived from the volume and how often that claim name was a new node. */
function hostIdFor(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function ringModel(timings: RingTimings) {
  const nodes = new Map<string, RingNode>();
  const incarnations = new Map<string, number>();
  const timers = new Map<string, NodeJS.Timeout>();
  const cleanups = new Map<string, Set<(error: Error) => void>>();
  const events: RingEvent[] = [];

  const record = (node: RingNode, kind: RingEvent['kind'], detail?: string): void => {
    const event: RingEvent = {
      at: Date.now(),
      namespace: node.namespace,
      pod: node.pod,
      hostId: node.hostId,
      kind,
    };
    events.push(detail === undefined ? event : { ...event, detail });
  };

  /** The members one ring (a namespace) lists, LEFT ones only while gossip still remembers them. */
  const ringOf = (namespace: string): RingNode[] =>
    [...nodes.values()]
      .filter(
        (n) =>
          n.namespace === namespace &&
          n.status !== undefined &&
          (n.status !== 'LEFT' || Date.now() - (n.leftAt ?? 0) < timings.leftRetentionMs),
      )
      // Datacenter, then address: a stable order, whichever pod started first.
      .sort(
        (a, b) =>
          a.datacenter.localeCompare(b.datacenter) ||
          a.address.localeCompare(b.address, 'en', { numeric: true }),
      );

  const after = (node: RingNode, ms: number, then: () => void): void => {
    clearTimeout(timers.get(node.key));
    const timer = setTimeout(() => {
      timers.delete(node.key);
      then();
    }, ms);
    timer.unref();
    timers.set(node.key, timer);
  };

  const refuse = (
    node: RingNode,
    code: 'CASSANDRA_START_FAILED' | 'CASSANDRA_REJECTED',
    message: string,
  ): never => {
    record(node, 'refused', message);
    throw new CassandraAdminError(code, message);
  };

  /** Joining, leaving or a process starting to bootstrap: Cassandra allows one range movement at a time. */
  const moving = (node: RingNode): RingNode | undefined =>
    ringOf(node.namespace).find((n) => n !== node && isUp(n) && (n.status === 'J' || n.status === 'L')) ??
    [...nodes.values()].find(
      (n) => n !== node && n.namespace === node.namespace && n.process === 'starting' && !n.bootstrapped,
    );

  /** A bootstrap streams the new node its share; the others keep their copies until cleanup. */
  function finishBootstrap(node: RingNode): void {
    const peers = ringOf(node.namespace).filter(
      (n) => n !== node && n.datacenter === node.datacenter && n.status === 'N',
    );
    const total = peers.reduce((sum, n) => sum + n.owned, 0);
    const share = peers.length === 0 ? timings.dataBytes : total / (peers.length + 1);
    for (const peer of peers) peer.owned -= peer.owned / (peers.length + 1);
    node.load = node.owned = Math.round(share);
    node.status = 'N';
    node.bootstrapped = true;
    record(node, 'joined');
  }

  /** The process comes up: a known node rejoins as Normal, a new one bootstraps (or founds the ring). */
  function boot(node: RingNode): void {
    node.process = 'starting';
    after(node, timings.startMs, () => {
      node.process = 'running';
      if (node.bootstrapped) {
        node.status = 'N';
        record(node, 'up');
        return;
      }
      const founding = ringOf(node.namespace).every((n) => n === node || n.status === 'LEFT');
      if (founding) return finishBootstrap(node);
      node.status = 'J';
      record(node, 'joining');
      after(node, timings.joinMs, () => finishBootstrap(node));
    });
  }

  /** Its process stops: a bootstrap must start over; a decommission is abandoned (Normal on restart). */
  function halt(node: RingNode, why: string): void {
    clearTimeout(timers.get(node.key));
    timers.delete(node.key);
    for (const reject of cleanups.get(node.key) ?? [])
      reject(new CassandraAdminError('CASSANDRA_UNREACHABLE', why));
    cleanups.delete(node.key);
    if (node.process === 'stopped' || node.process === 'decommissioned') return;
    const wasUp = isUp(node);
    node.process = 'stopped';
    if (node.status === 'L') node.status = 'N';
    if (wasUp) record(node, 'down', why);
  }

  return {
    nodes,
    events,
    ringOf,

    /** The node living on `claim` (created on first sight: a new host id, nothing on disk). */
    nodeFor(key: string, namespace: string, claim: string): RingNode {
      let node = nodes.get(key);
      if (node === undefined) {
        const seen = (incarnations.get(`${namespace}/${claim}`) ?? 0) + 1;
        incarnations.set(`${namespace}/${claim}`, seen);
        node = {
          key,
          namespace,
          pod: '',
          claim,
          hostId: hostIdFor(`${namespace}/${claim}#${seen}`),
          datacenter: '',
          rack: '',
          address: '',
          status: undefined,
          bootstrapped: false,
          process: 'stopped',
          agent: false,
          failed: false,
          load: 0,
          owned: 0,
          capacity: timings.capacityBytes,
        };
        nodes.set(key, node);
      }
      return node;
    },

    start(
      node: RingNode,
      seeds: readonly string[] | undefined,
      isSeed: (seed: string, n: RingNode) => boolean,
    ): void {
      if (node.status === 'LEFT')
        throw new CassandraAdminError(
          'CASSANDRA_DECOMMISSIONED',
          `${node.namespace}/${node.pod}: this node was decommissioned and will not rejoin the ring; delete its claim ${node.claim} so the pod starts as a new node`,
        );
      if (node.process !== 'stopped') return; // already running (202), drained or left: nothing to do
      if (!node.bootstrapped) {
        const others = ringOf(node.namespace).filter((n) => n !== node && n.status !== 'LEFT');
        const self = seeds?.some((s) => isSeed(s, node)) ?? true;
        if (others.length > 0 && !self && !others.some((n) => isUp(n) && seeds?.some((s) => isSeed(s, n))))
          refuse(
            node,
            'CASSANDRA_START_FAILED',
            `${node.namespace}/${node.pod}: unable to contact any seeds (${seeds?.join(', ') ?? ''})`,
          );
        const busy = moving(node);
        if (busy !== undefined)
          refuse(
            node,
            'CASSANDRA_START_FAILED',
            `${node.namespace}/${node.pod}: other bootstrapping/leaving nodes detected (${busy.pod} is ${stateOf(busy)}); cannot bootstrap while cassandra.consistent.rangemovement is true`,
          );
      }
      boot(node);
    },

    decommission(node: RingNode): void {
      if (node.status === 'L' || node.status === 'LEFT') return;
      const where = `${node.namespace}/${node.pod}`;
      if (node.status !== 'N')
        refuse(node, 'CASSANDRA_REJECTED', `${where} is joining; it cannot decommission until it is Normal`);
      const busy = moving(node);
      if (busy !== undefined)
        refuse(
          node,
          'CASSANDRA_REJECTED',
          `${where}: ${busy.pod} is ${stateOf(busy)}; one range movement at a time`,
        );
      const peers = ringOf(node.namespace).filter(
        (n) => n !== node && n.datacenter === node.datacenter && n.status === 'N',
      );
      if (peers.length === 0)
        refuse(
          node,
          'CASSANDRA_REJECTED',
          `${where} is the last node of ${node.datacenter}; there is nowhere to stream its data`,
        );
      node.status = 'L';
      record(node, 'leaving');
      after(node, timings.decommissionMs, () => {
        const receivers = ringOf(node.namespace).filter(
          (n) => n !== node && n.datacenter === node.datacenter && n.status === 'N',
        );
        const down = receivers.find((n) => !isUp(n));
        if (down !== undefined || receivers.length === 0) {
          // Streaming to a dead replica fails; Cassandra abandons the decommission and stays Normal.
          node.status = 'N';
          record(node, 'decommission-failed', `stream to ${down?.pod ?? 'nobody'} failed`);
          return;
        }
        for (const r of receivers) {
          const share = node.owned / receivers.length;
          r.owned += share;
          r.load += share;
        }
        node.load = node.owned = 0;
        node.status = 'LEFT';
        node.leftAt = Date.now();
        node.process = 'decommissioned';
        record(node, 'left');
      });
    },

    drain(node: RingNode): Promise<void> {
      if (node.status === 'J' || node.status === 'L')
        refuse(
          node,
          'CASSANDRA_REJECTED',
          `${node.namespace}/${node.pod} is ${stateOf(node)}; draining now would abort that`,
        );
      return new Promise((resolve) => {
        const done = (): void => {
          if (node.process === 'running') {
            node.process = 'drained'; // gossip and native transport stop: the others see it Down
            record(node, 'drained');
          }
          resolve();
        };
        const timer = setTimeout(done, timings.drainMs);
        timer.unref();
      });
    },

    cleanup(node: RingNode): Promise<void> {
      return new Promise((resolve, reject) => {
        const pending = cleanups.get(node.key) ?? new Set();
        cleanups.set(node.key, pending);
        pending.add(reject);
        const timer = setTimeout(() => {
          pending.delete(reject);
          node.load = Math.round(node.owned);
          record(node, 'cleaned');
          resolve();
        }, timings.cleanupMs);
        timer.unref();
      });
    },

    boot,
    halt,

    close(): void {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

export type RingModel = ReturnType<typeof ringModel>;
