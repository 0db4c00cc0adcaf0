import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { CassandraAdminError } from '../../src/admin/adminErrors.js';
import { simulatedRing, type SimulatedRing } from '../../src/admin/simulatedRing.js';
import { NS, nodeOf, podNamed, stateOn, until } from './ringFixtures.js';

const GiB = 2 ** 30;
let sim: SimulatedRing;
beforeEach(() => {
  sim = simulatedRing({ startMs: 5, joinMs: 40, decommissionMs: 40, cleanupMs: 10, leftRetentionMs: 100 });
});
afterEach(() => sim.close());

const a = podNamed('dc1-r1-0', '10.0.0.1', 'r1');
const b = podNamed('dc1-r2-0', '10.0.0.2', 'r2');
const c = podNamed('dc1-r3-0', '10.0.0.3', 'r3');
const seeds = ['10.0.0.1'];

const codeOf = (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (e: unknown) => (e instanceof CassandraAdminError ? e.code : String(e)),
  );

/** Runs the pods' agents and starts Cassandra on each in turn, waiting for UN as the operator would. */
async function bootstrap(...pods: (typeof a)[]): Promise<void> {
  for (const pod of pods) {
    await sim.dataPlane.started(pod);
    await sim.admin.start(nodeOf(pod), { seeds });
    await until(sim, `${pod.metadata.name} UN`, () => stateOn(sim, pod.metadata.name ?? '') === 'UN');
  }
}

const kinds = (pod: string): string[] =>
  sim
    .history()
    .filter((e) => e.pod === pod)
    .map((e) => e.kind);

