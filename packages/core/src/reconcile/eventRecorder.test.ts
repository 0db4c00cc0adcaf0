import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import { InvalidError, ServerError } from '../client/errors.js';
import { builtin } from '../client/resourceRef.js';
import { clientFor } from '../client/testServer.fixture.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import { parseMicroTime } from '../time/microTime.js';
import { EventError } from './reconcileErrors.js';
import { eventRecorder, type EventOutcome, type EventRecorderOptions } from './eventRecorder.js';

let server: Awaited<ReturnType<typeof startApiServer>>;
let client: KubeClient;
const EVENTS = '/apis/events.k8s.io/v1/namespaces/*/events';

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
  client = clientFor(server).client;
});
afterAll(async () => {
  client.close();
  await server.stop();
});

let seq = 0;
/** A fresh ConfigMap to be the events' subject, so each test sees only its own events. */
async function subject(): Promise<KubeObject> {
  const fresh: KubeObject = { metadata: { name: `subject-${++seq}`, namespace: 'default' } };
  return client.create(builtin.configmaps, fresh);
}

/** The Events about `regarding`, read over HTTP from events.k8s.io/v1. */
async function eventsAbout(regarding: KubeObject): Promise<KubeObject[]> {
  const ns = regarding.metadata.namespace ?? 'default';
  const { items } = await client.list(builtin.eventsV1, { namespace: ns === '' ? 'default' : ns });
  return items.filter((e) => (e['regarding'] as { name?: string }).name === regarding.metadata.name);
}

function recorder(extra: Partial<EventRecorderOptions> = {}) {
  const errors: unknown[] = [];
  const r = eventRecorder(client, {
    controller: 'steward.dev/widget-controller',
    instance: 'widget-controller-0',
    onError: (e) => errors.push(e),
    ...extra,
  });
  return { r, errors };
}

const countOf = (o: EventOutcome): number | undefined => (o.kind === 'series' ? o.count : undefined);

