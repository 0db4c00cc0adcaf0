/**
 * The simulated namespace controller: a namespace being deleted has everything in it deleted, reports
 * progress in the real controller's status conditions, and loses its `kubernetes` finalizer (through
 * the `/finalize` subresource) once empty, so the API server lets it go. Start with
 * {@link namespaceSimulation}; `namespaces/namespaceContent.ts` does the work.
 */
import { builtin } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { deleteContent, deletionConditions, finalizeNamespace } from './namespaces/namespaceContent.js';
import type { NamespaceCondition } from './namespaces/namespaceContent.js';
import type { SimulationPart } from './simulationTypes.js';

export interface NamespaceSimulationOptions {
  /** How soon a namespace whose content is still going is looked at again. Default 500 ms. */
  recheckMs?: number;
}

const KUBERNETES_FINALIZER = 'kubernetes';

/** The part named `namespaces`. */
export function namespaceSimulation(options: NamespaceSimulationOptions = {}): SimulationPart {
  const recheckMs = options.recheckMs ?? 500;
  return {
    name: 'namespaces',
    install(manager) {
      manager.add({
        name: 'namespaces',
        for: builtin.namespaces,
        maxConcurrentReconciles: 2,
        async reconcile(ns, ctx) {
          const spec = (ns['spec'] ?? {}) as { finalizers?: string[] };
          const finalizers = spec.finalizers ?? [];
          if (ns.metadata.deletionTimestamp === undefined || !finalizers.includes(KUBERNETES_FINALIZER))
            return undefined;
          const name = ns.metadata.name ?? '';
          const outcome = await deleteContent(ctx.client, name);
          const conditions = withTransitionTimes(ns, deletionConditions(outcome));
          const status = (ns['status'] ?? {}) as { conditions?: NamespaceCondition[] };
          if (!sameConditions(status.conditions ?? [], conditions))
            await ctx.client.patchStatus(builtin.namespaces, name, { status: { conditions } });
          const done =
            outcome.remaining.size === 0 && outcome.deleteErrors.length === 0 && !outcome.discoveryError;
          if (!done) return { requeueAfter: recheckMs };
          const fresh = await ctx.client.get(builtin.namespaces, name);
          const left = ((fresh['spec'] ?? {}) as { finalizers?: string[] }).finalizers ?? [];
          await finalizeNamespace(
            ctx.client,
            fresh,
            left.filter((f) => f !== KUBERNETES_FINALIZER),
          );
          return undefined;
        },
      });
    },
  };
}

/** `lastTransitionTime` moves only when a condition's status changes. */
function withTransitionTimes(ns: KubeObject, next: NamespaceCondition[]): NamespaceCondition[] {
  const old = ((ns['status'] ?? {}) as { conditions?: NamespaceCondition[] }).conditions ?? [];
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return next.map((c) => {
    const before = old.find((o) => o.type === c.type);
    const lastTransitionTime =
      before?.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : now;
    return { ...c, lastTransitionTime };
  });
}

const line = (c: NamespaceCondition): string =>
  [c.type, c.status, c.reason, c.message, c.lastTransitionTime ?? ''].join('\u0000');

/** Compared field by field: the server may keep a condition's keys in another order. */
function sameConditions(a: readonly NamespaceCondition[], b: readonly NamespaceCondition[]): boolean {
  return a.length === b.length && a.every((c, i) => b[i] !== undefined && line(c) === line(b[i]));
}