describe('simulatedRing', () => {
  test('a pod runs only the agent until start; the first node founds the ring, the next bootstraps UJ → UN', async () => {
    await sim.dataPlane.started(a);
    expect(sim.dataPlane.ready(a)).toBe(false);
    expect(await codeOf(sim.admin.ring(nodeOf(a)))).toBe('CASSANDRA_UNREACHABLE');
    await bootstrap(a);
    expect(sim.dataPlane.ready(a)).toBe(true);
    expect(kinds('dc1-r1-0')).toEqual(['joined']); // a founding seed does not stream
    await sim.dataPlane.started(b);
    await sim.admin.start(nodeOf(b), { seeds });
    await until(sim, 'b joining', () => stateOn(sim, 'dc1-r2-0') === 'UJ');
    expect(sim.dataPlane.ready(b)).toBe(false);
    await until(sim, 'b normal', () => stateOn(sim, 'dc1-r2-0') === 'UN');
    expect(kinds('dc1-r2-0')).toEqual(['joining', 'joined']);
    const view = await sim.admin.ring(nodeOf(b));
    expect(view.map((m) => [m.address, m.rack, m.datacenter, m.state])).toEqual([
      ['10.0.0.1', 'r1', 'dc1', 'UN'],
      ['10.0.0.2', 'r2', 'dc1', 'UN'],
    ]);
    expect(view[1]?.load).toBe(GiB / 2); // streamed its share; a keeps its copy until cleanup
    expect(view[0]?.load).toBe(GiB);
  });

  test('only one node bootstraps at a time, and a new node needs a live seed', async () => {
    await bootstrap(a);
    await sim.dataPlane.started(b);
    await sim.dataPlane.started(c);
    await sim.admin.start(nodeOf(b), { seeds });
    const refused = await sim.admin.start(nodeOf(c), { seeds }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'CASSANDRA_START_FAILED', retryable: true });
    expect((refused as Error).message).toContain('dc1-r2-0');
    expect(kinds('dc1-r3-0')).toEqual(['refused']);
    await until(sim, 'b normal', () => stateOn(sim, 'dc1-r2-0') === 'UN');
    expect(await codeOf(sim.admin.start(nodeOf(c), { seeds: ['10.9.9.9'] }))).toBe('CASSANDRA_START_FAILED');
    await sim.admin.start(nodeOf(c), { seeds: ['dc1-r1-0.dc1-seeds.db.svc'] }); // seeds by DNS name work too
    await until(sim, 'c normal', () => stateOn(sim, 'dc1-r3-0') === 'UN');
  });

  test('a restarted pod keeps its host id and data and rejoins without streaming', async () => {
    await bootstrap(a, b);
    const before = sim.ring().find((m) => m.pod === 'dc1-r2-0');
    sim.dataPlane.stopped(b);
    expect(stateOn(sim, 'dc1-r2-0')).toBe('DN');
    const moved = podNamed('dc1-r2-0', '10.0.0.22', 'r2');
    await sim.dataPlane.started(moved);
    expect(await codeOf(sim.admin.ring(nodeOf(moved)))).toBe('CASSANDRA_UNREACHABLE'); // Cassandra not started yet
    await sim.admin.start(nodeOf(moved), { seeds });
    await until(sim, 'b back', () => stateOn(sim, 'dc1-r2-0') === 'UN');
    const after = sim.ring().find((m) => m.pod === 'dc1-r2-0');
    expect(after).toMatchObject({ hostId: before?.hostId, load: before?.load, address: '10.0.0.22' });
    expect(kinds('dc1-r2-0')).toEqual(['joining', 'joined', 'down', 'up']);
    await sim.admin.start(nodeOf(moved)); // running: a no-op, as the API's 202
  });

  test('decommission takes time (UL), streams the load to the others, then shows LEFT until gossip forgets', async () => {
    await bootstrap(a, b, c);
    sim.setLoad({ namespace: NS, name: 'dc1-r3-0' }, 600);
    sim.setLoad({ namespace: NS, name: 'dc1-r1-0' }, 100);
    sim.setLoad({ namespace: NS, name: 'dc1-r2-0' }, 200);
    await sim.admin.decommission(nodeOf(c));
    expect(stateOn(sim, 'dc1-r3-0')).toBe('UL');
    expect(sim.dataPlane.ready(c)).toBe(false);
    await sim.admin.decommission(nodeOf(c)); // a repeat is a no-op
    expect(await codeOf(sim.admin.decommission(nodeOf(b)))).toBe('CASSANDRA_REJECTED'); // one at a time
    await until(sim, 'c left', () => stateOn(sim, 'dc1-r3-0') === 'LEFT');
    expect(sim.ring().map((m) => m.load)).toEqual([400, 500, 0]);
    await sim.admin.decommission(nodeOf(c)); // still a no-op
    expect(await codeOf(sim.admin.start(nodeOf(c)))).toBe('CASSANDRA_DECOMMISSIONED');
    await until(sim, 'c forgotten', () => stateOn(sim, 'dc1-r3-0') === undefined);
    expect(kinds('dc1-r3-0').filter((k) => k !== 'refused')).toEqual([
      'joining',
      'joined',
      'leaving',
      'left',
    ]);
  });

  test('the last node of a datacenter cannot decommission, nor a joining one', async () => {
    await bootstrap(a);
    expect(await codeOf(sim.admin.decommission(nodeOf(a)))).toBe('CASSANDRA_REJECTED');
    await sim.dataPlane.started(b);
    await sim.admin.start(nodeOf(b), { seeds });
    await until(sim, 'b joining', () => stateOn(sim, 'dc1-r2-0') === 'UJ');
    expect(await codeOf(sim.admin.decommission(nodeOf(b)))).toBe('CASSANDRA_REJECTED');
  });

  test('a node failing mid-decommission makes the stream fail: the leaving node stays in the ring, UN', async () => {
    await bootstrap(a, b, c);
    await sim.admin.decommission(nodeOf(c));
    sim.failNode({ namespace: NS, name: 'dc1-r1-0' });
    expect(stateOn(sim, 'dc1-r1-0')).toBe('DN');
    await until(sim, 'decommission failed', () => kinds('dc1-r3-0').includes('decommission-failed'));
    expect(stateOn(sim, 'dc1-r3-0')).toBe('UN');
  });

  test('failNode: DN to the others, unreachable, NotReady; recoverNode: UN again', async () => {
    await bootstrap(a, b);
    sim.failNode({ namespace: NS, name: 'dc1-r2-0' });
    expect(sim.dataPlane.ready(b)).toBe(false);
    expect(await codeOf(sim.admin.ring(nodeOf(b)))).toBe('CASSANDRA_UNREACHABLE');
    expect(await codeOf(sim.admin.drain(nodeOf(b)))).toBe('CASSANDRA_UNREACHABLE');
    expect((await sim.admin.ring(nodeOf(a))).map((m) => m.state)).toEqual(['UN', 'DN']);
    sim.recoverNode({ namespace: NS, name: 'dc1-r2-0' });
    await until(sim, 'b recovered', () => stateOn(sim, 'dc1-r2-0') === 'UN');
    expect(sim.dataPlane.ready(b)).toBe(true);
  });

  test('a node failing mid-bootstrap shows DJ and bootstraps again on the next start', async () => {
    await bootstrap(a);
    await sim.dataPlane.started(b);
    await sim.admin.start(nodeOf(b), { seeds });
    await until(sim, 'b joining', () => stateOn(sim, 'dc1-r2-0') === 'UJ');
    sim.failNode({ namespace: NS, name: 'dc1-r2-0' });
    expect(stateOn(sim, 'dc1-r2-0')).toBe('DJ');
    sim.recoverNode({ namespace: NS, name: 'dc1-r2-0' });
    expect(stateOn(sim, 'dc1-r2-0')).toBe('DJ'); // its process is gone: the operator must start it
    await sim.admin.start(nodeOf(b), { seeds });
    await until(sim, 'b normal', () => stateOn(sim, 'dc1-r2-0') === 'UN');
    expect(kinds('dc1-r2-0')).toEqual(['joining', 'down', 'joining', 'joined']);
  });

  test('drain: the others see the node down, the pod NotReady, no decommission; a restart brings it back', async () => {
    await bootstrap(a, b);
    await sim.admin.drain(nodeOf(b));
    await sim.admin.drain(nodeOf(b)); // idempotent
    expect(sim.dataPlane.ready(b)).toBe(false);
    expect((await sim.admin.ring(nodeOf(a))).map((m) => m.state)).toEqual(['UN', 'DN']);
    expect(await codeOf(sim.admin.decommission(nodeOf(b)))).toBe('CASSANDRA_REJECTED');
    sim.dataPlane.stopped(b);
    await sim.dataPlane.started(b);
    await sim.admin.start(nodeOf(b), { seeds });
    await until(sim, 'b back', () => stateOn(sim, 'dc1-r2-0') === 'UN');
  });

  test('cleanup after a scale-up drops the data a node no longer owns; freeSpace follows the load', async () => {
    await bootstrap(a);
    expect(await sim.admin.freeSpace(nodeOf(a))).toBe(9 * GiB);
    await bootstrap(b);
    expect(await sim.admin.freeSpace(nodeOf(a))).toBe(9 * GiB);
    await sim.admin.cleanup(nodeOf(a));
    expect(await sim.admin.freeSpace(nodeOf(a))).toBe(9.5 * GiB);
    sim.setCapacity({ namespace: NS, name: 'dc1-r2-0' }, GiB);
    expect(await sim.admin.freeSpace(nodeOf(b))).toBe(GiB / 2);
  });

  test('a cleanup interrupted by the pod stopping fails retryably', async () => {
    await bootstrap(a);
    const cleanup = codeOf(sim.admin.cleanup(nodeOf(a)));
    sim.dataPlane.stopped(a);
    expect(await cleanup).toBe('CASSANDRA_UNREACHABLE');
  });

  test('without a client, a claim name reused after its node left is a new node', async () => {
    await bootstrap(a, b);
    const oldId = sim.ring().find((m) => m.pod === 'dc1-r2-0')?.hostId;
    await sim.admin.decommission(nodeOf(b));
    await until(sim, 'b left', () => stateOn(sim, 'dc1-r2-0') === 'LEFT');
    sim.dataPlane.stopped(b);
    await bootstrap(b);
    const fresh = sim.ring().find((m) => m.pod === 'dc1-r2-0');
    expect(fresh?.hostId).not.toBe(oldId);
    expect(fresh?.hostId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('controls on an unknown pod throw CASSANDRA_UNKNOWN_NODE; admin calls on it are unreachable', async () => {
    expect(() => sim.failNode({ namespace: NS, name: 'nope' })).toThrow(
      expect.objectContaining({ code: 'CASSANDRA_UNKNOWN_NODE' }),
    );
    expect(await codeOf(sim.admin.start(nodeOf(a)))).toBe('CASSANDRA_UNREACHABLE');
  });
});
