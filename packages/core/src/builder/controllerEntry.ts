/**
 * The public `controller`: `controller(options)` builds the low-level reconcile loop (unchanged, from
 * `controller/controller.ts`), `controller(manager)` starts the fluent builder. Start with
 * {@link controller}.
 */
import type { KubeObject } from '../client/types.js';
import { controller as reconcileLoop } from '../controller/controller.js';
import type { Controller, ControllerOptions } from '../controller/controllerTypes.js';
import type { Manager } from '../manager/managerTypes.js';
import { controllerBuilder, type ControllerBuilder } from './builder.js';

/** The reconcile loop over your own client and informers; nothing is watched until `start()`. */
export function controller<T extends KubeObject = KubeObject>(options: ControllerOptions<T>): Controller;
/** A builder: `controller(manager).for(Kind).owns(Child).reconcile(fn)` adds a controller to `manager`. */
export function controller(manager: Manager): ControllerBuilder;
export function controller<T extends KubeObject>(
  arg: ControllerOptions<T> | Manager,
): Controller | ControllerBuilder {
  // Options always carry `reconcile`; a manager never does, and always has `add`.
  if (typeof arg === 'object' && arg !== null && !('reconcile' in arg) && typeof arg.add === 'function') {
    return controllerBuilder(arg);
  }
  return reconcileLoop(arg as ControllerOptions<T>);
}
