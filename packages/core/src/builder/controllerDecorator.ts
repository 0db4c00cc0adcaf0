/**
 * `@Controller(options)`: declares a reconciler class's primary kind, owned and watched kinds and
 * tuning; the class holds the behaviour (`reconcile(obj, ctx)`, optional `cleanup(obj, ctx)`). Start
 * with {@link Controller}; {@link controllerOptionsOf} turns an instance into the options
 * `manager.add` takes, and {@link addController} registers it.
 */
import type { KubeObject, ResourceRef } from '../client/types.js';
import { ControllerConfigError } from '../controller/controllerErrors.js';
import type { Controller as ControllerHandle, WatchSource } from '../controller/controllerTypes.js';
import type { Predicate } from '../controller/predicates.js';
import { METADATA, type Class } from '../decorators/metadata.js';
import type { RateLimiter } from '../queue/rateLimiter.js';
import type { BuiltControllerOptions, KindLike } from './builderTypes.js';
import { resourceRefOf } from './resources.js';

/** What `@Controller` takes. Only `for` is required. */
export interface ControllerDecoratorOptions {
  /** Default: the primary kind lower-cased (`PostgresCluster` → `postgrescluster`), as controller-runtime. */
  name?: string;
  /** The primary kind: a `@CustomResource` class or a `ResourceRef`. */
  for: KindLike;
  /** Kinds this controller creates with a controller ownerReference to the primary object. */
  owns?: readonly KindLike[];
  /** Other kinds whose changes map to primary keys (`namespace/name`). */
  // oxlint-disable-next-line typescript/no-explicit-any -- the map takes objects of the watched kind, whatever it is
  watches?: readonly { kind: KindLike; map: (obj: any) => readonly string[] }[];
  /** Filters on the primary kind's updates; all must pass. */
  // oxlint-disable-next-line typescript/no-explicit-any -- predicates over the primary class's instances
  predicates?: readonly Predicate<any>[];
  maxConcurrentReconciles?: number;
  /** The finalizer that guards `cleanup`; default `<group of the primary, or steward.dev>/<name>`. */
  finalizer?: string;
  rateLimiter?: RateLimiter<string>;
  /** Watch one namespace only; default all (or the manager's). */
  namespace?: string;
}

/** What a `@Controller` class must have. */
export interface Reconciler {
  reconcile(obj: never, ctx: never): unknown;
  cleanup?(obj: never, ctx: never): unknown;
}

/** The metadata recorded on the class: the options with every kind already resolved to a ref. */
interface ControllerMetadata {
  options: ControllerDecoratorOptions;
  for: ResourceRef;
  owns: ResourceRef[];
  watches: WatchSource[];
}

/**
 * As a type, `Controller` stays the running controller's handle (`start`, `stop`, `queue`): the
 * package exports one name for both, as it did before the decorator.
 */
export type Controller = ControllerHandle;

/**
 * `@Controller({ for, owns?, watches?, predicates?, ... })` on a class with `reconcile(obj, ctx)`.
 * Records configuration only; the kinds are resolved now, so a mistake fails where the class is
 * declared. Register an instance with `addController(manager, new MyController(...))`.
 */
