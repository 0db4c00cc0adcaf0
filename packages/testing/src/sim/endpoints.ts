/**
 * The simulated endpoints controller: keeps a core/v1 Endpoints object, named after each Service with
 * a selector, listing the selected pods' IPs (ready ones in `addresses`, others in
 * `notReadyAddresses`) and the Service's ports; deletes it when the Service goes. Start with
 * {@link endpointsSimulation}; `endpoints/endpointSubsets.ts` computes the addresses.
 */
import { builtin, NotFoundError } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { matchesLabelSelector } from './kubelet/selectors.js';
import { endpointSubsets, serviceSpec } from './endpoints/endpointSubsets.js';
import type { SimulationPart } from './simulationTypes.js';

export interface EndpointsSimulationOptions {
  /** Only Services (and pods) of this namespace. Default: every namespace. */
  namespace?: string;
}

/** Endpoints kept for leader election (an old client-go lock) are not a Service's: never deleted. */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

const ignoreNotFound = (error: unknown): void => {
  if (!(error instanceof NotFoundError)) throw error;
};

export function endpointsSimulation(options: EndpointsSimulationOptions = {}): SimulationPart {
  const scope = options.namespace === undefined ? {} : { namespace: options.namespace };
  /** Endpoints this part wrote: only those are deleted with their Service (others may be a user's). */
  const managed = new Set<string>();
  return {
    name: 'endpoints',
    install(manager) {
      const services = manager.informers.informer({ ref: builtin.services, ...scope });
      manager.add({
        name: 'steward-sim-endpoints',
        for: builtin.services,
        ...scope,
        // A pod's change concerns every Service of its namespace (its old labels may have matched one).
        watches: [
          {
            ref: builtin.pods,
            map: (pod) =>
              services.store
                .list()
                .filter((s) => s.metadata.namespace === pod.metadata.namespace)
                .map((s) => `${s.metadata.namespace ?? ''}/${s.metadata.name ?? ''}`),
          },
        ],
        async reconcile(service, ctx) {
          const spec = serviceSpec(service);
          if (spec.selector === undefined || Object.keys(spec.selector).length === 0) return undefined;
          const pods = (await ctx.reader.list(builtin.pods, { namespace: ctx.namespace ?? '' })).filter((p) =>
            matchesLabelSelector({ matchLabels: spec.selector ?? {} }, p.metadata.labels),
          );
          const subsets = endpointSubsets(service, pods);
          const labels: Record<string, string> = { ...service.metadata.labels };
          if (spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
          const current = await ctx.reader.get(builtin.endpoints, ctx.name, {
            namespace: ctx.namespace ?? '',
          });
          const desired: KubeObject = {
            apiVersion: 'v1',
            kind: 'Endpoints',
            metadata: { name: ctx.name, namespace: ctx.namespace ?? '', labels },
            subsets,
          };
          managed.add(ctx.key);
          if (current === undefined) {
            await ctx.client.create(builtin.endpoints, desired);
            return undefined;
          }
          const same =
            JSON.stringify(current['subsets'] ?? []) === JSON.stringify(subsets) &&
            JSON.stringify(current.metadata.labels ?? {}) === JSON.stringify(labels);
          if (!same)
            await ctx.client.replace(builtin.endpoints, {
              ...desired,
              metadata: { ...current.metadata, labels },
            });
          return undefined;
        },
      });
      manager.add({
        name: 'steward-sim-endpoints-cleanup',
        for: builtin.endpoints,
        ...scope,
        watches: [
          { ref: builtin.services, map: (s) => [`${s.metadata.namespace ?? ''}/${s.metadata.name ?? ''}`] },
        ],
        async reconcile(endpoints, ctx) {
          if (!managed.has(ctx.key) || endpoints.metadata.annotations?.[LEADER_ANNOTATION] !== undefined)
            return undefined;
          const service = await ctx.reader.get(builtin.services, ctx.name, {
            namespace: ctx.namespace ?? '',
          });
          if (service !== undefined) return undefined;
          await ctx.client
            .delete(builtin.endpoints, ctx.name, {
              namespace: ctx.namespace ?? '',
              preconditions: { uid: endpoints.metadata.uid ?? '' },
            })
            .catch(ignoreNotFound);
          managed.delete(ctx.key);
          return undefined;
        },
      });
    },
  };
}
