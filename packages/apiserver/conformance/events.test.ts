// Conformance: core/v1 and events.k8s.io/v1 Events (reference §2 item 32; kubernetes
// pkg/apis/core/validation/events.go ValidateEventCreate).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { create, expectStatus } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('events');
const coreEvents = (ns: string) => `/api/v1/namespaces/${ns}/events`;
const newEvents = (ns: string) => `/apis/events.k8s.io/v1/namespaces/${ns}/events`;

function coreEvent(name: string, ns: string, involvedNs: string): any {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name },
    involvedObject: { kind: 'ConfigMap', name: 'x', namespace: involvedNs, apiVersion: 'v1' },
    reason: 'Tested',
    message: 'conformance',
    type: 'Normal',
    source: { component: 'conformance' },
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:00Z',
    count: 1,
  };
}

function newEvent(name: string, ns: string, extra: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name },
    eventTime: '2026-01-01T00:00:00.000001Z',
    reportingController: 'steward.dev/conformance',
    reportingInstance: 'conformance-1',
    action: 'Test',
    reason: 'Tested',
    note: 'conformance',
    type: 'Normal',
    // Verified against kube-apiserver v1.37.2: regarding.namespace must equal the Event's namespace (the
    // error names the core field, involvedObject.namespace).
    regarding: { kind: 'ConfigMap', name: 'x', apiVersion: 'v1', namespace: ns },
    ...extra,
  };
}

describe('events', () => {
  // §2 item 32: a legacy Event with the classic fields is accepted.
  conformanceCase(
    'ev-core-create',
    'a core/v1 Event with source, firstTimestamp, lastTimestamp and count → 201',
    async () => {
      const got = await create(t, coreEvents(t.ns), coreEvent('e1', t.ns, t.ns));
      expect(got).toMatchObject({ kind: 'Event', reason: 'Tested', count: 1 });
    },
  );

  // §2 item 32: involvedObject.namespace must equal the event's namespace.
  conformanceCase(
    'ev-core-namespace-mismatch-422',
    'a core/v1 Event whose involvedObject.namespace differs → 422 with a cause on involvedObject.namespace',
    async () => {
      const res = await t.client.post(coreEvents(t.ns), coreEvent('e2', t.ns, 'elsewhere'));
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message:
          'Event "e2" is invalid: involvedObject.namespace: Invalid value: "elsewhere": does not match event.namespace',
      });
      expect(res.json.details.causes).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'involvedObject.namespace' })]),
      );
    },
  );

  // §2 item 32: a complete events.k8s.io/v1 Event is accepted.
  conformanceCase(
    'ev-v1-create',
    'an events.k8s.io/v1 Event with eventTime, reportingController, reportingInstance, action, reason → 201',
    async () => {
      const got = await create(t, newEvents(t.ns), newEvent('e3', t.ns));
      expect(got).toMatchObject({
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        eventTime: '2026-01-01T00:00:00.000001Z',
        action: 'Test',
      });
    },
  );

  // §2 item 32: eventTime is required. Verified against kube-apiserver v1.37.2: validation stops at a missing
  // eventTime, so it is the only cause.
  conformanceCase(
    'ev-v1-event-time-required-422',
    'an events.k8s.io/v1 Event without eventTime → 422 `Event "e4" is invalid: eventTime: Required value`',
    async () => {
      const { eventTime: _e, ...body } = newEvent('e4', t.ns);
      const res = await t.client.post(newEvents(t.ns), body);
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: 'Event "e4" is invalid: eventTime: Required value',
        details: {
          name: 'e4',
          kind: 'Event',
          causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'eventTime' }],
        },
      });
    },
  );

  // §2 item 32: with eventTime present, the other required fields are each named.
  conformanceCase(
    'ev-v1-required-422',
    'an events.k8s.io/v1 Event with eventTime but without reportingController, reportingInstance, action, reason → 422 naming each',
    async () => {
      const res = await t.client.post(newEvents(t.ns), {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name: 'e9' },
        eventTime: '2026-01-01T00:00:00.000001Z',
        type: 'Normal',
        regarding: { kind: 'ConfigMap', name: 'x', namespace: t.ns },
      });
      expectStatus(res, { code: 422, reason: 'Invalid' });
      const required = res.json.details.causes
        .filter((c: any) => c.reason === 'FieldValueRequired')
        .map((c: any) => c.field);
      expect(required).toEqual(['reportingController', 'reportingInstance', 'action', 'reason']);
    },
  );

  // §2 item 32: type ∈ {Normal, Warning}.
  conformanceCase(
    'ev-v1-type-422',
    'an events.k8s.io/v1 Event with type "Bogus" → 422 with a cause on type',
    async () => {
      const res = await t.client.post(newEvents(t.ns), newEvent('e5', t.ns, { type: 'Bogus' }));
      // Verified on kube-apiserver v1.37.2 (the bad value is printed in the detail, the value slot is empty).
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: 'Event "e5" is invalid: type: Invalid value: "": has invalid value: Bogus',
      });
      expect(res.json.details.causes).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'type' })]),
      );
    },
  );

  // §2 item 32: legacy fields must be unset on the new API.
  conformanceCase(
    'ev-v1-legacy-fields-422',
    'an events.k8s.io/v1 Event carrying deprecatedCount → 422',
    async () => {
      const res = await t.client.post(newEvents(t.ns), newEvent('e6', t.ns, { deprecatedCount: 3 }));
      expectStatus(res, { code: 422, reason: 'Invalid' });
    },
  );

  // §2 items 31-32: eventTime is MicroTime: 3 fractional digits are rejected.
  conformanceCase(
    'ev-v1-eventtime-microtime-400',
    'an events.k8s.io/v1 Event with eventTime from toISOString() → 400',
    async () => {
      const res = await t.client.post(
        newEvents(t.ns),
        newEvent('e7', t.ns, { eventTime: '2026-01-01T00:00:00.123Z' }),
      );
      expectStatus(res, { code: 400, reason: 'BadRequest' });
    },
  );

  // §2 item 32: both APIs are views of one storage.
  conformanceCase(
    'ev-shared-storage',
    'an Event created through events.k8s.io/v1 is readable through core/v1',
    async () => {
      await create(t, newEvents(t.ns), newEvent('e8', t.ns));
      const res = await t.client.get(`${coreEvents(t.ns)}/e8`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        kind: 'Event',
        apiVersion: 'v1',
        reason: 'Tested',
        reportingComponent: 'steward.dev/conformance',
      });
    },
  );
});
