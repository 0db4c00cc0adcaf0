/**
 * The shapes the fluent builder and `@Controller` share: what names a kind (a `@CustomResource` class
 * or a `ResourceRef`), the reconcile and cleanup functions, and the options both produce. Start with
 * {@link BuiltControllerOptions}; `resources.ts` turns a {@link KindLike} into a `ResourceRef`.
 */
import type { KubeObject, ResourceRef } from '../client/types.js';
import type { ControllerOptions } from '../controller/controllerTypes.js';
import type { Class } from '../decorators/metadata.js';
import type { ManagedControllerOptions } from '../manager/managerTypes.js';

/** A kind, named by its `@CustomResource` class or by a `ResourceRef` (`builtin.configmaps`, `refFor`). */
export type KindLike = Class | ResourceRef;

/** The objects of a kind: a class's instances as stored objects (with `metadata`), or any object. */
export type ObjectOf<K> = K extends Class<infer I> ? I & KubeObject : KubeObject;

/** The reconcile context a controller of `T` passes (follows `ControllerOptions` as it grows). */
export type ContextOf<T extends KubeObject> = Parameters<ControllerOptions<T>['reconcile']>[1];

export type ReconcileFn<T extends KubeObject> = ControllerOptions<T>['reconcile'];

/** Runs once while a deleted object still exists (behind the finalizer), before it goes. */
export type CleanupFn<T extends KubeObject> =
  ControllerOptions<T> extends { cleanup?: infer F }
    ? [F] extends [undefined]
      ? (obj: T, ctx: ContextOf<T>) => unknown
      : NonNullable<F>
    : (obj: T, ctx: ContextOf<T>) => unknown;

/**
 * What the builder and `controllerOptionsOf` hand to `manager.add`: the manager's controller shape,
 * plus `cleanup` and `finalizer` (the controller's own fields once it carries them).
 */
export type BuiltControllerOptions<T extends KubeObject = KubeObject> = ManagedControllerOptions<T> & {
  cleanup?: CleanupFn<T>;
  finalizer?: string;
};

/** The builder's `withOptions`: everything but the sources and the functions. */
export type ControllerTuning<T extends KubeObject = KubeObject> = Partial<
  Pick<
    BuiltControllerOptions<T>,
    'name' | 'maxConcurrentReconciles' | 'rateLimiter' | 'namespace' | 'finalizer'
  >
>;
