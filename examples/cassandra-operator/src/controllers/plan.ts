/**
 * The domain knowledge, as pure functions over what the operator sees: which single step comes next
 * for a datacenter. Start with {@link nextStep}; `observe.ts` builds its input from the cluster and
 * the ring, and `datacenterController.ts` carries the step out. Pure, so every rule is unit-tested.
 *
 * The steps form an ordered gate list, as cass-operator's `ReconcileAllRacks`: the first gate that is
 * not satisfied decides, and one reconcile takes at most one step that changes the ring. That is
 * what keeps "never two nodes joining or leaving at once" true across crashes and stale reads.
 */
import { NODE_STATES } from '../resources/labels.js';
import type { ClaimView, DatacenterView, NodeView, Step } from './datacenterView.js';

export type { ClaimView, DatacenterView, NodeView, RackView, Step } from './datacenterView.js';

const UP_NORMAL = 'UN';

/** Down in the ring (`DN`, `DJ`, …), as the other nodes see it. */
const isDown = (n: NodeView): boolean => n.member?.state.startsWith('D') === true;

/** A node that is a healthy, normal member: started, Ready, `UN`. */
export const isHealthy = (n: NodeView): boolean =>
  n.state === NODE_STATES.started && n.ready && !n.terminating && n.member?.state === UP_NORMAL;

/** The next step for the datacenter: the first gate not yet satisfied. */
export function nextStep(dc: DatacenterView): Step {
  const claim = claimToDelete(dc);
  if (claim !== undefined) return { kind: 'deleteClaim', claim };

  const leaving = dc.nodes.find((n) => n.state === NODE_STATES.decommissioning);
  if (leaving !== undefined) return decommissionProgress(dc, leaving);

  if (dc.stopped) return stopStep(dc);

  // A restart under way finishes first: its node may be drained already (down, not coming back
  // until its pod is recreated).
  const restarting = dc.nodes.find((n) => n.restarting && !n.terminating);
  if (restarting !== undefined) return { kind: 'restart', node: restarting };

  const grow = dc.racks.filter((r) => r.replicas < r.desired);
  if (grow.length > 0) {
    // Existing nodes will hand ranges to the new ones: remember to clean them up afterwards.
    const started = dc.nodes.filter((n) => n.state === NODE_STATES.started).map((n) => n.pod);
    const cleanup = [...new Set([...dc.pendingCleanup, ...started])];
    return { kind: 'growRacks', racks: grow, cleanup };
  }

  const starting = dc.nodes.find((n) => n.state === NODE_STATES.starting && !n.terminating);
  if (starting !== undefined) {
    if (starting.ready && starting.member?.state === UP_NORMAL)
      return { kind: 'markStarted', node: starting };
    // Labelled but not up in the ring: the start call may never have arrived (a crash, a restarted
    // pod); starting is idempotent, so ask again.
    // Even when no ring can be read: the first node is not in one until its start arrives.
    if (starting.running && (starting.member === undefined || isDown(starting))) {
      return { kind: 'start', node: starting, seeds: seedAddresses(dc, starting) };
    }
    return wait(
      'NodeStarting',
      `waiting for ${starting.pod} to join the ring (${starting.member?.state ?? 'not yet listed'})`,
    );
  }

  const notUp = dc.nodes.filter((n) => n.state === NODE_STATES.started && !isHealthy(n));
  // A started node whose pod runs again but whose Cassandra is down (its container or host
  // restarted): start it again, before anything else changes the ring. It rejoins with its data.
  const restarted = notUp.find((n) => n.running && !n.terminating && dc.ring !== undefined && isDown(n));
  if (restarted !== undefined) return { kind: 'start', node: restarted, seeds: seedAddresses(dc, restarted) };
  const toStart = nextToStart(dc);
  if (toStart !== undefined) {
    if (notUp.length > 0) return waitDown(notUp);
    if (dc.ring === undefined && dc.nodes.some((n) => n.state === NODE_STATES.started)) {
      return wait('RingUnknown', 'cannot read the ring from any started node');
    }
    return { kind: 'start', node: toStart, seeds: seedAddresses(dc, toStart) };
  }
  if (dc.nodes.some((n) => n.state === NODE_STATES.readyToStart || n.terminating)) {
    return wait('PodsNotRunning', 'waiting for pods to run their management agent');
  }
  if (notUp.length > 0) return waitDown(notUp);
  // A pod the StatefulSet has yet to (re)create is a node that is down: the ring must not change.
  const missing = missingPods(dc);
  if (missing.length > 0) return wait('PodsMissing', `waiting for pods ${missing.join(', ')} to be created`);

  // Cleanup after a scale-up comes before the next topology change (the anchor's tracked cleanup).
  const cleanup = dc.pendingCleanup
    .map((pod) => dc.nodes.find((n) => n.pod === pod))
    .find((n) => n !== undefined);
  if (cleanup !== undefined) return { kind: 'cleanup', node: cleanup };

  const surplus = shrinkCandidate(dc);
  if (surplus !== undefined) {
    const remaining = dc.nodes.filter((n) => n !== surplus);
    return { kind: 'decommission', node: surplus, remaining };
  }

  const outdated = nextToRestart(dc);
  if (outdated !== undefined) {
    const rack = dc.racks.find((r) => r.name === outdated.rack);
    if (rack?.templateCurrent !== true) {
      return wait(
        'TemplatePending',
        `waiting for StatefulSet of rack ${outdated.rack} to take the new template`,
      );
    }
    return { kind: 'restart', node: outdated };
  }
  return { kind: 'done' };
}

