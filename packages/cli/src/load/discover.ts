/**
 * Finds what a module offers the CLI among its exports: operators made with `defineOperator()` and
 * `@CustomResource` classes. Start with {@link discover}.
 */
import { customResourceOf, isOperatorDefinition } from '@steward/core';
import type { Class, OperatorDefinition } from '@steward/core';

export interface Discovered {
  /** Every exported operator, in export order. */
  operators: OperatorDefinition[];
  /** Every exported `@CustomResource` class plus every operator's resources, each once, in first-seen order. */
  resources: Class[];
}

/** Sorts a module's exports into operators and custom resource classes; other exports are ignored. */
export function discover(exports: Record<string, unknown>): Discovered {
  const operators: OperatorDefinition[] = [];
  const resources = new Set<Class>();
  for (const value of Object.values(exports)) {
    if (isOperatorDefinition(value)) {
      if (!operators.includes(value)) operators.push(value);
      for (const resource of value.resources) resources.add(resource);
    } else if (typeof value === 'function' && customResourceOf(value as Class) !== undefined) {
      resources.add(value as Class);
    }
  }
  return { operators, resources: [...resources] };
}
