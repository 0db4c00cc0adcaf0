/**
 * The state machine behind the simulated ring: one {@link RingNode} per data volume (a node keeps its
 * host id and data across pod restarts), the gossip status each shows, and the rules real Cassandra
 * enforces on bootstrap, decommission, drain and cleanup. Start with {@link ringModel};
 * `simulatedRing.ts` wires it to pods and to the `CassandraAdmin` interface.
 */
import { CassandraAdminError } from './adminErrors.js';
import { hostIdFor, isUp, stateOf, type RingEvent, type RingNode, type RingTimings } from './ringNode.js';

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
