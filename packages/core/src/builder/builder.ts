/**
 * The fluent controller builder: `controller(manager).for(Kind).owns(Child).reconcile(fn)`, the
 * plain API under `@Controller`. Start with {@link controllerBuilder}; each verb follows
 * controller-runtime's builder (`For`, `Owns`, `Watches`, `Named`, `WithOptions`, `Complete`).
 */
import type { KubeObject, ResourceRef } from '../client/types.js';
import { ControllerConfigError } from '../controller/controllerErrors.js';
import type { WatchSource } from '../controller/controllerTypes.js';
import type { Predicate } from '../controller/predicates.js';
import type {
  BuiltControllerOptions,
  CleanupFn,
  ControllerTuning,
  KindLike,
  ObjectOf,
  ReconcileFn,
} from './builderTypes.js';
import { resourceRefOf } from './resources.js';

/** The one thing the builder needs of a manager. */
export interface ControllerRegistry<T extends KubeObject = KubeObject> {
  add(options: BuiltControllerOptions<T>): void;
}

export interface ControllerBuilder<T extends KubeObject = KubeObject> {
  /** The primary kind, once: a `@CustomResource` class (its instances type `obj`) or a `ResourceRef`. */
  for<K extends KindLike>(
    kind: K,
    options?: { predicates?: readonly Predicate<ObjectOf<K>>[] },
  ): ControllerBuilder<ObjectOf<K>>;
  /** A kind this controller creates with a controller ownerReference; its changes reconcile the owner. */
  owns(kind: KindLike): ControllerBuilder<T>;
  /** Another kind whose changes reconcile the primary keys (`namespace/name`) that `map` returns. */
  watches<K extends KindLike>(kind: K, map: (obj: ObjectOf<K>) => readonly string[]): ControllerBuilder<T>;
  /** The controller's name (queue, logs, metrics); default the primary kind lower-cased. */
  named(name: string): ControllerBuilder<T>;
  withOptions(options: ControllerTuning<T>): ControllerBuilder<T>;
  /** Terminal: registers the controller with the manager and returns the options it added. */
  reconcile(fn: ReconcileFn<T>): BuiltControllerOptions<T>;
  /** Terminal, with `cleanup` (which turns the finalizer on). */
  complete(fns: { reconcile: ReconcileFn<T>; cleanup?: CleanupFn<T> }): BuiltControllerOptions<T>;
}

/** A builder that registers its controller with `manager` when `reconcile()`/`complete()` is called. */
export function controllerBuilder(manager: ControllerRegistry<never>): ControllerBuilder {
  if (typeof (manager as Partial<ControllerRegistry> | undefined)?.add !== 'function') {
    throw new ControllerConfigError('controller(manager): expected a manager (an object with add(options))');
  }
  const where = 'controller(manager)';
  let primary: ResourceRef | undefined;
  let predicates: readonly Predicate<never>[] | undefined;
  const owns: ResourceRef[] = [];
  const watches: WatchSource[] = [];
  let tuning: ControllerTuning<never> = {};
  let done = false;

  const open = (verb: string): void => {
    if (done) {
      throw new ControllerConfigError(
        `${where}.${verb}(): this builder already registered its controller; start a new controller(manager)`,
      );
    }
  };

  // One mutable builder whose type parameter changes at for(): the casts only retype `this`.
  const builder: ControllerBuilder<never> = {
    for(kind, options = {}) {
      open('for');
      const ref = resourceRefOf(kind, `${where}.for()`);
      if (primary !== undefined) {
        throw new ControllerConfigError(
          `${where}.for(${ref.kind}): the primary kind is already ${primary.kind}; a controller has one ` +
            `primary kind — use owns() or watches() for the others`,
        );
      }
      primary = ref;
      if (options.predicates !== undefined) predicates = [...options.predicates] as Predicate<never>[];
      return builder as never;
    },
    owns(kind) {
      open('owns');
      owns.push(resourceRefOf(kind, `${where}.owns()`));
      return builder;
    },
    watches(kind, map) {
      open('watches');
      const ref = resourceRefOf(kind, `${where}.watches()`);
      if (typeof map !== 'function') {
        throw new ControllerConfigError(
          `${where}.watches(${ref.kind}): map must be a function (obj) => keys`,
        );
      }
      watches.push({ ref, map: map as WatchSource['map'] });
      return builder;
    },
    named(name) {
      open('named');
      tuning = { ...tuning, name };
      return builder;
    },
    withOptions(options) {
      open('withOptions');
      tuning = { ...tuning, ...options };
      return builder;
    },
    reconcile(fn) {
      return builder.complete({ reconcile: fn });
    },
    complete(fns) {
      open('complete');
      if (primary === undefined) {
        throw new ControllerConfigError(
          `${where}: call for(Kind) before reconcile()/complete(): the primary kind each reconcile is about`,
        );
      }
      const { reconcile, cleanup } = (fns ?? {}) as { reconcile?: unknown; cleanup?: unknown };
      if (typeof reconcile !== 'function') {
        throw new ControllerConfigError(
          `${where}.complete(): reconcile must be a function (obj, ctx) => result`,
        );
      }
      if (cleanup !== undefined && typeof cleanup !== 'function') {
        throw new ControllerConfigError(
          `${where}.complete(): cleanup must be a function (obj, ctx) => result`,
        );
      }
      const name = tuning.name ?? primary.kind.toLowerCase();
      if (typeof name !== 'string' || name === '') {
        throw new ControllerConfigError(`${where}.named(): the name must be a non-empty string`);
      }
      const options = {
        ...tuning,
        name,
        for: primary,
        ...(owns.length > 0 ? { owns } : {}),
        ...(watches.length > 0 ? { watches } : {}),
        ...(predicates === undefined ? {} : { predicates }),
        reconcile,
        ...(cleanup === undefined ? {} : { cleanup }),
      } as unknown as BuiltControllerOptions<never>;
      done = true;
      manager.add(options);
      return options;
    },
  };
  return builder as unknown as ControllerBuilder;
}
