/**
 * The KafkaCluster controller: applies the shared objects (config, Services, PDBs), then takes the one
 * step `plan.ts` decides — create nodes, move partitions off a leaving broker, remove it and
 * unregister it, apply live settings, restart one node, raise metadata.version — and reports status.
 * Start with {@link ClusterController.reconcile}.
 *
 * Flow: shared objects → observe (cache + Admin API) → decide one step → act → status.
 * Guarantees: at most one node joins or leaves at a time; a broker's pod is deleted only once it
 * holds no partition replica; a broker restarts only when no partition would drop below
 * `min.insync.replicas` and every other broker is back in every ISR; metadata.version is raised
 * only once every node runs the new version. Assumptions: admin calls are idempotent (a crash repeats
 * them); pods are deleted with a uid precondition, so a recreated pod is never mistaken for the old.
 * Errors: a retryable admin error becomes a Warning event and a short requeue; others fail the
 * reconcile, which retries with backoff.
 */
import { AlreadyExistsError, builtin, Controller, NotFoundError } from '@steward/core';
import type { ContextOf, KubeObject, ReconcileResult } from '@steward/core';
import type { KafkaAdmin } from '../admin/kafkaAdmin.js';
import { KafkaAdminError } from '../admin/kafkaErrors.js';
import { KafkaCluster } from '../api/kafkaCluster.js';
import type { Cluster } from '../api/kafkaCluster.js';
import { ANNOTATIONS, LABELS, names } from '../resources/labels.js';
import { dynamicConfig, nodeClaim, nodePod } from '../resources/nodePod.js';
import { bootstrapService, configMap, nodesService, podDisruptionBudget } from '../resources/services.js';
import { clusterStatus } from './clusterStatus.js';
import { observeCluster } from './observe.js';
import type { ClusterView, Step } from './plan.js';
import { nextStep } from './plan.js';

type Ctx = ContextOf<Cluster>;

export interface ClusterControllerOptions {
  admin: KafkaAdmin;
  /** How often to look at Kafka while something is in progress (default 2 s: Kafka sends no events). */
  pollIntervalMs?: number;
  /** How often to look when all is settled (default 30 s), to notice a broker falling out of an ISR. */
  resyncIntervalMs?: number;
}

/** Pods and claims carry the cluster label (and an owner reference); map them back by label. */
const byCluster = (obj: KubeObject): string[] => {
  const cluster = obj.metadata.labels?.[LABELS.cluster];
  return cluster === undefined ? [] : [`${obj.metadata.namespace ?? ''}/${cluster}`];
};

@Controller({
  for: KafkaCluster,
  name: 'kafkacluster',
  owns: [builtin.services, builtin.poddisruptionbudgets, builtin.configmaps],
  watches: [
    { kind: builtin.pods, map: byCluster },
    { kind: builtin.persistentvolumeclaims, map: byCluster },
  ],
})
export class ClusterController {
  private readonly admin: KafkaAdmin;
  private readonly pollMs: number;
  private readonly resyncMs: number;

  constructor(options: ClusterControllerOptions) {
    this.admin = options.admin;
    this.pollMs = options.pollIntervalMs ?? 2000;
    this.resyncMs = options.resyncIntervalMs ?? 30_000;
  }

  async reconcile(cluster: Cluster, ctx: Ctx): Promise<ReconcileResult> {
    await ctx.apply(builtin.configmaps, ctx.own(configMap(cluster)));
    await ctx.apply(builtin.services, ctx.own(nodesService(cluster)));
    await ctx.apply(builtin.services, ctx.own(bootstrapService(cluster)));
    await ctx.apply(builtin.poddisruptionbudgets, ctx.own(podDisruptionBudget(cluster, 'controller')));
    await ctx.apply(builtin.poddisruptionbudgets, ctx.own(podDisruptionBudget(cluster, 'broker')));

    const { view, address } = await observeCluster(cluster, ctx, this.admin);
    const plan = nextStep(view);
    let step: Step = plan.step;
    ctx.log.debug('next step', { step: step.kind, ...(step.kind === 'wait' ? { reason: step.reason } : {}) });
    try {
      await this.act(cluster, ctx, view, step, address);
    } catch (error) {
      // Kafka said "not now" (a broker restarting, an election): look again soon, without the
      // controller's growing backoff. Every step is safe to repeat.
      if (!(error instanceof KafkaAdminError && error.retryable)) throw error;
      void ctx.events.warning('KafkaBusy', `${step.kind}: ${error.message}`);
      step = { kind: 'wait', reason: 'KafkaBusy', message: error.message };
    }
    if (plan.refusal !== undefined) void ctx.events.warning('ScaleDownRefused', plan.refusal);

    const { fields, conditions } = clusterStatus(view, { ...plan, step });
    ctx.status.set(fields);
    for (const condition of conditions) ctx.status.setCondition(condition);
    const settled = step.kind === 'done';
    return { requeueAfter: settled ? this.resyncMs : this.pollMs };
  }