function wait(reason: string, message: string): Step {
  return { kind: 'wait', reason, message };
}

function waitDown(nodes: NodeView[]): Step {
  const names = nodes.map((n) => `${n.pod} (${n.member?.state ?? 'not in ring'})`).join(', ');
  return wait('NodesDown', `waiting for every node to be up before changing the ring: ${names}`);
}

/** `rack-ordinal` of every pod a rack's StatefulSet should have but the cache does not hold. */
function missingPods(dc: DatacenterView): string[] {
  return dc.racks.flatMap((rack) =>
    Array.from({ length: rack.replicas }, (_, ordinal) => ordinal)
      .filter((ordinal) => !dc.nodes.some((n) => n.rack === rack.name && n.ordinal === ordinal))
      .map((ordinal) => `${rack.name}-${ordinal}`),
  );
}

// #region leaveBeforeRemoval
/**
 * A claim may go only when it is marked as belonging to a node that left, its pod is gone, its rack
 * no longer reaches its ordinal, and the ring does not show that hostId as anything but `LEFT`.
 */
function claimToDelete(dc: DatacenterView): ClaimView | undefined {
  return dc.claims.find((c) => {
    if (c.leftRing === undefined) return false;
    const rack = dc.racks.find((r) => r.name === c.rack);
    if (rack !== undefined && c.ordinal < rack.replicas) return false;
    if (dc.nodes.some((n) => n.rack === c.rack && n.ordinal === c.ordinal)) return false;
    if (dc.ring === undefined) return false;
    const member = dc.ring.find((m) => m.hostId === c.leftRing);
    return member === undefined || member.state === 'LEFT';
  });
}

/** A decommissioning node: wait while it streams, re-issue if it never started, shrink once `LEFT`. */
function decommissionProgress(dc: DatacenterView, node: NodeView): Step {
  const rack = dc.racks.find((r) => r.name === node.rack);
  if (rack !== undefined && rack.replicas <= node.ordinal) {
    return wait('PodLeaving', `waiting for ${node.pod} to be deleted after it left the ring`);
  }
  const member = node.member;
  if (dc.ring === undefined) {
    return wait('RingUnknown', `cannot read the ring; waiting before shrinking the rack of ${node.pod}`);
  }
  // LEFT, or no longer listed at all: gossip forgets a node a while after it left.
  if (member === undefined || member.state === 'LEFT') {
    const hostId = member?.hostId ?? node.hostId ?? 'unknown';
    const claim = dc.claims.find((c) => c.rack === node.rack && c.ordinal === node.ordinal);
    if (claim !== undefined && claim.leftRing !== hostId) {
      return { kind: 'markLeft', node, claim, hostId };
    }
    return { kind: 'shrinkRack', rack: node.rack, replicas: node.ordinal, node };
  }
  if (member.state === 'UN' && node.running) return { kind: 'redecommission', node };
  return wait('Decommissioning', `${node.pod} is leaving the ring (${member.state})`);
}
// #endregion

/** `stopped: true`: drain the nodes still running (flush memtables), then every rack to zero. */
function stopStep(dc: DatacenterView): Step {
  const racks = dc.racks.filter((r) => r.replicas > 0).map((r) => r.name);
  if (racks.length === 0) {
    if (dc.nodes.length > 0) return wait('PodsStopping', 'waiting for the pods to stop');
    return { kind: 'done' };
  }
  const drain = dc.nodes.filter((n) => n.running && !n.terminating && n.member?.state === UP_NORMAL);
  return { kind: 'stop', drain, racks };
}

