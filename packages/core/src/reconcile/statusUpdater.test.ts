import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import { ConflictError, NotFoundError } from '../client/errors.js';
import { builtin, refFor } from '../client/resourceRef.js';
import { clientFor, createWidgetCrd, widgets } from '../client/testServer.fixture.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import { waitFor } from '../informer/httpListWatcher.fixture.js';
import type { Condition } from './conditions.js';
import { StatusSubresourceError } from './reconcileErrors.js';
import { statusUpdater } from './statusUpdater.js';

let server: Awaited<ReturnType<typeof startApiServer>>;
let client: KubeClient;
const requests: string[] = [];
const gadgets = refFor('test.steward.dev/v1', 'Gadget', 'gadgets', true);
const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } as const;

beforeAll(async () => {
  server = await startApiServer({
    port: 0,
    onRequest: (req) => {
      requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
      return Promise.resolve(false);
    },
  });
  client = clientFor(server).client;
  await createWidgetCrd(client, { spec: open, status: open });
  // Gadget: the same shape, but no status subresource.
  await client.create(builtin.customresourcedefinitions, {
    metadata: { name: 'gadgets.test.steward.dev' },
    spec: {
      group: 'test.steward.dev',
      scope: 'Namespaced',
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { status: open } } },
        },
      ],
    },
  });
  await waitFor(
    () =>
      client.list(gadgets, { namespace: 'default' }).then(
        () => true,
        () => false,
      ),
    () => 'the Gadget CRD is not served',
  );
});
afterAll(async () => {
  client.close();
  await server.stop();
});

let seq = 0;
async function widget(spec: Record<string, unknown> = { size: 1 }): Promise<KubeObject> {
  const fresh: KubeObject = { metadata: { name: `w${++seq}`, namespace: 'default' }, spec };
  return client.create(widgets, fresh);
}
const conditionsOf = (o: KubeObject): Condition[] => (o['status'] as { conditions: Condition[] }).conditions;
const writesSince = (mark: number): string[] => requests.slice(mark).filter((r) => !r.startsWith('GET '));