describe('eventRecorder', () => {
  test('writes a real events.k8s.io/v1 Event with the full regarding reference', async () => {
    const cm = await subject();
    const { r, errors } = recorder();
    const outcome = await r.normal(cm, 'Synced', 'synced the config', 'Sync');
    expect(errors).toEqual([]);
    expect(outcome.kind).toBe('created');
    const [event, ...rest] = await eventsAbout(cm);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: 'Normal',
      reason: 'Synced',
      action: 'Sync',
      note: 'synced the config',
      reportingController: 'steward.dev/widget-controller',
      reportingInstance: 'widget-controller-0',
      regarding: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: cm.metadata.name,
        namespace: 'default',
        uid: cm.metadata.uid,
        resourceVersion: cm.metadata.resourceVersion,
      },
    });
    expect(event?.metadata.name).toMatch(new RegExp(`^${cm.metadata.name ?? ''}\\.[0-9a-f]+$`));
    expect(() => parseMicroTime(String(event?.['eventTime']))).not.toThrow();
    expect(event?.['series']).toBeUndefined();
  });

  test('repeats within the window become one Event with a series', async () => {
    const cm = await subject();
    const { r, errors } = recorder();
    await r.warning(cm, 'Failing', 'cannot reach the database');
    const second = await r.warning(cm, 'Failing', 'cannot reach the database');
    const third = await r.warning(cm, 'Failing', 'cannot reach the database');
    expect(errors).toEqual([]);
    expect([countOf(second), countOf(third)]).toEqual([2, 3]);
    const events = await eventsAbout(cm);
    expect(events).toHaveLength(1);
    expect(events[0]?.['series']).toMatchObject({ count: 3 });
    expect(events[0]?.['action']).toBe('Failing'); // action defaults to the reason
    // A different note, type or reason is a different Event.
    await r.warning(cm, 'Failing', 'cannot reach the cache');
    await r.normal(cm, 'Failing', 'cannot reach the database');
    await r.warning(cm, 'Failed', 'cannot reach the database');
    expect(await eventsAbout(cm)).toHaveLength(4);
  });

  test('concurrent repeats are coalesced into one Event whose count covers them all', async () => {
    const cm = await subject();
    const { r, errors } = recorder();
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => r.normal(cm, 'Scaled', 'to 3')));
    expect(errors).toEqual([]);
    expect(outcomes.every((o) => o.kind !== 'failed')).toBe(true);
    const events = await eventsAbout(cm);
    expect(events).toHaveLength(1);
    expect(events[0]?.['series']).toMatchObject({ count: 6 });
  });

  test('after the window (since the last occurrence) a repeat is a new Event', async () => {
    const cm = await subject();
    let t = Date.parse('2026-11-27T08:00:00Z');
    const { r } = recorder({ now: () => new Date(t) });
    await r.normal(cm, 'Synced', 'ok');
    t += 9 * 60_000;
    expect((await r.normal(cm, 'Synced', 'ok')).kind).toBe('series');
    t += 9 * 60_000; // 18 minutes after the first, 9 after the last: still the series
    expect(countOf(await r.normal(cm, 'Synced', 'ok'))).toBe(3);
    t += 10 * 60_000 + 1;
    expect((await r.normal(cm, 'Synced', 'ok')).kind).toBe('created');
    expect(await eventsAbout(cm)).toHaveLength(2);
  });

  test('memory is bounded: the least recently seen series is forgotten first', async () => {
    const cm = await subject();
    const { r } = recorder({ maxEntries: 2 });
    await r.normal(cm, 'A', 'a');
    await r.normal(cm, 'B', 'b');
    await r.normal(cm, 'A', 'a'); // A is now the most recent
    await r.normal(cm, 'C', 'c'); // evicts B
    expect((await r.normal(cm, 'A', 'a')).kind).toBe('series');
    expect((await r.normal(cm, 'B', 'b')).kind).toBe('created');
  });

  test('an Event deleted on the server is created again with its series', async () => {
    const cm = await subject();
    const { r, errors } = recorder();
    const first = await r.normal(cm, 'Synced', 'ok');
    if (first.kind !== 'created') throw new Error('expected a created event');
    await client.delete(builtin.eventsV1, first.event.metadata.name ?? '', { namespace: 'default' });
    const again = await r.normal(cm, 'Synced', 'ok');
    expect(errors).toEqual([]);
    expect(countOf(again)).toBe(2);
    const events = await eventsAbout(cm);
    expect(events).toHaveLength(1);
    expect(events[0]?.['series']).toMatchObject({ count: 2 });
  });

  test('events about a cluster-scoped object go to the default namespace', async () => {
    const ns = await client.get(builtin.namespaces, 'kube-public');
    const { r, errors } = recorder();
    const outcome = await r.normal(ns, 'Checked', 'namespace checked');
    expect(errors).toEqual([]);
    expect(outcome.kind === 'created' && outcome.event.metadata.namespace).toBe('default');
  });

  test('never throws: a server failure resolves as failed and reaches onError; the next call retries', async () => {
    const cm = await subject();
    const { r, errors } = recorder();
    server.faults.failNext({ method: 'POST', path: EVENTS }, { code: 500 });
    const failed = await r.warning(cm, 'Broken', 'x');
    expect(failed.kind).toBe('failed');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ServerError);
    expect((await r.warning(cm, 'Broken', 'x')).kind).not.toBe('failed');
    expect(await eventsAbout(cm)).toHaveLength(1);
  });

  test('a refused Event (bad reportingController), a nameless object and a throwing onError never throw', async () => {
    const cm = await subject();
    const bad = recorder({ controller: 'Not A Qualified Name!' });
    const outcome = await bad.r.normal(cm, 'Synced', 'ok');
    expect(outcome.kind).toBe('failed');
    expect(bad.errors[0]).toBeInstanceOf(InvalidError);

    const { r, errors } = recorder();
    expect((await r.normal({ metadata: {} }, 'Synced', 'ok')).kind).toBe('failed');
    expect(errors[0]).toBeInstanceOf(EventError);
    expect(String(errors[0])).toMatch(/no metadata\.name/);

    const throwing = eventRecorder(client, {
      controller: 'steward.dev/c',
      instance: 'i',
      onError: () => {
        throw new Error('callback broke');
      },
    });
    server.faults.failNext({ method: 'POST', path: EVENTS }, { code: 500 });
    expect((await throwing.normal(cm, 'Synced', 'ok')).kind).toBe('failed');
  });

  test('a slow server does not hold the caller: the request is cut after timeoutMs', async () => {
    const cm = await subject();
    const { r, errors } = recorder({ timeoutMs: 100 });
    const slow = server.faults.addLatency({ method: 'POST', path: EVENTS }, 2_000);
    try {
      expect((await r.normal(cm, 'Slow', 'x')).kind).toBe('failed');
      expect(errors).toHaveLength(1);
    } finally {
      slow.remove();
    }
  });

  test('a long note is cut to the 1024 characters the server allows', async () => {
    const cm = await subject();
    const { r, errors } = recorder();
    const outcome = await r.warning(cm, 'Verbose', 'x'.repeat(5000));
    expect(errors).toEqual([]);
    expect(outcome.kind === 'created' && String(outcome.event['note']).length).toBe(1024);
  });
});
