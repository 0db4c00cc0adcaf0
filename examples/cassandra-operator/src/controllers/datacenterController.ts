/**
 * The CassandraDatacenter controller: applies the rack StatefulSets, Services and PDB, then takes the
 * one step `plan.ts` decides (start a node, decommission one, shrink a rack after it left, restart
 * one, clean up), labels seeds, and reports status. Start with {@link DatacenterController.reconcile}.
 *
 * Flow: observe (cache + ring) → decide one step → apply children (replicas as the step says) → act
 * → seeds → status. Guarantees: at most one node joins or leaves at a time; a pod goes only after its
 * node left the ring; a claim goes only when marked with the hostId that left and the ring agrees.
 * Assumptions: admin calls are idempotent (a crash repeats them). Errors: a failing admin call fails
 * the reconcile, which retries with backoff; the intent is already on the pod's label.
 */
import { builtin, Controller, NotFoundError } from '@steward/core';
import type { ContextOf, KubeObject, ReconcileResult } from '@steward/core';
import { CassandraAdminError } from '../admin/adminErrors.js';
import type { CassandraAdmin } from '../admin/cassandraAdmin.js';
import { CassandraDatacenter, specOf } from '../api/cassandraDatacenter.js';
import type { Datacenter } from '../api/cassandraDatacenter.js';
import { ANNOTATIONS, LABELS, NODE_STATES } from '../resources/labels.js';
import { nodesService, podDisruptionBudget, seedService } from '../resources/services.js';
import { rackStatefulSet } from '../resources/statefulSet.js';
import { statusFor } from './datacenterStatus.js';
import { defaultResolveNode, observe } from './observe.js';
import type { Observed, ResolveNode } from './observe.js';
import { canAbsorb, chooseSeeds, isHealthy, nextStep } from './plan.js';
import type { NodeView, Step } from './plan.js';

type Ctx = ContextOf<Datacenter>;

export interface DatacenterControllerOptions {
  admin: CassandraAdmin;
  /** How to reach a pod's management API (default: its IP, port 8080). */
  resolveNode?: ResolveNode;
  /** How often to look at the ring while nodes join, leave or restart (default 2 s; ring changes send no events). */
  pollIntervalMs?: number;
  /** How often to look at the ring when nothing is in progress (default 30 s), to notice a node going down. */
  resyncIntervalMs?: number;
}

/** Pods and claims carry the datacenter label, not an owner reference to it: map them back by label. */
const byDatacenter = (obj: KubeObject): string[] => {
  const dc = obj.metadata.labels?.[LABELS.datacenter];
  return dc === undefined ? [] : [`${obj.metadata.namespace ?? ''}/${dc}`];
};

@Controller({
  for: CassandraDatacenter,
  name: 'cassandradatacenter',
  owns: [builtin.statefulsets, builtin.services, builtin.poddisruptionbudgets],
  watches: [
    { kind: builtin.pods, map: byDatacenter },
    { kind: builtin.persistentvolumeclaims, map: byDatacenter },
  ],
})
export class DatacenterController {
  private readonly admin: CassandraAdmin;
  private readonly resolveNode: ResolveNode;
  private readonly pollMs: number;
  private readonly resyncMs: number;

  constructor(options: DatacenterControllerOptions) {
    this.admin = options.admin;
    this.resolveNode = options.resolveNode ?? defaultResolveNode;
    this.pollMs = options.pollIntervalMs ?? 2000;
    this.resyncMs = options.resyncIntervalMs ?? 30_000;
  }

  async reconcile(dc: Datacenter, ctx: Ctx): Promise<ReconcileResult> {
    await ctx.apply(builtin.services, ctx.own(seedService(dc)));
    await ctx.apply(builtin.services, ctx.own(nodesService(dc)));
    await ctx.apply(builtin.poddisruptionbudgets, ctx.own(podDisruptionBudget(dc)));

    const observed = await observe(dc, ctx.reader, this.admin, this.resolveNode);
    const step = nextStep(observed.view);
    ctx.log.debug('next step', { step: step.kind, ...(step.kind === 'wait' ? { reason: step.reason } : {}) });

    // `stopped`: flush every node to disk before its pod goes, so a restart replays no commit log
    // (a node that cannot be reached is down already: nothing of it to flush).
    if (step.kind === 'stop') {
      for (const node of step.drain)
        await this.admin.drain(this.node(observed, node)).catch(ignoreUnreachable);
    }
    await this.applyRacks(dc, ctx, observed, step);
    let refused: string | undefined;
    let shown = step;
    try {
      refused = await this.act(dc, ctx, observed, step);
    } catch (error) {
      // Cassandra said "not now" (a node restarting, a range movement under way): look again soon,
      // without the controller's growing backoff. The intent is on the pod's label already.
      if (!isRetryableAdminError(error)) throw error;
      void ctx.events.warning('CassandraBusy', `${step.kind}: ${error.message}`);
      shown = { kind: 'wait', reason: 'CassandraBusy', message: error.message };
    }
    await this.labelSeeds(ctx, observed);

    const { fields, conditions } = statusFor(dc, observed.view, shown, refused);
    ctx.status.set(fields);
    for (const condition of conditions) ctx.status.setCondition(condition);

    const settled = shown.kind === 'done' || refused !== undefined;
    return { requeueAfter: settled ? this.resyncMs : this.pollMs };
  }

