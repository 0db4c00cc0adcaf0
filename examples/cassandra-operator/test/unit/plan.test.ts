import { describe, expect, test } from '@jest/globals';
import type { RingMember } from '../../src/admin/cassandraAdmin.js';
import {
  canAbsorb,
  chooseSeeds,
  nextStep,
  nextToStart,
  shrinkCandidate,
} from '../../src/controllers/plan.js';
import type { DatacenterView, NodeView, RackView } from '../../src/controllers/plan.js';
import { NODE_STATES } from '../../src/resources/labels.js';
import { rackSizes } from '../../src/resources/statefulSet.js';

// The decisions alone, without a cluster: which node goes next and whether a change may proceed.

const member = (pod: string, state: RingMember['state'], load = 100): RingMember => ({
  address: `10.0.0.${pod.length}${pod.at(-1) ?? ''}`,
  hostId: `host-${pod}`,
  rack: pod.split('-')[1] ?? '',
  datacenter: 'dc1',
  state,
  load,
});

/** A healthy started node `dc1-<rack>-<ordinal>`, with overrides. */
function node(rack: string, ordinal: number, over: Partial<NodeView> = {}): NodeView {
  const pod = `dc1-${rack}-${ordinal}`;
  return {
    pod,
    rack,
    ordinal,
    uid: `uid-${pod}`,
    state: NODE_STATES.started,
    seed: false,
    running: true,
    ready: true,
    terminating: false,
    restarting: false,
    updated: true,
    address: member(pod, 'UN').address,
    member: member(pod, 'UN'),
    ...over,
  };
}

const rack = (name: string, replicas: number, desired = replicas): RackView => ({
  name,
  replicas,
  desired,
  templateCurrent: true,
});

function view(over: Partial<DatacenterView>): DatacenterView {
  const nodes = over.nodes ?? [];
  return {
    size: nodes.length,
    stopped: false,
    racks: [],
    nodes,
    claims: [],
    ring: nodes.flatMap((n) => (n.member === undefined ? [] : [n.member])),
    pendingCleanup: [],
    ...over,
  };
}

const fresh = (r: string, o: number): NodeView => {
  const { member: _m, ...rest } = node(r, o, { state: NODE_STATES.readyToStart, ready: false });
  return rest;
};

describe('rackSizes', () => {
  test('splits evenly, the first racks taking the remainder', () => {
    expect([...rackSizes(5, [{ name: 'a' }, { name: 'b' }, { name: 'c' }])]).toEqual([
      ['a', 2],
      ['b', 2],
      ['c', 1],
    ]);
  });
});

describe('starting nodes', () => {
  test('the rack with the fewest started nodes goes next, lowest ordinal first', () => {
    const dc = view({
      racks: [rack('r1', 2), rack('r2', 2)],
      nodes: [node('r1', 0), fresh('r1', 1), fresh('r2', 0), fresh('r2', 1)],
    });
    expect(nextToStart(dc)?.pod).toBe('dc1-r2-0');
    expect(nextStep(dc)).toMatchObject({ kind: 'start', node: { pod: 'dc1-r2-0' } });
  });

  test('never a second node while one is joining', () => {
    const joining = node('r1', 1, {
      state: NODE_STATES.starting,
      ready: false,
      member: member('dc1-r1-1', 'UJ'),
    });
    const dc = view({ racks: [rack('r1', 3)], nodes: [node('r1', 0), joining, fresh('r1', 2)] });
    expect(nextStep(dc)).toMatchObject({ kind: 'wait', reason: 'NodeStarting' });
  });

  test('no join while a started node is down', () => {
    const down = node('r1', 0, { ready: false, running: false, member: member('dc1-r1-0', 'DN') });
    const dc = view({ racks: [rack('r1', 2)], nodes: [down, fresh('r1', 1)] });
    expect(nextStep(dc)).toMatchObject({ kind: 'wait', reason: 'NodesDown' });
  });

  test('a node labelled Starting that is not in the ring is started again (the call may never have arrived)', () => {
    const { member: _m, ...labelled } = node('r1', 0, { state: NODE_STATES.starting, ready: false });
    const dc = view({ racks: [rack('r1', 2)], nodes: [labelled, fresh('r1', 1)], ring: undefined });
    expect(nextStep(dc)).toMatchObject({ kind: 'start', node: { pod: 'dc1-r1-0' } });
  });

  test('the first node of a datacenter seeds itself', () => {
    const dc = view({ racks: [rack('r1', 1)], nodes: [fresh('r1', 0)], ring: undefined });
    const step = nextStep(dc);
    expect(step).toMatchObject({ kind: 'start', seeds: [fresh('r1', 0).address] });
  });
});

