import { describe, expect, test } from '@jest/globals';
import type { ObservedInstance } from './planning.js';
import {
  chooseFailoverCandidate,
  chooseScaleDownVictim,
  lsnValue,
  nextSerial,
  planRollout,
  SWITCHOVER_MAX_LAG_BYTES,
  switchoverLag,
} from './planning.js';

function inst(
  serial: number,
  over: Partial<ObservedInstance> & {
    lsn?: string;
    role?: 'primary' | 'replica';
    from?: string;
    tl?: number;
  } = {},
): ObservedInstance {
  const { lsn = '0/1000', role = 'replica', from = 'pg-1', tl = 1, ...rest } = over;
  return {
    name: `pg-${serial}`,
    serial,
    hasPod: true,
    ready: true,
    updated: true,
    db: { role, lsn, timeline: tl, ...(role === 'replica' ? { streamingFrom: from } : {}) },
    ...rest,
  };
}

describe('lsnValue', () => {
  test('orders by the high half first, then the low half', () => {
    expect(lsnValue('1/0') > lsnValue('0/FFFFFFFF')).toBe(true);
    expect(lsnValue('0/3000060') > lsnValue('0/3000028')).toBe(true);
    expect(lsnValue('garbage')).toBe(-1n);
  });
});

describe('chooseFailoverCandidate', () => {
  test('promotes the most advanced ready replica, never the failed primary', () => {
    const all = [
      inst(1, { role: 'primary', lsn: '0/9000' }),
      inst(2, { lsn: '0/5000' }),
      inst(3, { lsn: '0/7000' }),
    ];
    expect(chooseFailoverCandidate(all, 'pg-1')?.name).toBe('pg-3');
  });

  test('skips replicas that are not ready or did not answer', () => {
    const { db: _unused, ...noDb } = inst(3, { lsn: '0/9000' });
    const all = [inst(2, { lsn: '0/5000' }), noDb, inst(4, { lsn: '0/8000', ready: false })];
    expect(chooseFailoverCandidate(all, 'pg-1')?.name).toBe('pg-2');
    expect(chooseFailoverCandidate([noDb], 'pg-1')).toBeUndefined();
  });

  test('prefers an instance already promoted (an interrupted failover) over a further one', () => {
    const all = [inst(2, { lsn: '0/9000' }), inst(3, { lsn: '0/1000', role: 'primary', tl: 2 })];
    expect(chooseFailoverCandidate(all, 'pg-1')?.name).toBe('pg-3');
  });
});

describe('chooseScaleDownVictim', () => {
  test('removes the newest replica, never the primary', () => {
    const all = [inst(1, { role: 'primary' }), inst(2), inst(3, { role: 'primary' })];
    expect(chooseScaleDownVictim(all, 'pg-3')?.name).toBe('pg-2');
    expect(chooseScaleDownVictim([inst(3, { role: 'primary' })], 'pg-3')).toBeUndefined();
  });
});

describe('planRollout', () => {
  const primary = inst(1, { role: 'primary', updated: false });
  test('nothing to do when every instance is updated', () => {
    expect(planRollout([inst(1, { role: 'primary' }), inst(2)], 'pg-1', 'unsupervised')).toEqual({
      kind: 'none',
    });
  });

  test('replicas first, the most lagged first', () => {
    const all = [
      primary,
      inst(2, { updated: false, lsn: '0/9000' }),
      inst(3, { updated: false, lsn: '0/2000' }),
    ];
    expect(planRollout(all, 'pg-1', 'unsupervised')).toEqual({ kind: 'replaceReplica', name: 'pg-3' });
  });

  test('waits while a replica is not back and streaming', () => {
    const all = [primary, inst(2, { updated: false }), inst(3, { from: 'pg-9' })];
    expect(planRollout(all, 'pg-1', 'unsupervised').kind).toBe('wait');
    expect(planRollout([primary, inst(2, { ready: false })], 'pg-1', 'unsupervised').kind).toBe('wait');
  });

  test('then a switchover to the most advanced updated replica, or the user with supervised', () => {
    const all = [primary, inst(2, { lsn: '0/1000' }), inst(3, { lsn: '0/2000' })];
    expect(planRollout(all, 'pg-1', 'unsupervised')).toEqual({ kind: 'switchover', to: 'pg-3' });
    expect(planRollout(all, 'pg-1', 'supervised')).toEqual({ kind: 'awaitUser' });
  });

  test('a lone primary is restarted in place', () => {
    expect(planRollout([primary], 'pg-1', 'unsupervised')).toEqual({ kind: 'restartPrimary' });
  });
});

test('nextSerial never reuses a serial', () => {
  expect(nextSerial(undefined, [])).toBe(1);
  expect(nextSerial(5, [inst(2)])).toBe(6);
  expect(nextSerial(1, [inst(3)])).toBe(4);
});

describe('switchoverLag', () => {
  const primary = inst(1, { role: 'primary', lsn: '0/3000000' });
  test('the bytes the target has still to replay, against the primary as last reported', () => {
    expect(switchoverLag(primary, inst(2, { lsn: '0/2FFF000' }))).toBe(0x1000n);
    expect(switchoverLag(primary, inst(2, { lsn: '0/3000000' }))).toBe(0n);
    expect(switchoverLag(primary, inst(2, { lsn: '0/3000100' }))).toBe(0n); // read after the primary's
  });
  test('unknown when a position is unknown or the timelines differ', () => {
    expect(switchoverLag(undefined, inst(2))).toBeUndefined();
    const { db: _unknown, ...unanswered } = primary;
    expect(switchoverLag(unanswered, inst(2))).toBeUndefined();
    expect(switchoverLag(primary, inst(2, { tl: 2 }))).toBeUndefined();
  });
  test('a target more than a WAL segment behind is beyond the limit', () => {
    const far = inst(2, { lsn: '0/1000000' });
    expect((switchoverLag(primary, far) ?? 0n) > SWITCHOVER_MAX_LAG_BYTES).toBe(true);
  });
});
