import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { startApiServer } from '@steward/apiserver';
import { kubeClient } from '../client/kubeClient.js';
import { builtin } from '../client/resourceRef.js';
import type { KubeClient } from '../client/types.js';
import { microTime, parseMicroTime } from '../time/microTime.js';
import { leaderElector, LeaderElectionError, type LeaderElector } from './leaderElector.js';
import type { Lease } from './leaseRecord.js';

type Server = Awaited<ReturnType<typeof startApiServer>>;
let server: Server;
let kc: KubeConfig;
let reader: KubeClient;
const clients: KubeClient[] = [];

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
  kc = new KubeConfig();
  kc.loadFromString(JSON.stringify(server.kubeConfig));
  reader = kubeClient(kc, { qps: Infinity });
  clients.push(reader);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.stop();
});

const TIMING = { leaseDurationMs: 600, renewDeadlineMs: 400, retryPeriodMs: 100 };

interface Interval {
  id: string;
  start: number;
  end?: number;
}

/** A candidate with its own client (and User-Agent, so faults can target it) recording its leadership. */
function candidate(
  lease: string,
  id: string,
  intervals: Interval[],
  leaders: string[] = [],
  timing = TIMING,
) {
  const client = kubeClient(kc, { userAgent: `candidate-${id}`, qps: Infinity });
  clients.push(client);
  let signal: AbortSignal | undefined;
  const elector: LeaderElector = leaderElector({
    client,
    namespace: 'default',
    name: lease,
    identity: id,
    ...timing,
    onStartedLeading(s) {
      signal = s;
      intervals.push({ id, start: Date.now() });
    },
    onStoppedLeading() {
      const open = intervals.find((i) => i.id === id && i.end === undefined);
      if (open) open.end = Date.now();
    },
    onNewLeader: (who) => leaders.push(who),
  });
  const done = elector.start();
  return { elector, done, client, signal: () => signal };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const stop = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > stop) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function assertNoOverlap(intervals: Interval[]): void {
  // Each interval must start at or after the end of the one before; an open interval ends at infinity.
  let prevEnd = -Infinity;
  for (const it of [...intervals].sort((a, b) => a.start - b.start)) {
    expect(it.start).toBeGreaterThanOrEqual(prevEnd);
    prevEnd = it.end ?? Infinity;
  }
}

async function readLease(name: string): Promise<Lease> {
  return reader.get<Lease>(builtin.leases, name, { namespace: 'default' });
}

