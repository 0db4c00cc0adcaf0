/**
 * The simulated Postgres in the simulated cluster: Pods and claims made by hand (as the operator would
 * make them, per the bootstrap convention), the kubelet simulation running the data plane, the admin
 * talking to it — bootstrap, clone, a restart keeping the data, and the failover path.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { AlreadyExistsError, builtin } from '@steward/core';
import { startTestEnv, waitFor, type TestEnv } from '@steward/testing';
import { simulatedPostgres, type SimulatedPostgres } from '../../src/admin/simulatedPostgres.js';
import type { Instance } from '../../src/admin/postgresAdmin.js';

const su = { user: 'postgres', password: 'secret' };
let env: TestEnv;
let sim: SimulatedPostgres;
let ns: string;

beforeEach(async () => {
  env = await startTestEnv({
    namespace: true,
    simulate: { kubelet: { startDelayMs: 10, readyDelayMs: 10, probeIntervalMs: 20 }, volumes: true },
  });
  ns = env.namespace;
  sim = simulatedPostgres();
  env.simulation!.kubelet!.attach(sim.dataPlane);
});
afterEach(() => env.stop());

const at = (pod: string): Instance => ({ namespace: ns, pod, host: `${pod}.sim`, port: 5432 });

/** An instance as the operator makes it: a claim and a pod with the bootstrap env. */
async function createInstance(name: string, bootstrap: 'initdb' | 'clone', source?: string): Promise<void> {
  await env.client
    .create(builtin.persistentvolumeclaims, {
      metadata: { name, namespace: ns, labels: { 'postgres.steward.dev/cluster': 'pg' } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    })
    .catch((error: unknown) => {
      if (!(error instanceof AlreadyExistsError)) throw error; // the claim outlives an earlier pod
    });
  const podEnv = [
    { name: 'PG_BOOTSTRAP', value: bootstrap },
    { name: 'PG_CLUSTER', value: 'pg' },
    ...(source === undefined ? [] : [{ name: 'PG_SOURCE', value: source }]),
  ];
  await env.client.create(builtin.pods, {
    metadata: { name, namespace: ns, labels: { 'postgres.steward.dev/cluster': 'pg' } },
    spec: {
      containers: [
        {
          name: 'postgres',
          image: 'postgres:15',
          env: podEnv,
          ports: [{ name: 'postgres', containerPort: 5432 }],
        },
      ],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: name } }],
    },
  });
}

