/**
 * An operator as one value: its name, the custom resources it serves, and a `setup` that registers
 * its controllers with a manager. The CLI reads it (CRDs, RBAC, manifests, `steward dev`), and one
 * manager can host several operators by calling each `setup`. Start with {@link defineOperator}.
 */
import { StewardError } from '../errors/errors.js';
import { customResourceOf } from '../decorators/customResource.js';
import type { Class } from '../decorators/metadata.js';
import type { Manager } from '../manager/managerTypes.js';

/** One RBAC rule, as in a ClusterRole. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

export interface OperatorDefinition {
  /** kebab-case; names the Deployment, ServiceAccount, ClusterRole and the leader-election Lease. */
  readonly name: string;
  /** The `@CustomResource` classes this operator serves (their CRDs ship with it). */
  readonly resources: readonly Class[];
  /** Registers the operator's controllers (`manager.add`, the builder, `addController`). */
  readonly setup: (manager: Manager) => void | Promise<void>;
  /** RBAC beyond what its controllers' `for`/`owns`/`watches` imply (pods/exec for an admin API…). */
  readonly rbac?: readonly PolicyRule[];
}

/** The definition is not usable as given; the message names the field and what to do. */
export class OperatorDefinitionError extends StewardError {
  constructor(message: string) {
    super('OPERATOR_DEFINITION', message, false);
  }
}

const OPERATOR_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const BRAND = Symbol.for('steward.dev/operator');

/** Checks the definition and marks it so tools can find it among a module's exports. */
export function defineOperator(definition: OperatorDefinition): OperatorDefinition {
  const { name, resources, setup } = definition;
  if (typeof name !== 'string' || name.length > 52 || !OPERATOR_NAME.test(name))
    throw new OperatorDefinitionError(
      `defineOperator: name ${JSON.stringify(name)} must be lower-case kebab-case, at most 52 characters (it names Kubernetes objects), e.g. "postgres-operator"`,
    );
  if (!Array.isArray(resources))
    throw new OperatorDefinitionError(
      `operator ${name}: resources must be an array of @CustomResource classes`,
    );
  resources.forEach((resource: unknown, i) => {
    if (typeof resource !== 'function' || customResourceOf(resource as Class) === undefined)
      throw new OperatorDefinitionError(
        `operator ${name}: resources[${i}] is not a @CustomResource class; decorate it or remove it from resources`,
      );
  });
  if (typeof setup !== 'function')
    throw new OperatorDefinitionError(
      `operator ${name}: setup must be a function (manager) => void that registers its controllers`,
    );
  return Object.freeze(Object.defineProperty({ ...definition }, BRAND, { value: true }));
}

/** Whether `value` came from {@link defineOperator} (in this or another copy of the package). */
export function isOperatorDefinition(value: unknown): value is OperatorDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
