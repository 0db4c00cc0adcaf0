import { describe, expect, test } from '@jest/globals';
import { ControllerConfigError } from './controllerErrors.js';
import { formatLabelSelector, labelSelector } from './labelSelector.js';

describe('labelSelector', () => {
  const labels = { app: 'pg', role: 'primary' };

  test.each([
    ['app=pg', true],
    ['app==pg,role=primary', true],
    ['app!=pg', false],
    ['role in (primary,replica)', true],
    ['role notin (primary)', false],
    ['app', true],
    ['!zone', true],
    ['!app', false],
    ['', true],
  ])('%s → %s', (selector, expected) => {
    expect(labelSelector(selector)(labels)).toBe(expected);
  });

  test('a missing key fails =, passes != and notin', () => {
    expect(labelSelector('zone=a')(labels)).toBe(false);
    expect(labelSelector('zone!=a')(labels)).toBe(true);
    expect(labelSelector('zone notin (a)')(labels)).toBe(true);
  });

  test('a malformed term names itself', () => {
    expect(() => labelSelector('app=pg,(x')).toThrow(/cannot parse "\(x"/);
  });
});

describe('formatLabelSelector', () => {
  test('matchLabels and every operator, in the API server string syntax', () => {
    const text = formatLabelSelector({
      matchLabels: { app: 'pg' },
      matchExpressions: [
        { key: 'role', operator: 'In', values: ['primary', 'replica'] },
        { key: 'zone', operator: 'NotIn', values: ['c'] },
        { key: 'ready', operator: 'Exists' },
        { key: 'paused', operator: 'DoesNotExist' },
      ],
    });
    expect(text).toBe('app=pg,role in (primary,replica),zone notin (c),ready,!paused');
    const matches = labelSelector(text);
    expect(matches({ app: 'pg', role: 'replica', zone: 'a', ready: '' })).toBe(true);
    expect(matches({ app: 'pg', role: 'replica', zone: 'a', ready: '', paused: 'true' })).toBe(false);
  });

  test('an empty selector matches everything', () => {
    expect(formatLabelSelector({})).toBe('');
    expect(labelSelector(formatLabelSelector({}))({ any: 'x' })).toBe(true);
  });

  test('In without values and unknown operators are refused with the key named', () => {
    expect(() => formatLabelSelector({ matchExpressions: [{ key: 'role', operator: 'In' }] })).toThrow(
      ControllerConfigError,
    );
    expect(() =>
      formatLabelSelector({ matchExpressions: [{ key: 'role', operator: 'Gt' as 'In', values: ['1'] }] }),
    ).toThrow(/"role" has operator "Gt"/);
  });
});
