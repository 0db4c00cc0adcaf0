/**
 * The cluster's reported state: per-instance rows, the phase and the Ready / Progressing / Degraded
 * conditions, computed from what was observed. Start with {@link reportStatus}.
 */
import type { ReconcileContext } from '@steward/core';
import type { InstanceReport, Phase } from '../api/postgresCluster.js';
import type { ObservedInstance } from './planning.js';

export function instanceReports(
  instances: readonly ObservedInstance[],
  primary: string | undefined,
): InstanceReport[] {
  return instances.map((i) => {
    const row: InstanceReport = {
      name: i.name,
      role: i.db?.role ?? (i.name === primary ? 'primary' : 'unknown'),
      ready: i.ready,
      updated: i.updated,
    };
    if (i.db !== undefined) {
      row.lsn = i.db.lsn;
      row.timeline = i.db.timeline;
      if (i.db.lagBytes !== undefined) row.lagBytes = i.db.lagBytes;
      if (i.db.streamingFrom !== undefined) row.streamingFrom = i.db.streamingFrom;
    }
    return row;
  });
}

export interface StatusInput {
  instances: readonly ObservedInstance[];
  primary: string | undefined;
  phase: Phase;
  /** Why the cluster is not settled (the Progressing message), or undefined when it is. */
  progress?: string;
  /** Why the cluster cannot serve writes, or undefined. */
  degraded?: { reason: string; message: string };
}

/** Sets status fields and conditions on the reconcile's status updater (committed when it returns). */
export function reportStatus(ctx: ReconcileContext, input: StatusInput): void {
  const ready = input.instances.filter((i) => i.ready).length;
  ctx.status.set({
    phase: input.phase,
    readyInstances: ready,
    instances: instanceReports(input.instances, input.primary),
    ...(input.primary === undefined ? {} : { currentPrimary: input.primary }),
  });
  const settled = input.progress === undefined && input.degraded === undefined;
  ctx.status.setCondition({
    type: 'Ready',
    status: settled ? 'True' : 'False',
    reason: settled ? 'AllInstancesStreaming' : input.phase,
    message: settled
      ? `${ready} instances ready, primary ${input.primary ?? ''}`
      : (input.progress ?? input.degraded?.message ?? ''),
  });
  ctx.status.setCondition({
    type: 'Progressing',
    status: input.progress === undefined ? 'False' : 'True',
    reason: input.progress === undefined ? 'Settled' : input.phase,
    message: input.progress ?? 'nothing to do',
  });
  ctx.status.setCondition({
    type: 'Degraded',
    status: input.degraded === undefined ? 'False' : 'True',
    reason: input.degraded?.reason ?? 'PrimaryAvailable',
    message: input.degraded?.message ?? 'the primary accepts writes',
  });
}
