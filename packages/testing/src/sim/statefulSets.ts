/**
 * `statefulSetSimulation()`: Kubernetes' StatefulSet controller as a simulation part, written on
 * `@steward/core` so it runs against the embedded API server (which has no controllers) or any other.
 * Start here; `statefulSets/syncStatefulSet.ts` holds the ordering rules and `statefulSets/statefulSetPods.ts`
 * what a set's Pods and claims look like.
 */
import { builtin } from '@steward/core';
import type { Manager } from '@steward/core';
import { syncStatefulSet } from './statefulSets/syncStatefulSet.js';
import type { RevisionHistory } from './statefulSets/syncStatefulSet.js';
import type { Pod, StatefulSet } from './statefulSets/statefulSetPods.js';
import type { SimulationPart } from './simulationTypes.js';

export interface StatefulSetSimulationOptions {
  /** The controller's name in logs and metrics (default `statefulset-simulation`). */
  name?: string;
  /** Only sets in this namespace (default all). */
  namespace?: string;
  /** Sets reconciled at once (default 4; one set is never reconciled by two workers). */
  concurrency?: number;
}

/**
 * The StatefulSet controller: Pods `<set>-<ordinal>` with the template's labels plus
 * `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index` and `controller-revision-hash`;
 * claims `<template>-<set>-<ordinal>` made before their Pod and kept (or owned, per
 * `persistentVolumeClaimRetentionPolicy`); OrderedReady and Parallel; RollingUpdate with a partition,
 * highest ordinal first, and OnDelete; status with revisions and replica counts.
 */
export function statefulSetSimulation(options: StatefulSetSimulationOptions = {}): SimulationPart {
  // Templates by revision name per set uid: ControllerRevisions are not served by the embedded server,
  // so the revisions this process has seen stand in for them.
  const histories = new Map<string, RevisionHistory>();
  return {
    name: 'statefulsets',
    install(manager: Manager): void {
      manager.add<StatefulSet>({
        name: options.name ?? 'statefulset-simulation',
        for: builtin.statefulsets,
        owns: [builtin.pods],
        ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
        maxConcurrentReconciles: options.concurrency ?? 4,
        async reconcile(set, ctx) {
          const uid = set.metadata.uid ?? '';
          let history = histories.get(uid);
          if (!history) histories.set(uid, (history = new Map()));
          const namespace = set.metadata.namespace ?? '';
          const all = await ctx.reader.list<Pod>(builtin.pods, { namespace });
          const pods = all.filter((p) =>
            p.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === uid),
          );
          const { status, requeueAfter } = await syncStatefulSet(ctx, set, pods, history);
          ctx.status.set({ ...status });
          return requeueAfter !== undefined ? { requeueAfter } : undefined;
        },
      });
    },
  };
}