export function Controller(options: ControllerDecoratorOptions): (target: Class<Reconciler>) => void {
  return (target) => {
    const where = `@Controller on ${target.name || 'an anonymous class'}`;
    const proto = target.prototype as Partial<Record<'reconcile' | 'cleanup', unknown>> | undefined;
    if (typeof proto?.reconcile !== 'function') {
      throw new ControllerConfigError(
        `${where}: the class has no reconcile(obj, ctx) method; declare one (a method, not a field)`,
      );
    }
    if (proto.cleanup !== undefined && typeof proto.cleanup !== 'function') {
      throw new ControllerConfigError(`${where}: cleanup must be a method cleanup(obj, ctx)`);
    }
    if ((options as Partial<ControllerDecoratorOptions> | undefined)?.for === undefined) {
      throw new ControllerConfigError(
        `${where}: "for" is required: the primary kind, a @CustomResource class or a ResourceRef ` +
          `such as builtin.configmaps`,
      );
    }
    const metadata: ControllerMetadata = {
      options: { ...options },
      for: resourceRefOf(options.for, `${where}: for`),
      owns: (options.owns ?? []).map((kind, i) => resourceRefOf(kind, `${where}: owns[${i}]`)),
      watches: (options.watches ?? []).map((w, i) => {
        if (typeof w?.map !== 'function') {
          throw new ControllerConfigError(`${where}: watches[${i}].map must be a function (obj) => keys`);
        }
        return { ref: resourceRefOf(w.kind, `${where}: watches[${i}].kind`), map: w.map };
      }),
    };
    Reflect.defineMetadata(METADATA.controller, metadata, target);
  };
}

/**
 * The options `manager.add` takes for a `@Controller` instance, with `reconcile` and `cleanup`
 * bound to it (so they can use `this`).
 */
export function controllerOptionsOf<T extends KubeObject = KubeObject>(
  instance: object,
): BuiltControllerOptions<T> {
  if (typeof instance === 'function') {
    const name = (instance as { name?: string }).name || 'the class';
    throw new ControllerConfigError(
      `controllerOptionsOf(${name}): pass an instance (new ${name}(...)), not the class`,
    );
  }
  if (typeof instance !== 'object' || instance === null) {
    throw new ControllerConfigError(
      `controllerOptionsOf: expected an instance of a @Controller class, got ${String(instance)}`,
    );
  }
  const ctor = (instance as { constructor?: unknown }).constructor;
  const metadata =
    typeof ctor === 'function'
      ? (Reflect.getMetadata(METADATA.controller, ctor) as ControllerMetadata | undefined)
      : undefined;
  if (metadata === undefined) {
    const name = typeof ctor === 'function' ? ctor.name : 'the object';
    throw new ControllerConfigError(
      `controllerOptionsOf: ${name || 'the object'} has no @Controller decorator; decorate its class ` +
        `or build the controller with controller(manager).for(...)`,
    );
  }
  const self = instance as Record<'reconcile' | 'cleanup', ((obj: T, ctx: unknown) => unknown) | undefined>;
  const { reconcile, cleanup } = self;
  if (typeof reconcile !== 'function') {
    throw new ControllerConfigError(
      `controllerOptionsOf: ${(ctor as { name?: string }).name} has no reconcile method`,
    );
  }
  const o = metadata.options;
  const built = {
    name: o.name ?? metadata.for.kind.toLowerCase(),
    for: metadata.for,
    ...(metadata.owns.length > 0 ? { owns: metadata.owns } : {}),
    ...(metadata.watches.length > 0 ? { watches: metadata.watches } : {}),
    ...(o.predicates === undefined ? {} : { predicates: o.predicates }),
    ...(o.maxConcurrentReconciles === undefined
      ? {}
      : { maxConcurrentReconciles: o.maxConcurrentReconciles }),
    ...(o.rateLimiter === undefined ? {} : { rateLimiter: o.rateLimiter }),
    ...(o.namespace === undefined ? {} : { namespace: o.namespace }),
    ...(o.finalizer === undefined ? {} : { finalizer: o.finalizer }),
    reconcile: (obj: T, ctx: unknown) => reconcile.call(instance, obj, ctx),
    ...(typeof cleanup === 'function'
      ? { cleanup: (obj: T, ctx: unknown) => cleanup.call(instance, obj, ctx) }
      : {}),
  };
  return built as unknown as BuiltControllerOptions<T>;
}

/** Registers a `@Controller` instance with `manager` and returns the options it added. */
export function addController<T extends KubeObject = KubeObject>(
  manager: { add(options: BuiltControllerOptions<T>): void },
  instance: object,
): BuiltControllerOptions<T> {
  const options = controllerOptionsOf<T>(instance);
  manager.add(options);
  return options;
}