describe('statusUpdater', () => {
  test('writes observedGeneration, conditions and fields through /status', async () => {
    const w = await widget();
    const mark = requests.length;
    const { object, changed } = await statusUpdater(client, widgets, w, {
      now: () => new Date('2026-11-27T08:00:00.5Z'),
    })
      .setCondition({ type: 'Ready', status: 'False', reason: 'Starting' })
      .set({ phase: 'Pending' })
      .commit();
    expect(changed).toBe(true);
    expect(writesSince(mark)).toEqual([
      `PATCH /apis/test.steward.dev/v1/namespaces/default/widgets/${w.metadata.name}/status`,
    ]);
    expect(object['status']).toEqual({
      observedGeneration: 1,
      phase: 'Pending',
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'Starting',
          message: '',
          lastTransitionTime: '2026-11-27T08:00:00Z',
          observedGeneration: 1,
        },
      ],
    });
    const read = await client.get(widgets, w.metadata.name ?? '', { namespace: 'default' });
    expect(read['status']).toEqual(object['status']);
  });

  test('no request at all when the status is unchanged', async () => {
    const w = await widget();
    const first = await statusUpdater(client, widgets, w)
      .setCondition({ type: 'Ready', status: 'True', reason: 'AllReady', message: 'ok' })
      .set({ replicas: 3 })
      .commit();
    const mark = requests.length;
    const again = await statusUpdater(client, widgets, first.object)
      .setCondition({ type: 'Ready', status: 'True', reason: 'AllReady', message: 'ok' })
      .set({ replicas: 3 })
      .commit();
    expect(again).toEqual({ object: first.object, changed: false });
    // The same updater after its own commit: nothing new to write either.
    const updater = statusUpdater(client, widgets, first.object).set({ replicas: 4 });
    expect((await updater.commit()).changed).toBe(true);
    const afterOne = requests.length;
    expect((await updater.commit()).changed).toBe(false);
    expect(requests.length).toBe(afterOne);
    expect(writesSince(mark)).toHaveLength(1);
  });

  test('a stale read fails with ConflictError instead of overwriting', async () => {
    const w = await widget();
    await client.patch(
      widgets,
      w.metadata.name ?? '',
      { metadata: { labels: { touched: 'yes' } } },
      { namespace: 'default' },
    );
    const err = await statusUpdater(client, widgets, w)
      .set({ phase: 'Stale' })
      .commit()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).retryable).toBe(true);
    const read = await client.get(widgets, w.metadata.name ?? '', { namespace: 'default' });
    expect(read['status']).toBeUndefined();
  });

  test('a field set to undefined is removed on the server; other fields stay', async () => {
    const w = await widget();
    const first = await statusUpdater(client, widgets, w)
      .set({ phase: 'Pending', detail: { a: 1, b: 2 } })
      .commit();
    const second = await statusUpdater(client, widgets, first.object)
      .set({ phase: undefined, detail: { a: 1 } })
      .commit();
    expect(second.changed).toBe(true);
    expect(second.object['status']).toEqual({ observedGeneration: 1, detail: { a: 1 } });
  });

  test('lastTransitionTime is kept across commits until status changes; observedGeneration follows spec', async () => {
    const w = await widget();
    let now = new Date('2026-11-27T08:00:00Z');
    const clock = { now: () => now };
    const a = await statusUpdater(client, widgets, w, clock)
      .setCondition({ type: 'Ready', status: 'False', reason: 'Starting' })
      .commit();
    const bumped = await client.patch(
      widgets,
      w.metadata.name ?? '',
      { spec: { size: 2 } },
      { namespace: 'default' },
    );
    expect(bumped.metadata.generation).toBe(2);
    now = new Date('2026-11-27T09:00:00Z');
    const b = await statusUpdater(client, widgets, bumped, clock)
      .setCondition({ type: 'Ready', status: 'False', reason: 'Scaling' })
      .commit();
    expect(b.changed).toBe(true);
    expect(conditionsOf(b.object)[0]).toMatchObject({
      reason: 'Scaling',
      lastTransitionTime: '2026-11-27T08:00:00Z',
      observedGeneration: 2,
    });
    expect((b.object['status'] as { observedGeneration: number }).observedGeneration).toBe(2);
    expect(conditionsOf(a.object)[0]?.observedGeneration).toBe(1);
    now = new Date('2026-11-27T10:00:00Z');
    const c = await statusUpdater(client, widgets, b.object, clock)
      .setCondition({ type: 'Ready', status: 'True', reason: 'AllReady' })
      .commit();
    expect(conditionsOf(c.object)[0]?.lastTransitionTime).toBe('2026-11-27T10:00:00Z');
  });

  test('a kind without a status subresource throws a clear StatusSubresourceError', async () => {
    const fresh: KubeObject = { metadata: { name: 'g1', namespace: 'default' } };
    const g = await client.create(gadgets, fresh);
    const err = await statusUpdater(client, gadgets, g)
      .set({ phase: 'x' })
      .commit()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusSubresourceError);
    expect((err as StatusSubresourceError).code).toBe('STATUS_SUBRESOURCE_MISSING');
    expect((err as Error).message).toContain('Gadget default/g1');
    expect((err as Error).message).toContain('subresources: { status: {} }');
    expect((err as Error).cause).toBeInstanceOf(NotFoundError);
  });

  test('a deleted object is a NotFoundError, not a missing subresource', async () => {
    const w = await widget();
    await client.delete(widgets, w.metadata.name ?? '', { namespace: 'default' });
    const err = await statusUpdater(client, widgets, w)
      .set({ phase: 'x' })
      .commit()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).not.toBeInstanceOf(StatusSubresourceError);
  });

  test('status reads the desired status without sharing it', async () => {
    const w = await widget();
    const updater = statusUpdater(client, widgets, w).set({ detail: { a: 1 } });
    const view = updater.status;
    (view['detail'] as { a: number }).a = 9;
    expect(updater.status).toEqual({ observedGeneration: 1, detail: { a: 1 } });
  });
});
