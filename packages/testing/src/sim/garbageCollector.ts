/**
 * The simulated garbage collector: Kubernetes' cascading deletion (background, foreground, orphan) over
 * ownerReferences, as controllers on `@steward/core`, for API servers that run no controller-manager.
 * Start with {@link garbageCollectorSimulation}; `garbageCollector/collect.ts` holds the rules.
 */
import { builtin, IndexerError, objectKey } from '@steward/core';
import type { Informer, KubeObject, Manager, ResourceRef } from '@steward/core';
import { collect, OWNER_UID_INDEX } from './garbageCollector/collect.js';
import type { CollectDeps } from './garbageCollector/collect.js';
import {
  crdResources,
  DEFAULT_GC_KINDS,
  groupKind,
  groupOfApiVersion,
  kindRegistry,
} from './garbageCollector/gcKinds.js';
import type { SimulationPart } from './simulationTypes.js';

export { DEFAULT_GC_KINDS } from './garbageCollector/gcKinds.js';

export interface GarbageCollectorOptions {
  /** The kinds watched for owners and dependents. Default {@link DEFAULT_GC_KINDS}. */
  kinds?: readonly ResourceRef[];
  /** Also watch every custom resource, found through its CRD as it becomes Established. Default true. */
  customResources?: boolean;
}

const refId = (ref: ResourceRef): string => `${ref.plural}.${ref.group}`;

/** The part named `garbage-collector`. */
export function garbageCollectorSimulation(options: GarbageCollectorOptions = {}): SimulationPart {
  return {
    name: 'garbage-collector',
    install(manager) {
      const gc = collectorOn(manager);
      for (const ref of options.kinds ?? DEFAULT_GC_KINDS) gc.watch(ref);
      if (options.customResources ?? true) {
        manager.add({
          name: 'garbage-collector/customresourcedefinitions',
          for: builtin.customresourcedefinitions,
          reconcile(crd) {
            const ref = crdResources(crd);
            if (ref !== undefined) gc.watch(ref);
          },
        });
      }
    },
  };
}

/**
 * One controller per watched kind D, woken by D's own changes and, through `watches`, by any watched
 * object that owns a D (its deletion makes the D an orphan) or is owned by one (its deletion may
 * release a D waiting in the foreground). A kind watched later gets, besides its own controller, one
 * bridge controller per earlier kind, since a controller's sources are fixed when it is added.
 */
function collectorOn(manager: Manager): { watch(ref: ResourceRef): void } {
  const kinds = kindRegistry();
  const informers = new Map<string, Informer>();
  const watched: ResourceRef[] = [];
  const deps: CollectDeps = {
    client: manager.client,
    kinds,
    informerOf: (ref) => informers.get(refId(ref)),
    watched: () => watched,
  };

  /** Keys of D objects related to `obj` (as owner or as dependent). */
  const relatedKeys =
    (d: ResourceRef) =>
    (obj: KubeObject): string[] => {
      const keys: string[] = [];
      const uid = obj.metadata.uid;
      if (uid !== undefined)
        for (const dep of informers.get(refId(d))?.store.byIndex(OWNER_UID_INDEX, uid) ?? [])
          keys.push(objectKey(dep));
      const ns = obj.metadata.namespace;
      for (const r of obj.metadata.ownerReferences ?? []) {
        if (groupKind(groupOfApiVersion(r.apiVersion), r.kind) !== groupKind(d.group, d.kind)) continue;
        if (!d.namespaced) keys.push(r.name);
        else if (ns !== undefined && ns !== '') keys.push(`${ns}/${r.name}`);
      }
      return keys;
    };

  const addController = (d: ResourceRef, sources: readonly ResourceRef[], name: string): void => {
    manager.add({
      name,
      for: d,
      watches: sources.map((k) => ({ ref: k, map: relatedKeys(d) })),
      maxConcurrentReconciles: 2,
      async reconcile(obj, ctx) {
        const { requeueAfter } = await collect({ ...deps, client: ctx.client }, d, obj);
        return requeueAfter === undefined ? undefined : { requeueAfter };
      },
    });
  };

  return {
    watch(ref) {
      if (informers.has(refId(ref))) return;
      kinds.add(ref);
      const inf = manager.informers.informer({ ref });
      try {
        inf.store.addIndexer(OWNER_UID_INDEX, (obj) =>
          (obj.metadata.ownerReferences ?? []).map((r) => r.uid),
        );
      } catch (error) {
        // A second collector on one manager shares the informer and its indexer.
        if (!(error instanceof IndexerError)) throw error;
      }
      informers.set(refId(ref), inf);
      const earlier = [...watched];
      watched.push(ref);
      addController(ref, watched, `garbage-collector/${refId(ref)}`);
      for (const d of earlier) addController(d, [ref], `garbage-collector/${refId(d)}/owners/${refId(ref)}`);
    },
  };
}