  /**
   * Deleting the datacenter: its StatefulSets are owned and go with it, but the claims are retained
   * on purpose, so remove them here, once no pod mounts them.
   */
  async cleanup(dc: Datacenter, ctx: Ctx): Promise<ReconcileResult> {
    const namespace = dc.metadata.namespace ?? '';
    const selector = { namespace, labelSelector: `${LABELS.datacenter}=${dc.metadata.name ?? ''}` };
    for (const set of await ctx.reader.list(builtin.statefulsets, selector)) {
      const replicas = (set['spec'] as { replicas?: number }).replicas ?? 0;
      if (replicas > 0)
        await ctx.client.patch(
          builtin.statefulsets,
          set.metadata.name ?? '',
          { spec: { replicas: 0 } },
          { namespace },
        );
    }
    if ((await ctx.reader.list(builtin.pods, selector)).length > 0) return { requeueAfter: this.pollMs };
    for (const claim of await ctx.reader.list(builtin.persistentvolumeclaims, selector)) {
      await ctx.client
        .delete(builtin.persistentvolumeclaims, claim.metadata.name ?? '', {
          namespace,
          preconditions: { uid: claim.metadata.uid ?? '' },
        })
        .catch(ignoreNotFound);
    }
    return undefined;
  }

  /** Every rack's StatefulSet on the current template, with the replicas the step leaves it. */
  private async applyRacks(dc: Datacenter, ctx: Ctx, observed: Observed, step: Step): Promise<void> {
    const spec = specOf(dc);
    for (const rack of observed.view.racks) {
      let replicas = rack.replicas;
      if (step.kind === 'growRacks' && step.racks.some((r) => r.name === rack.name)) replicas = rack.desired;
      if (step.kind === 'shrinkRack' && step.rack === rack.name) replicas = step.replicas;
      if (step.kind === 'stop') replicas = 0;
      if (!observed.statefulSets.has(rack.name) && replicas === 0 && rack.desired === 0) continue;
      const shape = spec.racks.find((r) => r.name === rack.name) ?? { name: rack.name };
      await ctx.apply(builtin.statefulsets, ctx.own(rackStatefulSet(dc, shape, replicas)));
    }
  }

