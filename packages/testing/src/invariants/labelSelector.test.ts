import { expect, test } from '@jest/globals';
import { LabelSelectorError, selectorMatcher } from './labelSelector.js';

const labels = { app: 'db', tier: 'data', env: 'prod' };

test.each([
  ['app=db', true],
  ['app==db', true],
  ['app=web', false],
  ['app!=web', true],
  ['app=db,tier!=data', false],
  ['env in (prod, staging)', true],
  ['env notin (prod)', false],
  ['env in (dev),app=db', false],
  ['tier', true],
  ['!tier', false],
  ['!legacy', true],
  ['missing!=x', true],
  ['', true],
])('%s → %s', (selector, expected) => {
  expect(selectorMatcher(selector)(labels)).toBe(expected);
});

test('a map selector matches every pair, as a Service selector does', () => {
  expect(selectorMatcher({ app: 'db', tier: 'data' })(labels)).toBe(true);
  expect(selectorMatcher({ app: 'db', role: 'primary' })(labels)).toBe(false);
  expect(selectorMatcher({ app: 'db' })(undefined)).toBe(false);
});

test('an unparsable selector names itself and the bad part', () => {
  expect(() => selectorMatcher('app=db,in (x)')).toThrow(LabelSelectorError);
  expect(() => selectorMatcher('app=db,in (x)')).toThrow(/"in \(x\)"/);
});