async function podReady(name: string): Promise<boolean> {
  const pod = await env.client.get(builtin.pods, name, { namespace: ns });
  const conditions = (pod['status'] as { conditions?: { type: string; status: string }[] } | undefined)
    ?.conditions;
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
const waitReady = (name: string) =>
  waitFor(() => podReady(name), { description: `pod ${name} Ready`, state: () => sim.instance(name) });

async function deletePod(name: string): Promise<void> {
  await env.client.delete(builtin.pods, name, { namespace: ns });
  await waitFor(
    () =>
      env.client.get(builtin.pods, name, { namespace: ns }).then(
        () => false,
        () => true,
      ),
    {
      description: `pod ${name} gone`,
    },
  );
}

describe('simulatedPostgres on the simulated kubelet', () => {
  test('initdb makes a primary on timeline 1; a clone streams from it, writes and catalog included', async () => {
    await createInstance('pg-1', 'initdb');
    await waitReady('pg-1');
    expect(await sim.admin.status(at('pg-1'), su)).toEqual({
      role: 'primary',
      lsn: '0/1000000',
      timeline: 1,
    });
    await sim.admin.ensureRole(at('pg-1'), su, { name: 'app', password: 'p' });
    await sim.admin.ensureDatabase(at('pg-1'), su, { name: 'app', owner: 'app' });
    sim.write('pg-1');

    await createInstance('pg-2', 'clone', 'pg-1');
    await waitReady('pg-2');
    const lsn = sim.write('pg-1', 1000);
    expect(await sim.admin.status(at('pg-2'), su)).toEqual({
      role: 'replica',
      lsn,
      timeline: 1,
      streamingFrom: 'pg-1',
      lagBytes: 0,
    });
    expect(sim.instance('pg-2')).toMatchObject({ claim: 'pg-2', roles: ['app'], databases: { app: 'app' } });
    await expect(sim.admin.ensureRole(at('pg-2'), su, { name: 'x', password: 'y' })).rejects.toMatchObject({
      code: 'PG_READ_ONLY',
    });
    await expect(sim.admin.ensureDatabase(at('pg-1'), su, { name: 'd', owner: 'nobody' })).rejects.toThrow(
      /role "nobody" does not exist/,
    );
    await expect(sim.admin.status(at('pg-1'), { ...su, password: 'wrong' })).rejects.toMatchObject({
      code: 'PG_AUTH',
    });
    // A held replica lags; released, it catches up.
    sim.hold('pg-2', true);
    sim.write('pg-1', 500);
    expect(await sim.admin.status(at('pg-2'), su)).toMatchObject({ lsn, lagBytes: 500 });
    sim.hold('pg-2', false);
    expect((await sim.admin.status(at('pg-2'), su)).lagBytes).toBe(0);
  });

  test('a clone waits until its source runs', async () => {
    await createInstance('pg-2', 'clone', 'pg-1');
    await waitFor(() => sim.instance('pg-2')?.bootstrapError, { description: 'a bootstrap error' });
    expect(await podReady('pg-2')).toBe(false);
    expect(sim.instance('pg-2')?.bootstrapError).toMatch(/clone source .*\/pg-1 is not running/);
    await createInstance('pg-1', 'initdb');
    await waitReady('pg-2');
    expect(sim.instance('pg-2')).toMatchObject({ role: 'replica', streamingFrom: 'pg-1' });
  });

  test('a deleted pod is unreachable; its successor finds the data on the claim', async () => {
    await createInstance('pg-1', 'initdb');
    await waitReady('pg-1');
    await createInstance('pg-2', 'clone', 'pg-1');
    await waitReady('pg-2');
    const written = sim.write('pg-1', 4096);
    await deletePod('pg-2');
    expect(sim.instance('pg-2')).toMatchObject({ running: false, role: 'replica', lsn: written });
    await expect(sim.admin.status(at('pg-2'), su)).rejects.toMatchObject({
      code: 'PG_UNREACHABLE',
      retryable: true,
    });
    sim.write('pg-1', 4096);
    // The successor is created as a clone of a pod that does not exist: the data on the claim wins.
    await createInstance('pg-2', 'clone', 'pg-9');
    await waitReady('pg-2');
    const primary = await sim.admin.status(at('pg-1'), su);
    expect(await sim.admin.status(at('pg-2'), su)).toMatchObject({
      role: 'replica',
      lsn: primary.lsn,
      streamingFrom: 'pg-1',
    });
  });

  test('failover: promote, re-point, and the old primary comes back on timeline 1 until rewound', async () => {
    await createInstance('pg-1', 'initdb');
    await waitReady('pg-1');
    await createInstance('pg-2', 'clone', 'pg-1');
    await createInstance('pg-3', 'clone', 'pg-1');
    await Promise.all([waitReady('pg-2'), waitReady('pg-3')]);
    sim.write('pg-1');
    await deletePod('pg-1');

    await sim.admin.promote(at('pg-2'), su);
    await sim.admin.promote(at('pg-2'), su);
    expect(await sim.admin.status(at('pg-2'), su)).toMatchObject({ role: 'primary', timeline: 2 });
    expect(sim.instance('pg-3')).toMatchObject({ upstream: 'pg-1', timeline: 1 });
    expect(sim.instance('pg-3')?.streamingFrom).toBeUndefined();
    await sim.admin.follow(at('pg-3'), at('pg-2'), su);
    await sim.admin.follow(at('pg-3'), at('pg-2'), su);
    const lsn = sim.write('pg-2');
    expect(await sim.admin.status(at('pg-3'), su)).toMatchObject({ timeline: 2, lsn, streamingFrom: 'pg-2' });

    await createInstance('pg-1', 'initdb');
    await waitReady('pg-1');
    expect(await sim.admin.status(at('pg-1'), su)).toMatchObject({ role: 'primary', timeline: 1 });
    await sim.admin.follow(at('pg-1'), at('pg-2'), su);
    expect(await sim.admin.status(at('pg-1'), su)).toMatchObject({
      role: 'replica',
      timeline: 2,
      lsn,
      streamingFrom: 'pg-2',
    });
  });

  test('promoting a replica that lags leaves the more advanced one diverged: follow fails', async () => {
    await createInstance('pg-1', 'initdb');
    await waitReady('pg-1');
    await createInstance('pg-2', 'clone', 'pg-1');
    await createInstance('pg-3', 'clone', 'pg-1');
    await Promise.all([waitReady('pg-2'), waitReady('pg-3')]);
    sim.hold('pg-2', true);
    sim.write('pg-1');
    await deletePod('pg-1');
    await sim.admin.promote(at('pg-2'), su);
    await expect(sim.admin.follow(at('pg-3'), at('pg-2'), su)).rejects.toMatchObject({
      code: 'PG_TIMEOUT',
      message: expect.stringMatching(/pg-3 .*diverged from pg-2's history; it needs pg_rewind/),
    });
  });
});