  /** Carries out the step's actions; returns why a scale-down was refused, if it was. */
  private async act(dc: Datacenter, ctx: Ctx, observed: Observed, step: Step): Promise<string | undefined> {
    const namespace = dc.metadata.namespace ?? '';
    switch (step.kind) {
      case 'deleteClaim':
        // Keyed by uid: a claim recreated under the same name since we looked is not ours to delete.
        await ctx.client
          .delete(builtin.persistentvolumeclaims, step.claim.name, {
            namespace,
            preconditions: { uid: step.claim.uid },
          })
          .catch(ignoreNotFound);
        void ctx.events.normal(
          'ClaimDeleted',
          `deleted ${step.claim.name}: its node ${step.claim.leftRing ?? ''} left the ring`,
        );
        return undefined;
      case 'markLeft': {
        const patch = { metadata: { annotations: { [ANNOTATIONS.leftRing]: step.hostId } } };
        await ctx.client.patch(builtin.persistentvolumeclaims, step.claim.name, patch, { namespace });
        return undefined;
      }
      case 'shrinkRack':
        void ctx.events.normal(
          'NodeLeft',
          `${step.node.pod} left the ring; shrinking rack ${step.rack} to ${step.replicas}`,
        );
        return undefined;
      case 'redecommission':
        await this.admin.decommission(this.node(observed, step.node));
        return undefined;
      case 'start': {
        await this.setNodeState(ctx, namespace, step.node, NODE_STATES.starting);
        await this.admin.start(this.node(observed, step.node), { seeds: step.seeds });
        void ctx.events.normal(
          'StartingNode',
          `starting Cassandra on ${step.node.pod} (seeds ${step.seeds.join(', ')})`,
        );
        return undefined;
      }
      case 'markStarted':
        await this.setNodeState(ctx, namespace, step.node, NODE_STATES.started);
        return undefined;
      case 'decommission':
        return this.decommission(ctx, namespace, observed, step.node, step.remaining);
      case 'cleanup':
        // The node no longer owns the ranges the new nodes took: drop that data (status records it done).
        await this.admin.cleanup(this.node(observed, step.node));
        observed.view.pendingCleanup = observed.view.pendingCleanup.filter((p) => p !== step.node.pod);
        return undefined;
      case 'restart': {
        // Intent first, on the pod: a drained node is down until its pod is recreated, so a drain
        // whose delete never happened (a crash, a 409) must be finished by the next reconcile.
        if (!step.node.restarting) {
          const patch = { metadata: { annotations: { [ANNOTATIONS.restarting]: 'true' } } };
          await ctx.client.patch(builtin.pods, step.node.pod, patch, { namespace });
        }
        // Drain: memtables flushed, no writes accepted, so the restart loses nothing.
        await this.admin.drain(this.node(observed, step.node)).catch(ignoreUnreachable);
        await ctx.client
          .delete(builtin.pods, step.node.pod, { namespace, preconditions: { uid: step.node.uid } })
          .catch(ignoreNotFound);
        void ctx.events.normal(
          'RestartingNode',
          `drained and restarting ${step.node.pod} on the new template`,
        );
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /**
   * Starts a scale-down of one node, unless the nodes that stay cannot take its data. The label goes
   * on first: if the operator dies right after, the next one sees the intent and re-issues it.
   */
  private async decommission(
    ctx: Ctx,
    namespace: string,
    observed: Observed,
    node: NodeView,
    remaining: NodeView[],
  ): Promise<string | undefined> {
    const load = node.member?.load ?? 0;
    const free = await Promise.all(
      remaining
        .filter(isHealthy)
        .map(async (n) => ({ pod: n.pod, free: await this.admin.freeSpace(this.node(observed, n)) })),
    );
    const refused = canAbsorb(load, free);
    if (refused !== undefined) {
      void ctx.events.warning('ScaleDownRefused', `not removing ${node.pod}: ${refused}`);
      return refused;
    }
    await this.setNodeState(ctx, namespace, node, NODE_STATES.decommissioning);
    await this.admin.decommission(this.node(observed, node));
    void ctx.events.normal('DecommissioningNode', `decommissioning ${node.pod} (${load} bytes to stream)`);
    return undefined;
  }

  /** `seed: "true"` on the chosen Ready pods only, and off every other pod. */
  private async labelSeeds(ctx: Ctx, observed: Observed): Promise<void> {
    const seeds = chooseSeeds(observed.view);
    for (const node of observed.view.nodes) {
      const want = seeds.has(node.pod);
      if (want === node.seed || node.terminating) continue;
      const labels = { [LABELS.seed]: want ? 'true' : null };
      const namespace = observed.pods.get(node.pod)?.metadata.namespace ?? '';
      await ctx.client
        .patch(builtin.pods, node.pod, { metadata: { labels } }, { namespace })
        .catch(ignoreNotFound);
    }
  }

  private async setNodeState(ctx: Ctx, namespace: string, node: NodeView, state: string): Promise<void> {
    if (node.state === state) return;
    await ctx.client.patch(
      builtin.pods,
      node.pod,
      { metadata: { labels: { [LABELS.nodeState]: state } } },
      { namespace },
    );
  }

  private node(observed: Observed, node: NodeView): ReturnType<ResolveNode> {
    const pod = observed.pods.get(node.pod);
    if (pod === undefined) throw new TypeError(`pod ${node.pod} vanished from the cache`);
    return this.resolveNode(pod);
  }
}

function isRetryableAdminError(error: unknown): error is CassandraAdminError {
  return error instanceof CassandraAdminError && error.retryable;
}

function ignoreUnreachable(error: unknown): void {
  if (!(error instanceof CassandraAdminError && error.code === 'CASSANDRA_UNREACHABLE')) throw error;
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof NotFoundError)) throw error;
}
