/**
 * The finalizer a controller with `cleanup` puts on its objects, so that it sees every deletion while
 * the object still exists. Start with {@link finalizer}; the controller calls it (controller.ts).
 *
 * Flow (per reconcile of a key whose object is cached and not paused):
 * 1. Not being deleted, finalizer absent → add it (merge patch carrying the cached
 *    `resourceVersion`), before `reconcile` runs and before any other write; then `reconcile` runs
 *    on the patched object.
 * 2. Not being deleted, finalizer present → `reconcile`.
 * 3. Being deleted (`deletionTimestamp`), finalizer present → `cleanup` instead of `reconcile`. When
 *    it returns done (`undefined` or `{}`), the finalizer is removed (same guarded patch); the API
 *    server deletes the object once no finalizer is left.
 * 4. Being deleted, finalizer absent → nothing (it was never added, or is already removed).
 *
 * Guarantees: `cleanup` runs at least once for every object that got the finalizer, before the object
 * goes; the finalizer is removed only after a `cleanup` that returned done; other finalizers on the
 * object are never lost (both patches carry `resourceVersion`, so a concurrent change fails with 409
 * and is retried on fresh state); nothing is added to an object that is already being deleted (the
 * API server forbids it).
 *
 * Assumptions: `cleanup` is idempotent (it may run again after a crash, a conflict or a restart);
 * the finalizer name is owned by this one controller.
 *
 * Caveats: a finalizer on an object whose controller is uninstalled (or renamed, or whose `cleanup`
 * always fails) blocks that object's deletion forever, and a namespace holding it stays Terminating.
 * Remove it by hand once the cleanup is done some other way:
 * `kubectl patch <kind> <name> -n <ns> --type=json -p '[{"op":"remove","path":"/metadata/finalizers/0"}]'`
 * (check the index with `kubectl get <kind> <name> -o jsonpath='{.metadata.finalizers}'`), or
 * `kubectl edit` and delete the line. A paused object (`steward.dev/paused: "true"`) gets neither
 * `cleanup` nor finalizer writes, so deleting it waits until it is unpaused.
 *
 * Errors: a `cleanup` that throws or requeues keeps the finalizer, and is retried with the
 * controller's backoff (a `TerminalError` stops retries until the object changes, and the object
 * stays). A patch that fails (409 from a stale cache, 5xx) is retried with backoff. An invalid
 * finalizer name is a {@link FinalizerNameError} when the controller is built.
 */
import type { KubeClient, KubeObject, ResourceRef } from '../client/types.js';
import { StewardError } from '../errors/errors.js';

/** The finalizer name is not a qualified name with a prefix (`example.com/cleanup`); fix the option. */
export class FinalizerNameError extends StewardError {
  constructor(message: string) {
    super('FINALIZER_NAME', message, false);
  }
}

/** What the controller does with an object now (see the module's Flow). */
export type FinalizerStep = 'add' | 'reconcile' | 'cleanup' | 'skip';

export interface Finalizer {
  readonly name: string;
  step(obj: KubeObject): FinalizerStep;
  /** Adds the finalizer; resolves with the patched object. A stale `obj` fails with a ConflictError. */
  add<T extends KubeObject>(obj: T, signal?: AbortSignal): Promise<T>;
  /** Removes the finalizer; resolves with the patched object (or the last state, if it was deleted). */
  remove<T extends KubeObject>(obj: T, signal?: AbortSignal): Promise<T>;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Throws {@link FinalizerNameError} unless `name` is `prefix/name` as Kubernetes requires. */
export function validateFinalizerName(name: string): void {
  const slash = name.indexOf('/');
  const prefix = slash < 0 ? '' : name.slice(0, slash);
  const local = name.slice(slash + 1);
  const problem =
    slash < 0
      ? 'has no prefix (finalizers without one are reserved for Kubernetes)'
      : prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)
        ? `has prefix ${JSON.stringify(prefix)}, which is not a lower-case DNS subdomain`
        : local.length > 63 || !QUALIFIED_NAME.test(local)
          ? `has name part ${JSON.stringify(local)}, which must be 1–63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`
          : undefined;
  if (problem !== undefined)
    throw new FinalizerNameError(
      `finalizer ${JSON.stringify(name)} ${problem}; pass a name such as "example.com/my-controller" in the \`finalizer\` option`,
    );
}

/** `<group of the primary kind, or steward.dev>/<controller name>`. */
export function defaultFinalizerName(primary: ResourceRef, controllerName: string): string {
  return `${primary.group === '' ? 'steward.dev' : primary.group}/${controllerName}`;
}

const finalizersOf = (obj: KubeObject): string[] => {
  const list: unknown = obj.metadata?.finalizers;
  return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string') : [];
};

/** A finalizer named `name` on objects of `ref`, written through `client`. */
export function finalizer(options: { name: string; client: KubeClient; ref: ResourceRef }): Finalizer {
  const { name, client, ref } = options;
  validateFinalizerName(name);

  const write = <T extends KubeObject>(obj: T, finalizers: string[], signal?: AbortSignal): Promise<T> => {
    const { namespace, name: objName = '', resourceVersion } = obj.metadata;
    // Merge patches replace lists whole: resourceVersion makes this a compare-and-swap, so a
    // finalizer someone else added meanwhile fails our write (409) instead of being dropped.
    return client.patch<T>(
      ref,
      objName,
      { metadata: { resourceVersion, finalizers } },
      {
        type: 'merge',
        ...(ref.namespaced && namespace ? { namespace } : {}),
        ...(signal ? { signal } : {}),
      },
    );
  };

  return {
    name,
    step(obj) {
      const has = finalizersOf(obj).includes(name);
      if (obj.metadata?.deletionTimestamp) return has ? 'cleanup' : 'skip';
      return has ? 'reconcile' : 'add';
    },
    add: (obj, signal) => write(obj, [...finalizersOf(obj), name], signal),
    remove: (obj, signal) =>
      write(
        obj,
        finalizersOf(obj).filter((f) => f !== name),
        signal,
      ),
  };
}
