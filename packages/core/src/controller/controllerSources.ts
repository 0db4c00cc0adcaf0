/**
 * The controller's event sources: the primary kind (through predicates), owned kinds (to their
 * controller owner's key) and watched kinds (through a map), each turning informer events into queue
 * keys. Start with {@link controllerSources}; controller.ts subscribes them on start.
 */
import type { Subscription } from 'rxjs';
import type { KubeObject, OwnerReference, ResourceRef } from '../client/types.js';
import type { InformerEvent } from '../informer/informerTypes.js';
import { objectKey } from '../informer/store.js';
import type { WorkQueue } from '../queue/types.js';
import { isPaused } from '../reconcile/paused.js';
import type { ControllerInformers } from './cachedReader.js';
import type { ControllerOptions } from './controllerTypes.js';

export interface Source {
  subscribe(subscriptions: Subscription[]): void;
  sync(signal?: AbortSignal): Promise<void>;
}

/** `isPaused` that calls a malformed object not paused instead of throwing. */
export const pausedSafe = (obj: KubeObject | undefined): boolean => {
  try {
    return obj !== undefined && isPaused(obj);
  } catch {
    return false;
  }
};

export function controllerSources<T extends KubeObject>(
  options: ControllerOptions<T>,
  cache: ControllerInformers,
  queue: WorkQueue<string>,
  dropped: (message: string, error: unknown) => void,
): Source[] {
  const predicates = options.predicates ?? [];
  const ownerKeyOf = ownerKeyFunc(options.for);
  const sources: Source[] = [];

  // Each source turns an event into keys; a throw from user code (a map function, a predicate) or a
  // malformed object drops that event with a log line instead of ending the subscription.
  const addSource = <S extends KubeObject>(
    ref: ResourceRef,
    keysOf: (e: InformerEvent<S>) => Iterable<string>,
  ): void => {
    const inf = cache.informerFor<S>(ref);
    sources.push({
      subscribe: (subs) =>
        subs.push(
          inf.events$.subscribe((event) => {
            try {
              for (const key of keysOf(event)) {
                if (typeof key === 'string' && key !== '') queue.add(key, { initial: event.initial });
              }
            } catch (error) {
              dropped(`dropped a ${ref.kind} ${event.type} event: mapping it to keys threw`, error);
            }
          }),
        ),
      sync: (signal) => inf.waitForSync(signal),
    });
  };

  addSource<T>(options.for, (e) => {
    if (e.type === 'update' && e.oldObject !== undefined) {
      const { oldObject, object } = e;
      // Unpausing is a metadata-only change that predicates such as generationChanged would drop,
      // and it must reconcile: whatever changed while paused has not been acted on.
      if (pausedSafe(oldObject) === pausedSafe(object) && !predicates.every((p) => p(oldObject, object)))
        return [];
    }
    return [objectKey(e.object)];
  });
  for (const ref of options.owns ?? []) {
    addSource(ref, (e) => {
      const keys = new Set<string>();
      for (const obj of [e.oldObject, e.object]) {
        const key = obj === undefined ? undefined : ownerKeyOf(obj);
        if (key !== undefined) keys.add(key);
      }
      return keys;
    });
  }
  for (const source of options.watches ?? []) {
    addSource(source.ref, (e) => {
      const keys = source.map(e.object);
      return Array.isArray(keys) ? keys : [];
    });
  }
  return sources;
}

/** Maps an owned object to its controller owner's key, when that owner is of the primary kind. */
function ownerKeyFunc(primary: ResourceRef): (obj: KubeObject) => string | undefined {
  return (obj) => {
    const refs: unknown = obj.metadata?.ownerReferences;
    if (!Array.isArray(refs)) return undefined;
    const owner = (refs as OwnerReference[]).find((r) => r?.controller === true);
    if (owner === undefined || owner.kind !== primary.kind || typeof owner.name !== 'string')
      return undefined;
    if (groupOf(owner.apiVersion) !== primary.group) return undefined;
    if (!primary.namespaced) return owner.name;
    const ns = obj.metadata.namespace;
    return ns ? `${ns}/${owner.name}` : undefined;
  };
}

function groupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
