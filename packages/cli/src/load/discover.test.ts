import { expect, test } from '@jest/globals';
import { customResourceOf } from '@steward/core';
import { discover } from './discover.js';
import * as widgets from './widgets.fixture.js';

test('finds exported operators and resource classes, each resource once, ignoring other exports', () => {
  const { operators, resources } = discover(widgets);
  expect(operators).toEqual([widgets.operator]);
  // Widget is exported and in the operator; Gadget only in the operator.
  expect(resources.map((r) => customResourceOf(r)?.kind)).toEqual(['Widget', 'Gadget']);
});

test('a default-exported operator counts, and the same operator under two names is one', () => {
  const { operators, resources } = discover({ default: widgets.operator, again: widgets.operator });
  expect(operators).toHaveLength(1);
  expect(resources).toHaveLength(2);
});

test('a module without resources yields nothing', () => {
  expect(
    discover({
      Plain: class {
        readonly spec = {};
      },
      n: 1,
      nothing: null,
    }),
  ).toEqual({ operators: [], resources: [] });
});
