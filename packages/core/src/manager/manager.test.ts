import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer, type ApiServer } from '@steward/apiserver';
import { Registry } from 'prom-client';
import { kubeClient } from '../client/kubeClient.js';
import { builtin } from '../client/resourceRef.js';
import { clientFor, createWidgetCrd, widgets } from '../client/testServer.fixture.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import type { ControllerLogEntry } from '../controller/controllerTypes.js';
import { waitFor } from '../informer/httpListWatcher.fixture.js';
import type { Lease } from '../leader/leaseRecord.js';
import { manager } from './manager.js';
import { ManagerConfigError } from './managerErrors.js';
import type { Manager, ManagerOptions } from './managerTypes.js';

let server: ApiServer;
let client: KubeClient;
let kc: ReturnType<typeof clientFor>['kc'];
const extraClients: KubeClient[] = [];

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
  ({ client, kc } = clientFor(server));
  await createWidgetCrd(client, { spec: { type: 'object', properties: { size: { type: 'integer' } } } });
});
afterAll(async () => {
  for (const c of extraClients) c.close();
  client.close();
  await server.stop();
});

const managers: Manager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stop({ deadlineMs: 2_000 })));
});

let nsCounter = 0;
async function freshNamespace(): Promise<string> {
  const name = `mgr-${++nsCounter}`;
  await client.create(builtin.namespaces, { metadata: { name } });
  return name;
}