// #region nextToStart
/**
 * The next pod to start: a pod running only its agent, in the rack with the fewest started nodes
 * (so racks stay balanced within one node while they fill), lowest ordinal first.
 */
export function nextToStart(dc: DatacenterView): NodeView | undefined {
  const candidates = dc.nodes.filter(
    (n) => n.state === NODE_STATES.readyToStart && n.running && !n.terminating,
  );
  if (candidates.length === 0) return undefined;
  const startedIn = (rack: string): number =>
    dc.nodes.filter((n) => n.rack === rack && n.state !== NODE_STATES.readyToStart).length;
  const order = (rack: string): number => dc.racks.findIndex((r) => r.name === rack);
  return [...candidates].sort(
    (a, b) => startedIn(a.rack) - startedIn(b.rack) || order(a.rack) - order(b.rack) || a.ordinal - b.ordinal,
  )[0];
}
// #endregion

/** The pod IPs of `nodes` that have one. */
const addresses = (nodes: NodeView[]): string[] =>
  nodes.flatMap((n) => (n.address === undefined ? [] : [n.address]));

/**
 * Seeds to hand a starting node: the Ready seed pods' addresses; the very first node of a datacenter
 * seeds itself (someone must be first).
 */
function seedAddresses(dc: DatacenterView, node: NodeView): string[] {
  const seeds = addresses(dc.nodes.filter((n) => n.seed && n.ready));
  if (seeds.length > 0) return seeds;
  const others = addresses(dc.nodes.filter((n) => n !== node && isHealthy(n))).slice(0, 3);
  return others.length > 0 ? others : addresses([node]);
}

// #region scaleDown
/**
 * The node to remove next when the racks hold more than the spec asks: from the rack with the most
 * surplus (then the most nodes), its highest ordinal — the StatefulSet can only shrink from the top.
 */
export function shrinkCandidate(dc: DatacenterView): NodeView | undefined {
  const surplus = dc.racks.filter((r) => r.replicas > r.desired);
  if (surplus.length === 0) return undefined;
  const rack = [...surplus].sort(
    (a, b) => b.replicas - b.desired - (a.replicas - a.desired) || b.replicas - a.replicas,
  )[0]!;
  return dc.nodes.find((n) => n.rack === rack.name && n.ordinal === rack.replicas - 1);
}

/**
 * Whether the nodes that stay can absorb a leaving node's data: each must have free space for all
 * of it (cass-operator's rule: the ranges may all land on one node), else the scale-down is refused.
 */
export function canAbsorb(
  leavingLoad: number,
  freeSpace: readonly { pod: string; free: number }[],
): string | undefined {
  const short = freeSpace.filter((f) => f.free < leavingLoad);
  if (short.length === 0) return undefined;
  const names = short.map((f) => `${f.pod} has ${f.free} bytes free`).join(', ');
  return `the leaving node holds ${leavingLoad} bytes but ${names}`;
}
// #endregion

// #region restartOrder
/** Rack by rack in spec order, lowest ordinal first: the next pod running an outdated template. */
export function nextToRestart(dc: DatacenterView): NodeView | undefined {
  for (const rack of dc.racks) {
    const node = dc.nodes
      .filter((n) => n.rack === rack.name && !n.updated)
      .sort((a, b) => a.ordinal - b.ordinal)[0];
    if (node !== undefined) return node;
  }
  return undefined;
}
// #endregion

/**
 * The seed set: up to three Ready, started nodes spread across racks (one per rack in turn), keeping
 * current seeds that are still Ready so the set does not churn.
 */
export function chooseSeeds(dc: Pick<DatacenterView, 'nodes' | 'racks'>): Set<string> {
  const eligible = dc.nodes.filter((n) => n.ready && n.state === NODE_STATES.started && !n.terminating);
  const byRack = dc.racks.map((r) =>
    eligible
      .filter((n) => n.rack === r.name)
      .sort((a, b) => Number(b.seed) - Number(a.seed) || a.ordinal - b.ordinal),
  );
  const seeds = new Set<string>();
  for (let round = 0; seeds.size < 3 && byRack.some((list) => list.length > round); round++) {
    for (const list of byRack) {
      const node = list[round];
      if (node !== undefined && seeds.size < 3) seeds.add(node.pod);
    }
  }
  return seeds;
}
