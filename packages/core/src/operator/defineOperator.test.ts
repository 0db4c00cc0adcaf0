import { describe, expect, test } from '@jest/globals';
import { CustomResource } from '../decorators/customResource.js';
import { defineOperator, isOperatorDefinition, OperatorDefinitionError } from './defineOperator.js';

@CustomResource({ group: 'demo.steward.dev', version: 'v1', kind: 'Thing' })
class Thing {
  spec?: unknown;
}
class NotAResource {
  spec?: unknown;
}

describe('defineOperator', () => {
  test('returns a frozen definition that isOperatorDefinition recognises', () => {
    const op = defineOperator({ name: 'thing-operator', resources: [Thing], setup: () => {} });
    expect(isOperatorDefinition(op)).toBe(true);
    expect(Object.isFrozen(op)).toBe(true);
    expect(op.resources).toEqual([Thing]);
    expect(isOperatorDefinition({ name: 'thing-operator', resources: [], setup: () => {} })).toBe(false);
  });

  test.each([
    [
      { name: 'Thing_Operator', resources: [Thing], setup: () => {} },
      /name "Thing_Operator" must be lower-case/,
    ],
    [
      { name: 'x', resources: [NotAResource], setup: () => {} },
      /resources\[0\] is not a @CustomResource class/,
    ],
    [{ name: 'x', resources: [Thing], setup: 'no' }, /setup must be a function/],
  ])('refuses a bad definition naming the field (%#)', (definition, message) => {
    expect(() => defineOperator(definition as never)).toThrow(OperatorDefinitionError);
    expect(() => defineOperator(definition as never)).toThrow(message);
  });
});