  private async act(
    cluster: Cluster,
    ctx: Ctx,
    view: ClusterView,
    step: Step,
    address: Parameters<KafkaAdmin['describeCluster']>[0],
  ): Promise<void> {
    const namespace = cluster.metadata.namespace ?? '';
    const name = cluster.metadata.name ?? '';
    switch (step.kind) {
      case 'create':
        for (const node of step.nodes) {
          // The claim first: the pod mounts it, and it outlives the pod so a restart keeps the log.
          await ctx.client
            .create(builtin.persistentvolumeclaims, ctx.own(nodeClaim(cluster, node.role, node.id)))
            .catch(ignoreExists);
          await ctx.client
            .create(builtin.pods, ctx.own(nodePod(cluster, node.role, node.id)))
            .catch(ignoreExists);
        }
        void ctx.events.normal(
          'CreatingNodes',
          `starting ${step.nodes.map((n) => names.pod(name, n.role, n.id)).join(', ')}`,
        );
        return;
      case 'reassign':
        await this.admin.reassignPartitions(address, step.moves);
        void ctx.events.normal(
          'MovingPartitions',
          `moving ${step.moves.length} partition replicas off broker ${step.broker}`,
        );
        return;
      case 'remove':
        await deletePod(ctx, namespace, step.pod.name, step.pod.uid);
        void ctx.events.normal(
          'RemovingBroker',
          `broker ${step.pod.id} holds no replicas: deleting ${step.pod.name}`,
        );
        return;
      case 'unregister':
        // Its pod is gone: without this, KRaft keeps the broker fenced in its metadata forever.
        await this.admin.unregisterBroker(address, step.broker);
        await deleteClaim(ctx, namespace, names.claim(name, 'broker', step.broker));
        void ctx.events.normal('UnregisteredBroker', `broker ${step.broker} unregistered from the quorum`);
        return;
      case 'restart':
        await deletePod(ctx, namespace, step.pod.name, step.pod.uid);
        void ctx.events.normal(
          'RestartingNode',
          `restarting ${step.pod.name} on revision ${view.revision[step.pod.role]}`,
        );
        return;
      case 'alterConfig': {
        const dynamic = dynamicConfig(cluster);
        for (const pod of step.pods) {
          await this.admin.alterBrokerConfig(address, pod.id, dynamic);
          const patch = {
            metadata: { annotations: { [ANNOTATIONS.dynamicConfig]: view.dynamicConfig.hash } },
          };
          await ctx.client.patch(builtin.pods, pod.name, patch, { namespace }).catch(ignoreNotFound);
        }
        void ctx.events.normal(
          'ConfigApplied',
          `applied ${Object.keys(dynamic).join(', ')} live to ${step.pods.length} brokers`,
        );
        return;
      }
      case 'raiseMetadataVersion':
        await this.admin.updateMetadataVersion(address, step.to);
        void ctx.events.normal('MetadataVersionRaised', `metadata.version ${step.from} → ${step.to}`);
        return;
      default:
        return;
    }
  }
}

/** Graceful deletion keyed by uid: a pod recreated under the same name since we looked is left alone. */
async function deletePod(ctx: Ctx, namespace: string, name: string, uid: string): Promise<void> {
  await ctx.client.delete(builtin.pods, name, { namespace, preconditions: { uid } }).catch(ignoreNotFound);
}

async function deleteClaim(ctx: Ctx, namespace: string, name: string): Promise<void> {
  await ctx.client.delete(builtin.persistentvolumeclaims, name, { namespace }).catch(ignoreNotFound);
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof NotFoundError)) throw error;
}

function ignoreExists(error: unknown): void {
  if (!(error instanceof AlreadyExistsError)) throw error;
}
