// events.k8s.io/v1 Event create rules, as the internal Event validation runs them.
import { describe, expect, test } from '@jest/globals';
import { validateEventsV1 } from './eventValidation.js';

const event = (extra: Record<string, unknown> = {}) => ({
  metadata: { name: 'e', namespace: 'ns' },
  eventTime: '2026-01-01T00:00:00.000001Z',
  type: 'Normal',
  reportingController: 'steward.dev/test',
  reportingInstance: 'i',
  action: 'Test',
  reason: 'Tested',
  regarding: { kind: 'ConfigMap', name: 'x', namespace: 'ns' },
  ...extra,
});

describe('validateEventsV1', () => {
  test('a complete Event passes', () => {
    expect(validateEventsV1(event())).toEqual([]);
  });

  test('without eventTime only eventTime is reported (the reporting fields are not checked then)', () => {
    expect(validateEventsV1(event({ eventTime: undefined, action: '' }))).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'eventTime' },
    ]);
  });

  test('a bad type prints an empty value and the type in the detail; deprecated fields use internal names', () => {
    expect(validateEventsV1(event({ type: 'Bogus', deprecatedCount: 3 }))).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: "": has invalid value: Bogus', field: 'type' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: "": needs to be unset', field: 'count' },
    ]);
  });
});
