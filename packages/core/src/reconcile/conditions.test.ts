import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import { clientFor, createWidgetCrd, widgets } from '../client/testServer.fixture.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import { StewardError } from '../errors/errors.js';
import {
  conditionTime,
  findCondition,
  isConditionTrue,
  removeCondition,
  setCondition,
  type Condition,
} from './conditions.js';
import { ConditionError } from './reconcileErrors.js';

const T0 = new Date('2026-11-27T08:00:00.123Z');
const T1 = new Date('2026-11-27T09:30:00.999Z');

describe('setCondition', () => {
  test('a new condition gets lastTransitionTime = now, RFC 3339 with whole seconds', () => {
    const { conditions, changed } = setCondition(
      [],
      { type: 'Ready', status: 'False', reason: 'Starting' },
      T0,
    );
    expect(changed).toBe(true);
    expect(conditions).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'Starting',
        message: '',
        lastTransitionTime: '2026-11-27T08:00:00Z',
      },
    ]);
  });

  test('a status change moves lastTransitionTime', () => {
    const a = setCondition(undefined, { type: 'Ready', status: 'False', reason: 'Starting' }, T0).conditions;
    const b = setCondition(a, { type: 'Ready', status: 'True', reason: 'Starting' }, T1);
    expect(b.changed).toBe(true);
    expect(b.conditions[0]?.lastTransitionTime).toBe('2026-11-27T09:30:00Z');
  });

  test('reason, message and observedGeneration changes keep lastTransitionTime', () => {
    const a = setCondition(undefined, { type: 'Ready', status: 'False', reason: 'Starting' }, T0).conditions;
    const b = setCondition(
      a,
      {
        type: 'Ready',
        status: 'False',
        reason: 'ReplicasNotReady',
        message: '1/3 ready',
        observedGeneration: 4,
      },
      T1,
    );
    expect(b.changed).toBe(true);
    expect(b.conditions).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'ReplicasNotReady',
        message: '1/3 ready',
        observedGeneration: 4,
        lastTransitionTime: '2026-11-27T08:00:00Z',
      },
    ]);
  });

  test('changed is false when nothing differs, and the input list is never modified', () => {
    const input = {
      type: 'Ready',
      status: 'True',
      reason: 'AllReady',
      message: 'ok',
      observedGeneration: 2,
    } as const;
    const a = setCondition(undefined, input, T0).conditions;
    const frozen = Object.freeze(a.map((c) => Object.freeze({ ...c })));
    const b = setCondition(frozen, input, T1);
    expect(b.changed).toBe(false);
    expect(b.conditions).toEqual(a);
  });

  test('other conditions keep their place and values', () => {
    let list: Condition[] = [];
    list = setCondition(list, { type: 'Ready', status: 'False', reason: 'Starting' }, T0).conditions;
    list = setCondition(list, { type: 'Progressing', status: 'True', reason: 'Scaling' }, T0).conditions;
    list = setCondition(list, { type: 'Ready', status: 'True', reason: 'AllReady' }, T1).conditions;
    expect(list.map((c) => [c.type, c.status, c.lastTransitionTime])).toEqual([
      ['Ready', 'True', '2026-11-27T09:30:00Z'],
      ['Progressing', 'True', '2026-11-27T08:00:00Z'],
    ]);
  });

  test('reasons follow the CamelCase pattern', () => {
    for (const reason of ['A', 'AllReady', 'Some_Reason', 'a:b,c9']) {
      expect(() => setCondition([], { type: 'Ready', status: 'True', reason })).not.toThrow();
    }
    for (const reason of ['', 'All Ready', '9Lives', 'Trailing,', 'Trailing:', 'dash-ed']) {
      expect(() => setCondition([], { type: 'Ready', status: 'True', reason })).toThrow(ConditionError);
    }
  });

  test('a bad reason throws a coded error naming the condition type, the field and the fix', () => {
    let caught: unknown;
    try {
      setCondition([], { type: 'Ready', status: 'True', reason: 'not ready' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(StewardError);
    const err = caught as ConditionError;
    expect(err.code).toBe('CONDITION_INVALID');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('"Ready"');
    expect(err.message).toContain('reason "not ready"');
    expect(err.message).toContain('CamelCase');
  });

  test('an empty type, a bad status or a negative observedGeneration throws', () => {
    expect(() => setCondition([], { type: '', status: 'True', reason: 'Ok' })).toThrow(/type is empty/);
    expect(() => setCondition([], { type: 'Ready', status: 'true' as 'True', reason: 'Ok' })).toThrow(
      /"Ready": status "true"/,
    );
    expect(() =>
      setCondition([], { type: 'Ready', status: 'True', reason: 'Ok', observedGeneration: -1 }),
    ).toThrow(/observedGeneration/);
  });
});

describe('reading conditions', () => {
  const list: Condition[] = [
    { type: 'Ready', status: 'True', reason: 'Ok', message: '', lastTransitionTime: conditionTime(T0) },
    {
      type: 'Degraded',
      status: 'Unknown',
      reason: 'Probing',
      message: '',
      lastTransitionTime: conditionTime(T0),
    },
  ];

  test('findCondition and isConditionTrue', () => {
    expect(findCondition(list, 'Degraded')?.reason).toBe('Probing');
    expect(findCondition(list, 'Missing')).toBeUndefined();
    expect(findCondition(undefined, 'Ready')).toBeUndefined();
    expect(isConditionTrue(list, 'Ready')).toBe(true);
    expect(isConditionTrue(list, 'Degraded')).toBe(false);
    expect(isConditionTrue(list, 'Missing')).toBe(false);
  });

  test('removeCondition', () => {
    expect(removeCondition(list, 'Ready')).toEqual({ conditions: [list[1]], changed: true });
    expect(removeCondition(list, 'Missing')).toEqual({ conditions: list, changed: false });
    expect(removeCondition(undefined, 'Ready')).toEqual({ conditions: [], changed: false });
  });
});

describe('conditions on a real API server', () => {
  let server: Awaited<ReturnType<typeof startApiServer>>;
  let client: KubeClient;

  beforeAll(async () => {
    server = await startApiServer({ port: 0 });
    client = clientFor(server).client;
    // The schema metav1.Condition has in the real server's OpenAPI, so its format and pattern are checked.
    await createWidgetCrd(client, {
      status: {
        type: 'object',
        properties: {
          conditions: {
            type: 'array',
            items: {
              type: 'object',
              required: ['type', 'status', 'reason', 'message', 'lastTransitionTime'],
              properties: {
                type: { type: 'string', maxLength: 316 },
                status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
                reason: {
                  type: 'string',
                  maxLength: 1024,
                  minLength: 1,
                  pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
                },
                message: { type: 'string', maxLength: 32768 },
                lastTransitionTime: { type: 'string', format: 'date-time' },
                observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
              },
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    client.close();
    await server.stop();
  });

  test('the server stores what setCondition makes, unchanged', async () => {
    const fresh: KubeObject = { metadata: { name: 'cond', namespace: 'default' } };
    const w = await client.create(widgets, fresh);
    const { conditions } = setCondition(
      [],
      { type: 'Ready', status: 'False', reason: 'Starting', message: 'waiting', observedGeneration: 1 },
      T0,
    );
    const written = await client.patchStatus(
      widgets,
      'cond',
      { status: { conditions } },
      { namespace: 'default' },
    );
    expect(written.metadata.uid).toBe(w.metadata.uid);
    const read = await client.get(widgets, 'cond', { namespace: 'default' });
    expect((read['status'] as { conditions: Condition[] }).conditions).toEqual(conditions);
  });
});
