// pods/binding and pods/eviction over real HTTP: what a scheduler and `kubectl drain` rely on.
/* oxlint-disable typescript/no-explicit-any -- tests read JSON answers field by field */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer, type ApiServer } from '../apiServer.js';

let server: ApiServer;
const ns = 'podsub-test';
const pods = `/api/v1/namespaces/${ns}/pods`;
const pdbs = `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`;

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'Content-Type': contentType },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

async function makePod(name: string, extra: Record<string, unknown> = {}, labels?: Record<string, string>) {
  const res = await call('POST', pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...extra },
  });
  expect(res.status).toBe(201);
  return res.json;
}

const binding = (name: string, node: string, meta: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Binding',
  metadata: { name, ...meta },
  target: { apiVersion: 'v1', kind: 'Node', name: node },
});

const eviction = (name: string, deleteOptions?: unknown) => ({
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name },
  ...(deleteOptions ? { deleteOptions } : {}),
});

async function runningReady(name: string): Promise<void> {
  const res = await call(
    'PATCH',
    `${pods}/${name}/status`,
    { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
    'application/merge-patch+json',
  );
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
  const made = await call('POST', '/api/v1/namespaces', { metadata: { name: ns } });
  if (made.status !== 201) throw new Error(`namespace setup failed: ${made.status}`);
});
afterAll(async () => {
  await server.stop();
});

describe('pods/binding', () => {
  test('sets nodeName, merges annotations, adds PodScheduled and answers 201 Success', async () => {
    const made = await makePod('b1');
    const res = await call(
      'POST',
      `${pods}/b1/binding`,
      binding('b1', 'node-a', { annotations: { 'scheduler/score': '7' } }),
    );
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      code: 201,
    });
    const pod = (await call('GET', `${pods}/b1`)).json;
    expect(pod.spec.nodeName).toBe('node-a');
    expect(pod.metadata.annotations).toEqual({ 'scheduler/score': '7' });
    expect(pod.status.conditions).toEqual([
      expect.objectContaining({ type: 'PodScheduled', status: 'True', lastProbeTime: null }),
    ]);
    expect(Number(pod.metadata.resourceVersion)).toBeGreaterThan(Number(made.metadata.resourceVersion));
  });

  test('a bound Pod answers 409 naming pods/binding and the node', async () => {
    await makePod('b2', { nodeName: 'node-a' });
    const res = await call('POST', `${pods}/b2/binding`, binding('b2', 'node-b'));
    expect(res.status).toBe(409);
    expect(res.json.message).toBe(
      'Operation cannot be fulfilled on pods/binding "b2": pod b2 is already assigned to node "node-a"',
    );
    expect(res.json.details).toEqual({ name: 'b2', kind: 'pods/binding' });
  });

  test('name mismatch is 400, a missing target name a 500 aggregate, a missing Pod 404', async () => {
    await makePod('b3');
    const mismatch = await call('POST', `${pods}/b3/binding`, binding('other', 'n'));
    expect([mismatch.status, mismatch.json.message]).toEqual([
      400,
      'name in URL does not match name in Binding object',
    ]);
    const noTarget = await call('POST', `${pods}/b3/binding`, { ...binding('b3', ''), target: {} });
    expect([noTarget.status, noTarget.json.message]).toEqual([500, 'target.name: Required value']);
    const missing = await call('POST', `${pods}/nope/binding`, binding('nope', 'n'));
    expect([missing.status, missing.json.message]).toEqual([404, 'pods "nope" not found']);
  });

  test('a uid precondition that does not match is a 409 storage conflict; dryRun changes nothing', async () => {
    await makePod('b4');
    const bad = await call('POST', `${pods}/b4/binding`, binding('b4', 'n', { uid: 'not-the-uid' }));
    expect(bad.status).toBe(409);
    expect(bad.json.message).toMatch(
      /^Operation cannot be fulfilled on pods "b4": StorageError: invalid object, Code: 4, Key: \/registry\/pods\/podsub-test\/b4, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: not-the-uid, UID in object meta: /,
    );
    const dry = await call('POST', `${pods}/b4/binding?dryRun=All`, binding('b4', 'n'));
    expect(dry.status).toBe(201);
    expect((await call('GET', `${pods}/b4`)).json.spec.nodeName).toBeUndefined();
  });

  test('binding is POST-only and listed in discovery as create', async () => {
    await makePod('b5');
    expect((await call('GET', `${pods}/b5/binding`)).status).toBe(405);
    const list = (await call('GET', '/api/v1')).json;
    expect(list.resources.find((r: any) => r.name === 'pods/binding')).toMatchObject({
      kind: 'Binding',
      verbs: ['create'],
    });
  });
});

