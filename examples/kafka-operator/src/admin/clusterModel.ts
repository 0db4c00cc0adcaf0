/**
 * The simulated Kafka clusters over time: nodes starting, registering with the KRaft quorum, catching
 * up and rejoining ISRs, stopping (fenced, out of every ISR), failing and recovering; the quorum
 * electing an active controller while a majority of voters runs. Start with {@link clusterModel};
 * `adminOperations.ts` holds what the Admin API changes, `simulatedKafka.ts` wires both to pods.
 */
import { compareMetadataVersions, highestMetadataVersion, parseMetadataVersion } from './metadataVersions.js';
import { settleCluster } from './partitionRules.js';
import {
  clusterKey,
  isBroker,
  isController,
  type KafkaEvent,
  type KafkaTimings,
  type Role,
  type SimCluster,
  type SimNode,
} from './simulatedState.js';

/** What a pod tells the simulation about the node it runs (from its labels and env). */
export interface NodeSpec {
  id: number;
  roles: Role[];
  pod: string;
  host: string;
  version: string;
  rack?: string;
  /** `KAFKA_CONTROLLER_QUORUM_VOTERS` node ids, when the pod names them. */
  voters?: number[];
  /** `KAFKA_METADATA_VERSION`: the level the metadata log is formatted with (first start only). */
  metadataVersion?: string;
}

export type ClusterModel = ReturnType<typeof clusterModel>;

export function clusterModel(timings: KafkaTimings) {
  const clusters = new Map<string, SimCluster>();
  const timers = new Set<NodeJS.Timeout>();
  const events: KafkaEvent[] = [];
  let counter = 0;
  let closed = false;

  const record = (c: SimCluster, event: Omit<KafkaEvent, 'at' | 'cluster'>): void => {
    events.push({ at: Date.now(), cluster: clusterKey(c.namespace, c.name), ...event });
  };
  const settle = (c: SimCluster): void => settleCluster(c, (e) => record(c, e));

  /** Runs `then` after `ms` unless the model is closed; `Infinity` never runs it. */
  const after = (ms: number, then: () => void): void => {
    if (closed || !Number.isFinite(ms)) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      then();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  function cluster(namespace: string, name: string): SimCluster {
    const key = clusterKey(namespace, name);
    let c = clusters.get(key);
    if (c === undefined) {
      // A Kafka cluster id is 16 random bytes in base64url (22 characters); a counter keeps it stable
      // per simulation and distinct per cluster.
      const id = Buffer.from(`${key}#${++counter}`.padEnd(16, '.').slice(0, 16)).toString('base64url');
      c = {
        namespace,
        name,
        clusterId: id,
        nodes: new Map(),
        voters: new Set(),
        activeController: undefined,
        metadataVersion: undefined,
        topics: new Map(),
      };
      clusters.set(key, c);
    }
    return c;
  }

  function elect(c: SimCluster): void {
    if (c.activeController !== undefined) return;
    const up = [...c.voters]
      .map((id) => c.nodes.get(id))
      .filter((n): n is SimNode => n !== undefined && n.running && n.joined);
    // Raft needs a majority of the voters to elect a leader.
    if (up.length * 2 <= c.voters.size) return;
    const leader = up.sort((a, b) => a.id - b.id)[0] as SimNode;
    c.activeController = leader.id;
    record(c, { type: 'controller-elected', node: leader.id });
  }

  function tryRegister(c: SimCluster, node: SimNode, epoch: number, refusedOnce = false): void {
    if (node.epoch !== epoch) return;
    const retry = (refused: boolean): void =>
      after(timings.startMs, () => tryRegister(c, node, epoch, refused));
    if (c.activeController === undefined) return retry(refusedOnce);
    // A broker whose software cannot run the finalized metadata.version is refused by the controller.
    const highest = parseMetadataVersion(highestMetadataVersion(node.version) ?? '');
    const finalized = parseMetadataVersion(c.metadataVersion ?? '');
    if (highest !== undefined && finalized !== undefined && compareMetadataVersions(highest, finalized) < 0) {
      if (!refusedOnce)
        record(c, {
          type: 'registration-refused',
          node: node.id,
          detail: `Kafka ${node.version} does not support metadata.version ${c.metadataVersion}`,
        });
      return retry(true);
    }
    node.registered = true;
    node.fenced = false;
    record(c, { type: 'registered', node: node.id });
    settle(c);
    after(timings.catchUpMs, () => {
      if (node.epoch !== epoch) return;
      node.caughtUp = true;
      record(c, { type: 'caught-up', node: node.id });
      settle(c);
    });
  }

  function startProcess(c: SimCluster, node: SimNode): void {
    if (!node.podRunning || node.failed || node.running) return;
    node.running = true;
    node.caughtUp = false;
    node.joined = false;
    node.starts++;
    const epoch = ++node.epoch;
    record(c, { type: 'started', node: node.id, detail: `pod ${node.pod}, Kafka ${node.version}` });
    after(timings.startMs, () => {
      if (node.epoch !== epoch) return;
      if (isController(node)) {
        node.joined = true;
        elect(c);
      }
      if (isBroker(node)) tryRegister(c, node, epoch);
    });
  }

  function stopProcess(c: SimCluster, node: SimNode, why: string): void {
    if (!node.running) return;
    node.running = false;
    node.caughtUp = false;
    node.joined = false;
    node.epoch++;
    if (node.registered) node.fenced = true;
    record(c, { type: 'stopped', node: node.id, detail: why });
    if (c.activeController === node.id) {
      c.activeController = undefined;
      record(c, { type: 'controller-lost', node: node.id });
      after(timings.electionMs, () => elect(c));
    }
    settle(c);
  }

  return {
    clusters,
    events,
    timings,
    record,
    settle,
    after,
    cluster,
    /** A pod's container started: the node (new, or the same id again, with its data) starts. */
    podStarted(namespace: string, clusterName: string, spec: NodeSpec): SimNode {
      const c = cluster(namespace, clusterName);
      let node = c.nodes.get(spec.id);
      if (node === undefined) {
        node = {
          id: spec.id,
          roles: spec.roles,
          pod: spec.pod,
          host: spec.host,
          version: spec.version,
          config: {},
          podRunning: false,
          failed: false,
          running: false,
          registered: false,
          fenced: false,
          caughtUp: false,
          joined: false,
          epoch: 0,
          starts: 0,
        };
        c.nodes.set(spec.id, node);
      }
      Object.assign(node, { roles: spec.roles, pod: spec.pod, host: spec.host, version: spec.version });
      if (spec.rack !== undefined) node.rack = spec.rack;
      if (spec.voters !== undefined) c.voters = new Set(spec.voters);
      else if (isController(node)) c.voters.add(node.id);
      // `kafka-storage format` writes the initial metadata.version once; later pods' settings are moot.
      if (c.metadataVersion === undefined && isController(node))
        c.metadataVersion = spec.metadataVersion ?? highestMetadataVersion(spec.version);
      node.podRunning = true;
      startProcess(c, node);
      return node;
    },
    podStopped(c: SimCluster, node: SimNode, why: string): void {
      node.podRunning = false;
      stopProcess(c, node, why);
    },
    fail(c: SimCluster, node: SimNode): void {
      node.failed = true;
      stopProcess(c, node, 'failed');
    },
    recover(c: SimCluster, node: SimNode): void {
      node.failed = false;
      startProcess(c, node);
    },
    close(): void {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