describe('scale-down', () => {
  test('the rack with the largest surplus gives up its highest ordinal', () => {
    const dc = view({
      racks: [rack('r1', 2, 1), rack('r2', 3, 1)],
      nodes: [node('r1', 0), node('r1', 1), node('r2', 0), node('r2', 1), node('r2', 2)],
    });
    expect(shrinkCandidate(dc)?.pod).toBe('dc1-r2-2');
    expect(nextStep(dc)).toMatchObject({ kind: 'decommission', node: { pod: 'dc1-r2-2' } });
  });

  test('refused when a remaining node has less free space than the leaving load', () => {
    expect(
      canAbsorb(500, [
        { pod: 'a', free: 1000 },
        { pod: 'b', free: 400 },
      ]),
    ).toContain('b has 400 bytes free');
    expect(canAbsorb(500, [{ pod: 'a', free: 1000 }])).toBeUndefined();
  });

  test('a leaving node: wait while UL, re-issue if UN, mark its claim then shrink once LEFT', () => {
    const claims = [{ name: 'server-data-dc1-r1-1', uid: 'c1', rack: 'r1', ordinal: 1 }];
    const leaving = (state: RingMember['state']): DatacenterView =>
      view({
        size: 1,
        racks: [rack('r1', 2, 1)],
        claims,
        nodes: [
          node('r1', 0),
          node('r1', 1, { state: NODE_STATES.decommissioning, member: member('dc1-r1-1', state) }),
        ],
      });
    expect(nextStep(leaving('UL'))).toMatchObject({ kind: 'wait', reason: 'Decommissioning' });
    expect(nextStep(leaving('UN'))).toMatchObject({ kind: 'redecommission' });
    expect(nextStep(leaving('LEFT'))).toMatchObject({ kind: 'markLeft', hostId: 'host-dc1-r1-1' });
    const marked = leaving('LEFT');
    marked.claims = claims.map((c) => ({ ...c, leftRing: 'host-dc1-r1-1' }));
    expect(nextStep(marked)).toMatchObject({ kind: 'shrinkRack', rack: 'r1', replicas: 1 });
  });

  test('a marked claim is deleted only once its pod is gone and the ring does not list the node', () => {
    const unmarkedClaim = { name: 'server-data-dc1-r1-1', uid: 'c1', rack: 'r1', ordinal: 1 };
    const claim = { ...unmarkedClaim, leftRing: 'host-dc1-r1-1' };
    const base = { size: 1, racks: [rack('r1', 1)], claims: [claim] };
    expect(nextStep(view({ ...base, nodes: [node('r1', 0)] }))).toMatchObject({ kind: 'deleteClaim' });
    const stillListed = view({ ...base, nodes: [node('r1', 0)] });
    stillListed.ring = [...(stillListed.ring ?? []), member('dc1-r1-1', 'UL')];
    expect(nextStep(stillListed).kind).not.toBe('deleteClaim');
    const podStillThere = view({ ...base, nodes: [node('r1', 0), node('r1', 1, { terminating: true })] });
    expect(nextStep(podStillThere).kind).not.toBe('deleteClaim');
    const unmarked = view({
      ...base,
      claims: [unmarkedClaim],
      nodes: [node('r1', 0)],
    });
    expect(nextStep(unmarked).kind).not.toBe('deleteClaim');
  });
});

describe('rolling restarts', () => {
  test('rack by rack in spec order, only while every node is up', () => {
    const nodes = [node('r1', 0), node('r2', 0, { updated: false }), node('r3', 0, { updated: false })];
    const racks = [rack('r1', 1), rack('r2', 1), rack('r3', 1)];
    expect(nextStep(view({ racks, nodes }))).toMatchObject({ kind: 'restart', node: { pod: 'dc1-r2-0' } });
    nodes[0] = node('r1', 0, { ready: false, member: member('dc1-r1-0', 'DN'), running: false });
    expect(nextStep(view({ racks, nodes }))).toMatchObject({ kind: 'wait', reason: 'NodesDown' });
  });

  test('a restart begun (drained) is finished before anything else, even though its node is down', () => {
    const drained = node('r1', 0, {
      restarting: true,
      updated: false,
      ready: false,
      member: member('dc1-r1-0', 'DN'),
    });
    const dc = view({ racks: [rack('r1', 2)], nodes: [drained, node('r1', 1, { updated: false })] });
    expect(nextStep(dc)).toMatchObject({ kind: 'restart', node: { pod: 'dc1-r1-0' } });
  });

  test('waits for the StatefulSet to carry the new template before deleting a pod', () => {
    const dc = view({
      racks: [{ ...rack('r1', 1), templateCurrent: false }],
      nodes: [node('r1', 0, { updated: false })],
    });
    expect(nextStep(dc)).toMatchObject({ kind: 'wait', reason: 'TemplatePending' });
  });
});

describe('seeds', () => {
  test('up to three Ready started nodes, one per rack in turn, keeping current seeds', () => {
    const nodes = [
      node('r1', 0),
      node('r1', 1, { seed: true }),
      node('r2', 0, { ready: false }),
      node('r2', 1),
      node('r3', 0),
      node('r3', 1),
    ];
    const seeds = chooseSeeds({ nodes, racks: [rack('r1', 2), rack('r2', 2), rack('r3', 2)] });
    expect([...seeds].sort((a, b) => a.localeCompare(b))).toEqual(['dc1-r1-1', 'dc1-r2-1', 'dc1-r3-0']);
  });
});

test('stopped: drain the running nodes, then every rack to zero; the claims stay', () => {
  const dc = view({ stopped: true, racks: [rack('r1', 2)], nodes: [node('r1', 0), node('r1', 1)] });
  expect(nextStep(dc)).toMatchObject({ kind: 'stop', racks: ['r1'] });
  expect((nextStep(dc) as { drain: NodeView[] }).drain.map((n) => n.pod)).toEqual(['dc1-r1-0', 'dc1-r1-1']);
});