type TimedEntry = ControllerLogEntry & { at: number };
function newManager(options: Partial<ManagerOptions> = {}): { m: Manager; logs: TimedEntry[] } {
  const logs: TimedEntry[] = [];
  const m = manager({
    client,
    healthProbe: { port: 0, host: '127.0.0.1' },
    log: (e) => logs.push({ ...e, at: Date.now() }),
    shutdownTimeoutMs: 2_000,
    ...options,
  });
  managers.push(m);
  return { m, logs };
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

/** The value of `series` (name with labels, as printed) in Prometheus text; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('manager', () => {
  test('serves /healthz at once, /readyz 503 with each informer state until caches sync then 200, and /metrics', async () => {
    const ns = await freshNamespace();
    await client.create(widgets, { metadata: { name: 'w1', namespace: ns } });
    const listPath = `/apis/test.steward.dev/v1/namespaces/${ns}/widgets`;
    const fault = server.faults.failNext({ method: 'GET', path: listPath }, { code: 500 }, 10_000);
    const { m } = newManager({ namespace: ns });
    const reconciled: string[] = [];
    m.add({
      name: 'widgets',
      for: widgets,
      reconcile: (obj) => void reconciled.push(obj.metadata.name ?? ''),
    });
    m.add({ name: 'configmaps', for: builtin.configmaps, reconcile: () => undefined });
    const started = m.start();
    await waitFor(
      () => m.healthUrl !== undefined,
      () => 'the probe server is not listening',
    );
    const url = m.healthUrl!;
    expect(await get(`${url}/healthz`)).toEqual({ status: 200, body: 'ok' });
    let ready = await get(`${url}/readyz`);
    await waitFor(
      async () =>
        (ready = await get(`${url}/readyz`)).body.includes(`widgets.test.steward.dev in ${ns} not synced: `),
      () => `readyz never reported the failing list: ${ready.body}`,
    );
    expect(ready.status).toBe(503);
    const lines = ready.body.trimEnd().split('\n');
    expect(lines).toContain('[-]manager starting');
    expect(lines.find((l) => l.startsWith('[-]widgets'))).toMatch(/not synced: .+/);
    expect(lines.at(-1)).toBe('readyz check failed');
    expect(reconciled).toEqual([]);

    fault.remove();
    await started;
    ready = await get(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).toContain(`[+]widgets.test.steward.dev in ${ns} ok`);
    expect(ready.body).toContain(`[+]configmaps in ${ns} ok`);
    expect(ready.body.trimEnd().split('\n').at(-1)).toBe('readyz check passed');

    await waitFor(
      () => reconciled.includes('w1'),
      () => 'w1 was not reconciled',
    );
    expect(m.metricsUrl).toBe(url); // no metrics port given: served on the probe port
    await waitFor(
      async () =>
        (sample(
          (await get(`${url}/metrics`)).body,
          'controller_runtime_reconcile_total{controller="widgets",result="success"}',
        ) ?? 0) >= 1,
      () => 'no successful reconcile counted',
    );
    const metrics = await get(`${url}/metrics`);
    expect(
      sample(metrics.body, 'controller_runtime_reconcile_total{controller="configmaps",result="error"}'),
    ).toBe(0);
    expect(sample(metrics.body, 'controller_runtime_max_concurrent_reconciles{controller="widgets"}')).toBe(
      1,
    );
    expect(
      sample(metrics.body, 'workqueue_adds_total{name="widgets",controller="widgets"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(metrics.body).toContain(
      'workqueue_longest_running_processor_seconds{name="widgets",controller="widgets"}',
    );
    expect((await get(`${url}/nope`)).status).toBe(404);

    await m.stop();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow('fetch failed');
    expect(m.isLeader()).toBe(false);
  });

  test('runs a controller added after start, serves metrics on their own port, and refuses duplicate names', async () => {
    const ns = await freshNamespace();
    const registry = new Registry();
    const { m } = newManager({
      namespace: ns,
      healthProbe: false,
      metrics: { port: 0, host: '127.0.0.1', registry },
    });
    await m.start();
    expect(m.healthUrl).toBeUndefined();
    expect(m.registry).toBe(registry);
    expect(m.isLeader()).toBe(true); // no leader election: always leading
    const seen: string[] = [];
    m.add({ name: 'late', for: widgets, reconcile: (obj) => void seen.push(obj.metadata.name ?? '') });
    expect(() => m.add({ name: 'late', for: widgets, reconcile: () => undefined })).toThrow(
      ManagerConfigError,
    );
    await client.create(widgets, { metadata: { name: 'late-1', namespace: ns } });
    await waitFor(
      () => seen.includes('late-1'),
      () => 'the late controller did not reconcile',
    );
    const text = (await get(`${m.metricsUrl!}/metrics`)).body;
    expect(
      sample(text, 'controller_runtime_reconcile_total{controller="late",result="success"}'),
    ).toBeGreaterThanOrEqual(1);
    expect((await get(`${m.metricsUrl!}/healthz`)).status).toBe(404);
    await m.stop();
    await m.stop(); // idempotent
    expect(() => m.add({ name: 'after', for: widgets, reconcile: () => undefined })).toThrow(
      ManagerConfigError,
    );
    await expect(m.start()).rejects.toThrow(ManagerConfigError);
  });

  test('stop() while the caches sync ends start() quietly; no controller ever runs', async () => {
    const ns = await freshNamespace();
    await client.create(widgets, { metadata: { name: 'w', namespace: ns } });
    const listPath = `/apis/test.steward.dev/v1/namespaces/${ns}/widgets`;
    const fault = server.faults.failNext({ method: 'GET', path: listPath }, { code: 500 }, 10_000);
    try {
      const { m } = newManager({ namespace: ns });
      const seen: string[] = [];
      m.add({ name: 'w', for: widgets, reconcile: (obj) => void seen.push(obj.metadata.name ?? '') });
      const started = m.start();
      await waitFor(
        () => m.healthUrl !== undefined,
        () => 'the probe server is not listening',
      );
      await m.stop();
      await expect(started).resolves.toBeUndefined();
      expect(seen).toEqual([]);
      await expect(fetch(`${m.healthUrl!}/healthz`)).rejects.toThrow('fetch failed');
    } finally {
      fault.remove();
    }
  });

  test('shares one informer per kind between controllers', async () => {
    const ns = await freshNamespace();
    const { m } = newManager({ namespace: ns, healthProbe: false });
    m.add({ name: 'a', for: widgets, owns: [builtin.configmaps], reconcile: () => undefined });
    m.add({
      name: 'b',
      for: builtin.configmaps,
      watches: [{ ref: widgets, map: () => [] }],
      reconcile: () => undefined,
    });
    await m.start();
    expect(m.informers.informers()).toHaveLength(2);
  });
});

interface Interval {
  mgr: string;
  start: number;
  end?: number;
}

/** Across managers, every reconcile began after every earlier-started reconcile of another manager ended. */
function assertNoOverlap(intervals: Interval[]): void {
  const lastEnd = new Map<string, number>();
  const overlaps: string[] = [];
  for (const span of [...intervals].sort((a, b) => a.start - b.start)) {
    for (const [mgr, end] of lastEnd) {
      if (mgr !== span.mgr && span.start < end)
        overlaps.push(`${span.mgr}@${span.start} < ${mgr} end ${end}`);
    }
    lastEnd.set(span.mgr, Math.max(lastEnd.get(span.mgr) ?? -Infinity, span.end ?? Infinity));
  }
  expect(overlaps).toEqual([]);
}

describe('manager leader election', () => {
  const TIMING = { leaseDurationMs: 600, renewDeadlineMs: 400, retryPeriodMs: 100 };

  /** A manager with its own client (its User-Agent lets faults target it) recording each reconcile's interval. */
  function candidate(id: string, ns: string, lease: string, intervals: Interval[]) {
    const own = kubeClient(kc, { userAgent: `mgr-${id}`, qps: Infinity });
    extraClients.push(own);
    const { m, logs } = newManager({
      client: own,
      namespace: ns,
      healthProbe: false,
      leaderElection: { name: lease, namespace: ns, identity: id, ...TIMING },
    });
    m.add<KubeObject>({
      name: 'widgets',
      for: widgets,
      async reconcile(_obj, ctx) {
        const span: Interval = { mgr: id, start: Date.now() };
        intervals.push(span);
        // Long enough that a reconcile is often in flight when leadership moves.
        await new Promise((r) => setTimeout(r, 30));
        span.end = Date.now();
        return ctx.signal.aborted ? undefined : { requeueAfter: 5 };
      },
    });
    return { m, logs };
  }

  test('two managers on one lease: only the leader reconciles; when its renewals fail the other takes over within the lease duration, never overlapping', async () => {
    const ns = await freshNamespace();
    for (const name of ['w1', 'w2', 'w3'])
      await client.create(widgets, { metadata: { name, namespace: ns } });
    const intervals: Interval[] = [];
    const a = candidate('a', ns, 'pair', intervals);
    const b = candidate('b', ns, 'pair', intervals);
    await a.m.start();
    await waitFor(
      () => a.m.isLeader(),
      () => 'a never led',
    );
    await b.m.start();
    await waitFor(
      () => intervals.filter((i) => i.mgr === 'a').length >= 10,
      () => 'a does not reconcile',
    );
    expect(b.m.isLeader()).toBe(false);
    expect(intervals.every((i) => i.mgr === 'a')).toBe(true);
    expect(sample(await a.m.registry.metrics(), 'leader_election_master_status{name="pair"}')).toBe(1);
    expect(sample(await b.m.registry.metrics(), 'leader_election_master_status{name="pair"}')).toBe(0);

    const fault = server.faults.failNext(
      {
        method: 'PUT',
        path: `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/pair`,
        userAgent: 'mgr-a',
      },
      { code: 500 },
      100_000,
    );
    try {
      await waitFor(
        () => b.m.isLeader(),
        () => 'b never took over',
        5_000,
      );
      await waitFor(
        () => intervals.filter((i) => i.mgr === 'b').length >= 5,
        () => 'b does not reconcile',
      );
    } finally {
      fault.remove();
    }
    expect(a.m.isLeader()).toBe(false);
    const lost = a.logs.find((e) => e.msg.startsWith('lost leadership'));
    const won = b.logs.find((e) => e.msg.startsWith('became leader'));
    // b took over within the lease duration of a giving up (a gives up at its renew deadline, b may
    // acquire once the lease expired, plus at most one jittered retry period).
    expect(won!.at - lost!.at).toBeLessThanOrEqual(TIMING.leaseDurationMs);
    const aLast = Math.max(...intervals.filter((i) => i.mgr === 'a').map((i) => i.end ?? Infinity));
    expect(aLast).toBeLessThanOrEqual(won!.at); // a's reconciles had ended when b began leading
    assertNoOverlap(intervals);
    expect(sample(await a.m.registry.metrics(), 'leader_election_master_status{name="pair"}')).toBe(0);
    expect(sample(await b.m.registry.metrics(), 'leader_election_master_status{name="pair"}')).toBe(1);

    // a campaigns again as a follower; when b stops, it releases the lease and a leads at once.
    const releasedAt = Date.now();
    await b.m.stop();
    await waitFor(
      () => a.m.isLeader(),
      () => 'a did not take the released lease',
      3_000,
    );
    expect(Date.now() - releasedAt).toBeLessThan(TIMING.leaseDurationMs + 4 * TIMING.retryPeriodMs);
    const before = intervals.length;
    await waitFor(
      () => intervals.slice(before).some((i) => i.mgr === 'a'),
      () => 'a did not rebuild its controllers',
    );
    assertNoOverlap(intervals);
    await a.m.stop();
    const lease = await client.get<Lease>(builtin.leases, 'pair', { namespace: ns });
    expect(lease.spec?.holderIdentity).toBeUndefined();
  });
});