describe('pods/eviction', () => {
  test('a Pending Pod is deleted at once (201 Success)', async () => {
    await makePod('e1');
    const res = await call('POST', `${pods}/e1/eviction`, eviction('e1'));
    expect([res.status, res.json.status]).toEqual([201, 'Success']);
    expect((await call('GET', `${pods}/e1`)).status).toBe(404);
  });

  test('a scheduled running Pod ends gracefully, marked DisruptionTarget', async () => {
    await makePod('e2', { nodeName: 'node-a' });
    await runningReady('e2');
    const res = await call('POST', `${pods}/e2/eviction`, eviction('e2'));
    expect(res.status).toBe(201);
    const pod = (await call('GET', `${pods}/e2`)).json;
    expect(pod.metadata.deletionTimestamp).toBeDefined();
    expect(pod.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'EvictionByEvictionAPI',
        message: 'Eviction API: evicting',
      }),
    );
  });

  test('a budget the disruption controller never processed refuses with 429 and Retry-After 10', async () => {
    await makePod('e3', {}, { app: 'e3' });
    await runningReady('e3');
    expect(
      (
        await call('POST', pdbs, {
          metadata: { name: 'pdb-e3' },
          spec: { minAvailable: 1, selector: { matchLabels: { app: 'e3' } } },
        })
      ).status,
    ).toBe(201);
    const res = await call('POST', `${pods}/e3/eviction`, eviction('e3'));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('10');
    expect(res.json).toMatchObject({
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: {
        retryAfterSeconds: 10,
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget pdb-e3 is still being processed by the server.',
          },
        ],
      },
    });
    expect((await call('GET', `${pods}/e3`)).status).toBe(200);
  });

  test('a processed budget: 0 allowed is 429 with the health counts; 1 allowed is used up and recorded', async () => {
    await makePod('e4', {}, { app: 'e4' });
    await runningReady('e4');
    const made = (
      await call('POST', pdbs, {
        metadata: { name: 'pdb-e4' },
        spec: { minAvailable: 1, selector: { matchLabels: { app: 'e4' } } },
      })
    ).json;
    const setStatus = async (disruptionsAllowed: number, currentHealthy: number) =>
      call(
        'PATCH',
        `${pdbs}/pdb-e4/status`,
        {
          status: {
            observedGeneration: made.metadata.generation,
            disruptionsAllowed,
            currentHealthy,
            desiredHealthy: 1,
            expectedPods: currentHealthy,
          },
        },
        'application/merge-patch+json',
      );
    await setStatus(0, 1);
    const refused = await call('POST', `${pods}/e4/eviction`, eviction('e4'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(refused.json.details.causes).toEqual([
      {
        reason: 'DisruptionBudget',
        message: 'The disruption budget pdb-e4 needs 1 healthy pods and has 1 currently',
      },
    ]);
    await setStatus(1, 2);
    const ok = await call('POST', `${pods}/e4/eviction`, eviction('e4'));
    expect(ok.status).toBe(201);
    expect((await call('GET', `${pods}/e4`)).status).toBe(404);
    const pdb = (await call('GET', `${pdbs}/pdb-e4`)).json;
    expect(pdb.status.disruptionsAllowed).toBe(0);
    expect(Object.keys(pdb.status.disruptedPods)).toEqual(['e4']);
    expect(pdb.status.conditions).toEqual([
      expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' }),
    ]);
  });

  test('an Eviction whose name differs from the path is 400', async () => {
    await makePod('e5');
    const res = await call('POST', `${pods}/e5/eviction`, eviction('other'));
    expect([res.status, res.json.message]).toEqual([
      400,
      'name in URL does not match name in Eviction object',
    ]);
    expect((await call('GET', `${pods}/e5`)).status).toBe(200);
  });
});
