import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin } from '@steward/core';
import { startTestEnv } from '../env/testEnv.js';
import type { TestEnv } from '../env/testEnvTypes.js';
import { waitFor } from '../waitFor.js';
import { invariant, never } from './invariant.js';
import type { Invariant } from './invariantTypes.js';
import { atMostNotReady, noClaimDeletedWhilePodExists, serviceSelectsExactly } from './podInvariants.js';
import { watchInvariants } from './watchInvariants.js';
import type { InvariantViolationError, InvariantWatch } from './watchInvariants.js';

let env: TestEnv;
let ns: string;
let watch: InvariantWatch | undefined;
beforeEach(async () => {
  env = await startTestEnv({ namespace: true });
  ns = env.namespace;
});
afterEach(async () => {
  await watch?.stop();
  watch = undefined;
  await env.stop();
});

async function watching(...invariants: Invariant[]): Promise<InvariantWatch> {
  watch = await watchInvariants(env.client, { invariants, namespace: ns });
  return watch;
}

async function pod(name: string, labels: Record<string, string>, claimName?: string): Promise<void> {
  await env.client.create(builtin.pods, {
    metadata: { name, namespace: ns, labels },
    spec: {
      containers: [{ name: 'main', image: 'db' }],
      ...(claimName ? { volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] } : {}),
    },
  });
}
async function setReady(name: string, ready: boolean): Promise<void> {
  const status = ready ? 'True' : 'False';
  await env.client.patchStatus(
    builtin.pods,
    name,
    { status: { conditions: [{ type: 'Ready', status }] } },
    { namespace: ns },
  );
}
async function claim(name: string): Promise<void> {
  await env.client.create(builtin.persistentvolumeclaims, {
    metadata: { name, namespace: ns },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
}
const failed = (w: InvariantWatch): Promise<InvariantViolationError> =>
  w.assertNone().then(
    () => {
      throw new Error('assertNone() passed');
    },
    (e: unknown) => e as InvariantViolationError,
  );

test('atMostNotReady: one Pod at a time down is fine; two is reported with the event that showed it', async () => {
  for (const n of ['db-0', 'db-1', 'db-2']) {
    await pod(n, { app: 'db' });
    await setReady(n, true);
  }
  await pod('web-0', { app: 'web' }); // not Ready, but not selected
  const w = await watching(atMostNotReady({ namespace: ns, selector: 'app=db', max: 1 }));
  await setReady('db-0', false);
  await setReady('db-0', true);
  await setReady('db-1', false);
  await setReady('db-1', true);
  await w.assertNone();

  await setReady('db-2', false);
  await setReady('db-0', false);
  await env.client.patch(builtin.pods, 'web-0', { metadata: { labels: { v: '2' } } }, { namespace: ns });
  await setReady('db-1', false); // worse: a new violation
  const error = await failed(w);
  // The web-0 change saw the same two Pods down: the same violation going on, not recorded again.
  expect(w.violations.map((x) => x.message)).toEqual([
    `2 Pods matching app=db in ${ns} are not Ready (db-0, db-2); at most 1 allowed`,
    `3 Pods matching app=db in ${ns} are not Ready (db-0, db-1, db-2); at most 1 allowed`,
  ]);
  const [v] = w.violations;
  expect(v?.message).toBe(`2 Pods matching app=db in ${ns} are not Ready (db-0, db-2); at most 1 allowed`);
  expect(v?.event).toMatchObject({ type: 'update', kind: 'Pod', namespace: ns, name: 'db-0' });
  expect(error.code).toBe('INVARIANT_VIOLATED');
  expect(error.message).toContain(`[on update Pod ${ns}/db-0 (resourceVersion`);
});

test('serviceSelectsExactly: replicas coming and going are fine; a second primary is reported', async () => {
  await env.client.create(builtin.services, {
    metadata: { name: 'primary', namespace: ns },
    spec: { selector: { app: 'db', role: 'primary' }, ports: [{ port: 5432 }] },
  });
  await pod('db-0', { app: 'db', role: 'primary' });
  await pod('db-1', { app: 'db', role: 'replica' });
  const w = await watching(serviceSelectsExactly({ namespace: ns, service: 'primary', count: 1 }));
  await pod('db-2', { app: 'db', role: 'replica' });
  await env.client.delete(builtin.pods, 'db-2', { namespace: ns });
  await env.client.patch(builtin.pods, 'db-1', { metadata: { labels: { zone: 'b' } } }, { namespace: ns });
  await w.assertNone();

  await env.client.patch(
    builtin.pods,
    'db-1',
    { metadata: { labels: { role: 'primary' } } },
    { namespace: ns },
  );
  const error = await failed(w);
  expect(error.violations.map((v) => v.message)).toEqual([
    `Service ${ns}/primary selects 2 Pods (db-0, db-1); expected exactly 1`,
  ]);
  expect(error.violations[0]?.event).toMatchObject({ type: 'update', kind: 'Pod', name: 'db-1' });
});

test('noClaimDeletedWhilePodExists: Pod first, then claim, passes even when the Pod event arrives late', async () => {
  await claim('data-db-0');
  await pod('db-0', { app: 'db' }, 'data-db-0');
  // A snapshot-only check, to prove the events really arrived in the wrong order.
  const naive = never(
    'naive',
    (s, e) =>
      e.type === 'delete' &&
      e.ref?.plural === 'persistentvolumeclaims' &&
      s.get(builtin.pods, ns, 'db-0') !== undefined,
    { kinds: [builtin.pods, builtin.persistentvolumeclaims] },
  );
  const w = await watching(noClaimDeletedWhilePodExists({ namespace: ns }), naive);
  // Pod events are held back, so the claim's deletion reaches the checks first.
  env.server?.faults.holdWatches({ resource: 'pods', namespace: ns }, 300);
  await env.client.delete(builtin.pods, 'db-0', { namespace: ns });
  await env.client.delete(builtin.persistentvolumeclaims, 'data-db-0', { namespace: ns });
  await failed(w);
  expect(w.violations.map((v) => v.invariant)).toEqual(['naive']);
});

test('noClaimDeletedWhilePodExists: a claim deleted under a running Pod is reported', async () => {
  await claim('data-db-0');
  await pod('db-0', { app: 'db' }, 'data-db-0');
  await claim('data-db-1');
  await pod('db-1', { app: 'db' }, 'data-db-1');
  const w = await watching(noClaimDeletedWhilePodExists({ namespace: ns }));
  await env.client.delete(builtin.persistentvolumeclaims, 'data-db-0', { namespace: ns });
  await env.client.delete(builtin.persistentvolumeclaims, 'data-db-1', { namespace: ns });
  await env.client.delete(builtin.pods, 'db-1', { namespace: ns }); // decided by the Pod's own deletion
  const error = await failed(w);
  const messages = error.violations.map((v) => v.message).sort();
  expect(messages).toHaveLength(2);
  expect(messages[0]).toMatch(
    new RegExp(
      `^PersistentVolumeClaim ${ns}/data-db-0 was deleted .* while Pod ${ns}/db-0, which mounts it, existed \\(and still exists\\)$`,
    ),
  );
  expect(messages[1]).toMatch(
    /data-db-1 was deleted .*\/db-1, which mounts it, existed \(until resourceVersion \d+\)$/,
  );
  expect(error.violations.find((v) => v.message.includes('db-1'))?.event).toMatchObject({
    type: 'delete',
    kind: 'Pod',
    name: 'db-1',
  });
});

test('never: reports the event that made the predicate true, and holds in a clean run', async () => {
  const forbidden = never(
    'a ConfigMap named forbidden',
    (s) => s.get(builtin.configmaps, ns, 'forbidden') !== undefined,
    {
      kinds: [builtin.configmaps],
    },
  );
  const w = await watching(forbidden);
  await env.client.create(builtin.configmaps, { metadata: { name: 'allowed', namespace: ns } });
  await w.assertNone();
  await env.client.create(builtin.configmaps, { metadata: { name: 'forbidden', namespace: ns } });
  const error = await failed(w);
  expect(error.violations).toEqual([
    expect.objectContaining({
      invariant: 'a ConfigMap named forbidden',
      message: 'a ConfigMap named forbidden happened',
      event: expect.objectContaining({ type: 'add', kind: 'ConfigMap', name: 'forbidden' }),
    }),
  ]);
});

test('a check that throws, or reads a kind nobody watches, is a violation that says so', async () => {
  const w = await watching(
    invariant('reads secrets', (s) => void s.list(builtin.secrets)),
    invariant('explodes', () => {
      throw new Error('boom');
    }),
  );
  const messages = (await failed(w)).violations.map((v) => `${v.invariant}: ${v.message}`);
  expect(messages).toEqual([
    expect.stringMatching(
      /^reads secrets: the check threw: .*secrets is not watched; add its ref to watchInvariants/,
    ),
    'explodes: the check threw: boom',
  ]);
  expect(w.violations[0]?.event.type).toBe('sync');
});

test('onViolation sees each violation as it is recorded', async () => {
  const seen: string[] = [];
  watch = await watchInvariants(env.client, {
    namespace: ns,
    kinds: [builtin.configmaps],
    invariants: [
      invariant('no ConfigMaps', (s) => s.list(builtin.configmaps, { namespace: ns }).length === 0),
    ],
    onViolation: (v) => seen.push(`${v.invariant}: ${v.message}`),
  });
  await env.client.create(builtin.configmaps, { metadata: { name: 'a', namespace: ns } });
  await waitFor(() => seen.length > 0);
  expect(seen).toEqual(['no ConfigMaps: no ConfigMaps does not hold']);
});