describe('leaderElector', () => {
  test('an acquire attempt that hangs is abandoned after the renew deadline, and the campaign goes on', async () => {
    const intervals: Interval[] = [];
    // The first GET hangs for 2 s; only the per-attempt deadline (400 ms) ends it sooner.
    const hang = server.faults.addLatency(
      {
        method: 'GET',
        path: '/apis/coordination.k8s.io/v1/namespaces/default/leases/hung',
        userAgent: 'candidate-h',
      },
      2_000,
    );
    const started = Date.now();
    const h = candidate('hung', 'h', intervals);
    await new Promise((r) => setTimeout(r, 50));
    hang.remove();
    await until(() => h.elector.isLeader(), 1500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMING.renewDeadlineMs - 10);
    await h.elector.release();
    await h.done;
  });

  test('one elector creates the lease and leads, renewing with MicroTime timestamps', async () => {
    const intervals: Interval[] = [];
    const leaders: string[] = [];
    const a = candidate('solo', 'a', intervals, leaders);
    await until(() => a.elector.isLeader());
    const first = await readLease('solo');
    expect(first.spec).toMatchObject({ holderIdentity: 'a', leaseTransitions: 0, leaseDurationSeconds: 1 });
    parseMicroTime(first.spec!.renewTime!);
    await new Promise((r) => setTimeout(r, 350));
    const later = await readLease('solo');
    expect(Date.parse(later.spec!.renewTime!)).toBeGreaterThan(Date.parse(first.spec!.renewTime!));
    expect(later.spec!.acquireTime).toBe(first.spec!.acquireTime);
    expect(a.elector.leader()).toBe('a');
    expect(leaders).toEqual(['a']);
    await a.elector.release();
    await a.done;
    expect(a.signal()?.aborted).toBe(true);
    expect(intervals).toHaveLength(1);
    expect(intervals[0]?.end).toBeDefined();
    expect((await readLease('solo')).spec?.holderIdentity).toBeUndefined();
  });

  test('of two electors exactly one leads, and the other sees it as leader', async () => {
    const intervals: Interval[] = [];
    const a = candidate('pair', 'a', intervals);
    const b = candidate('pair', 'b', intervals);
    await until(() => a.elector.isLeader() || b.elector.isLeader());
    await new Promise((r) => setTimeout(r, 500)); // several retry periods
    expect([a.elector.isLeader(), b.elector.isLeader()].filter(Boolean)).toHaveLength(1);
    expect(intervals).toHaveLength(1);
    const winner = intervals[0]?.id;
    expect(winner).toBeDefined();
    expect(a.elector.leader()).toBe(winner);
    expect(b.elector.leader()).toBe(winner);
    await Promise.all([a.elector.release(), b.elector.release()]);
    await Promise.all([a.done, b.done]);
  });

  test('a leader whose renewals fail stops within renewDeadline; the other takes over within the lease duration', async () => {
    const intervals: Interval[] = [];
    const a = candidate('blocked', 'a', intervals);
    await until(() => a.elector.isLeader());
    const b = candidate('blocked', 'b', intervals);
    await new Promise((r) => setTimeout(r, 200));
    expect(b.elector.isLeader()).toBe(false);

    const blockedAt = Date.now();
    const fault = server.faults.failNext(
      { method: 'PUT', path: '/apis/coordination.k8s.io/v1/namespaces/*/leases/*', userAgent: 'candidate-a' },
      { code: 500 },
      10_000,
    );
    await a.done; // a gives up: start() resolves after leadership is lost
    const aInterval = intervals.find((i) => i.id === 'a')!;
    // The last successful renewal was at most one retry period before the fault.
    expect(aInterval.end! - blockedAt).toBeLessThanOrEqual(TIMING.renewDeadlineMs + 50);
    await until(() => b.elector.isLeader(), 3000);
    const bInterval = intervals.find((i) => i.id === 'b')!;
    expect(bInterval.start - aInterval.end!).toBeLessThanOrEqual(TIMING.leaseDurationMs);
    assertNoOverlap(intervals);
    fault.remove();
    const lease = await readLease('blocked');
    expect(lease.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.elector.release();
    await b.done;
  });

  test('release hands over at once, without waiting for the lease to expire', async () => {
    const intervals: Interval[] = [];
    const a = candidate('handover', 'a', intervals);
    await until(() => a.elector.isLeader());
    const b = candidate('handover', 'b', intervals);
    await new Promise((r) => setTimeout(r, 150));
    const releasedAt = Date.now();
    await a.elector.release();
    await a.done;
    await until(() => b.elector.isLeader(), 3000);
    // Acquired after about one jittered retry period, well before the lease would have expired.
    expect(Date.now() - releasedAt).toBeLessThan(TIMING.leaseDurationMs);
    assertNoOverlap(intervals);
    expect((await readLease('handover')).spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.elector.release();
    await b.done;
  });

  test('leadership intervals of three candidates under repeated faults never overlap', async () => {
    const intervals: Interval[] = [];
    let stopping = false;
    const live = new Map<string, ReturnType<typeof candidate>>();
    // A candidate that lost leadership is finished; start it again, as a restarted pod would.
    const run = (id: string): void => {
      const c = candidate('churn', id, intervals);
      live.set(id, c);
      void c.done.then(() => (stopping ? undefined : run(id)));
    };
    for (const id of ['x', 'y', 'z']) run(id);
    const stopAt = Date.now() + 4000;
    while (Date.now() < stopAt) {
      const id = intervals.findLast((i) => i.end === undefined)?.id;
      if (id !== undefined) {
        server.faults.failNext(
          {
            method: 'PUT',
            path: '/apis/coordination.k8s.io/v1/namespaces/*/leases/*',
            userAgent: `candidate-${id}`,
          },
          { code: 500 },
          2 + Math.floor(Math.random() * 5),
        );
      }
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 400));
    }
    stopping = true;
    server.faults.clear();
    await Promise.all([...live.values()].map((c) => c.elector.release()));
    await Promise.all([...live.values()].map((c) => c.done));
    expect(intervals.length).toBeGreaterThanOrEqual(3);
    assertNoOverlap(intervals);
  });

  test.each(['POST', 'PUT'])(
    'two candidates racing to %s the same lease: the optimistic write lets exactly one win',
    async (method) => {
      const name = `race-${method.toLowerCase()}`;
      if (method === 'PUT') {
        const longAgo = '2020-01-01T00:00:00.000000Z';
        await reader.create<Lease>(builtin.leases, {
          metadata: { name, namespace: 'default' },
          spec: { holderIdentity: 'ghost', renewTime: longAgo, acquireTime: longAgo, leaseTransitions: 4 },
        });
      }
      // Both reads finish before either write lands, so both candidates believe they may take it.
      const slow = server.faults.addLatency(
        {
          method,
          path: `/apis/coordination.k8s.io/v1/namespaces/default/leases${method === 'PUT' ? `/${name}` : ''}`,
        },
        150,
      );
      const intervals: Interval[] = [];
      const a = candidate(name, 'a', intervals);
      const b = candidate(name, 'b', intervals);
      await until(() => intervals.length > 0);
      await new Promise((r) => setTimeout(r, 400));
      slow.remove();
      expect(intervals).toHaveLength(1);
      const lease = await readLease(name);
      expect(lease.spec?.holderIdentity).toBe(intervals[0]?.id);
      expect(lease.spec?.leaseTransitions).toBe(method === 'PUT' ? 5 : 0);
      await Promise.all([a.elector.release(), b.elector.release()]);
      await Promise.all([a.done, b.done]);
    },
  );

  test('a leader that reads another holder stops at once', async () => {
    const intervals: Interval[] = [];
    // A long renew deadline, so stopping early can only come from reading the other holder.
    const a = candidate('intruder', 'a', intervals, [], {
      leaseDurationMs: 3000,
      renewDeadlineMs: 2000,
      retryPeriodMs: 100,
    });
    await until(() => a.elector.isLeader());
    const current = await readLease('intruder');
    const now = microTime();
    await reader.replace<Lease>(builtin.leases, {
      ...current,
      spec: { ...current.spec, holderIdentity: 'intruder', renewTime: now, acquireTime: now },
    });
    const replacedAt = Date.now();
    await a.done;
    // The next renewal conflicts, the one after reads the intruder: about two retry periods.
    expect(Date.now() - replacedAt).toBeLessThan(1000);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.elector.leader()).toBe('intruder');
    expect((await readLease('intruder')).spec?.holderIdentity).toBe('intruder');
  });

  test('when onStartedLeading rejects, start() rejects with its error and the lease is released', async () => {
    const client = kubeClient(kc, { qps: Infinity });
    clients.push(client);
    const boom = new Error('controllers failed to start');
    let aborted = false;
    const elector = leaderElector({
      client,
      namespace: 'default',
      name: 'failing',
      identity: 'a',
      ...TIMING,
      onStartedLeading: async (signal) => {
        signal.addEventListener('abort', () => (aborted = true));
        await new Promise((r) => setTimeout(r, 50));
        throw boom;
      },
    });
    await expect(elector.start()).rejects.toBe(boom);
    expect(aborted).toBe(true);
    expect(elector.isLeader()).toBe(false);
    expect((await readLease('failing')).spec?.holderIdentity).toBeUndefined();
  });

  test('rejects durations that would let two leaders overlap', () => {
    const client = reader;
    const base = { client, namespace: 'default', name: 'x', identity: 'a', onStartedLeading: () => {} };
    expect(() => leaderElector({ ...base, leaseDurationMs: 400, renewDeadlineMs: 400 })).toThrow(
      LeaderElectionError,
    );
    expect(() =>
      leaderElector({ ...base, renewDeadlineMs: 100, retryPeriodMs: 100, leaseDurationMs: 600 }),
    ).toThrow(/renewDeadlineMs/);
    expect(() => leaderElector({ ...base, identity: '' })).toThrow(/identity/);
  });
});
