/**
 * The reconcile context's cached reader: `get` and `list` answered from the shared informers, with
 * an informer created, started and synced on the first read of a kind. Start with
 * {@link cachedReader}; the controller also asks it which of its informers cover an object, for
 * read-your-writes.
 */
import type { KubeObject, ResourceRef } from '../client/types.js';
import type { Informer } from '../informer/informerTypes.js';
import type { SharedInformerFactory } from '../informer/sharedInformerFactory.js';
import { NAMESPACE_INDEX } from '../informer/store.js';
import type { CachedReader } from './controllerTypes.js';
import { labelSelector } from './labelSelector.js';

export interface ControllerInformers {
  /**
   * The informer for `ref`: restricted to the controller's namespace when it has one (or to
   * `namespace` when a read asks for another one), else cluster-wide.
   */
  informerFor<S extends KubeObject>(ref: ResourceRef, namespace?: string): Informer<S>;
  /** Informers this controller created that would cache an object of `ref` in `namespace`. */
  covering(ref: ResourceRef, namespace: string | undefined): Informer[];
  reader(signal: AbortSignal): CachedReader;
}

const refId = (ref: ResourceRef): string => `${ref.plural}.${ref.group}/${ref.version}`;

/** The controller's view of the shared factory; `namespace` is the controller's namespace option. */
export function cachedReader(
  factory: SharedInformerFactory,
  namespace: string | undefined,
): ControllerInformers {
  // refId → informer namespace ('' = all) → informer; only the unfiltered informers we asked for.
  const known = new Map<string, Map<string, Informer>>();

  function informerFor<S extends KubeObject>(ref: ResourceRef, wanted?: string): Informer<S> {
    const ns = !ref.namespaced ? '' : (namespace ?? '') === '' ? '' : (wanted ?? namespace ?? '');
    const inf = factory.informer<S>({ ref, ...(ns === '' ? {} : { namespace: ns }) });
    let byNs = known.get(refId(ref));
    if (byNs === undefined) known.set(refId(ref), (byNs = new Map()));
    byNs.set(ns, inf);
    return inf;
  }

  async function synced<S extends KubeObject>(
    ref: ResourceRef,
    ns: string | undefined,
    signal: AbortSignal,
  ): Promise<Informer<S>> {
    const inf = informerFor<S>(ref, ns === '' ? undefined : ns);
    // The factory starts informers created after its start; this covers a reader used before it.
    inf.start();
    if (!inf.hasSynced()) await inf.waitForSync(signal);
    return inf;
  }

  return {
    informerFor,
    covering(ref, ns) {
      const byNs = known.get(refId(ref));
      if (byNs === undefined) return [];
      return [...byNs.entries()].filter(([n]) => n === '' || n === ns).map(([, inf]) => inf);
    },
    reader(signal) {
      return {
        async get<S extends KubeObject>(
          ref: ResourceRef,
          name: string,
          options: { namespace?: string } = {},
        ) {
          const ns = ref.namespaced ? options.namespace : undefined;
          const inf = await synced<S>(ref, ns, signal);
          return inf.store.get(ns ? `${ns}/${name}` : name);
        },
        async list<S extends KubeObject>(
          ref: ResourceRef,
          options: { namespace?: string; labelSelector?: string } = {},
        ) {
          const ns = ref.namespaced && options.namespace ? options.namespace : undefined;
          const matches = options.labelSelector ? labelSelector(options.labelSelector) : undefined;
          const inf = await synced<S>(ref, ns, signal);
          const items = ns === undefined ? inf.store.list() : inf.store.byIndex(NAMESPACE_INDEX, ns);
          return matches === undefined ? items : items.filter((o) => matches(o.metadata.labels));
        },
      };
    },
  };
}
