/**
 * One pass of the simulated StatefulSet controller over one set, in Kubernetes' order: replace finished
 * Pods and create missing ones (claims first), then delete condemned ordinals highest first, then roll
 * Pods onto the update revision highest first down to the partition. OrderedReady stops at the first
 * Pod that is not Running and Ready; Parallel does not wait. Start with {@link syncStatefulSet}.
 */
import { AlreadyExistsError, builtin, NotFoundError, StewardError } from '@steward/core';
import type { ReconcileContext } from '@steward/core';
import { desiredClaimOwners } from './claimOwnership.js';
import {
  claimName,
  isAvailable,
  isFinished,
  isHealthy,
  isRunningAndReady,
  isTerminating,
  newSetClaims,
  newSetPod,
  ordinalOf,
  replicasOf,
  revisionName,
  revisionOf,
  startOrdinal,
} from './statefulSetPods.js';
import type { Pod, PodTemplate, StatefulSet } from './statefulSetPods.js';

/** The templates of revisions seen so far, by revision name: what a Pod below the partition is made from. */
export type RevisionHistory = Map<string, PodTemplate>;

export interface SetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

export interface SyncResult {
  status: SetStatus;
  /** Set when a Pod is Ready but not yet available (`minReadySeconds`): look again then. */
  requeueAfter?: number;
}

/** A Pod's claim is still being deleted: as in Kubernetes, its Pod waits for it to go (retried). */
export class ClaimTerminatingError extends StewardError {
  constructor(namespace: string, name: string) {
    super(
      'SIM_CLAIM_TERMINATING',
      `PersistentVolumeClaim ${namespace}/${name} is being deleted: its Pod is created once it is gone ` +
        'and a new claim is made (remove its finalizers if it is stuck)',
      true,
    );
  }
}

/** Creates the claims of `ordinal` that do not exist yet; a claim still being deleted fails the pass. */
async function ensureClaims(ctx: ReconcileContext<StatefulSet>, set: StatefulSet, ordinal: number) {
  const namespace = set.metadata.namespace ?? '';
  for (const claim of newSetClaims(set, ordinal)) {
    const name = claim.metadata.name ?? '';
    const cached = await ctx.reader.get(builtin.persistentvolumeclaims, name, { namespace });
    if (cached?.metadata.deletionTimestamp) throw new ClaimTerminatingError(namespace, name);
    if (cached) continue;
    const owners = desiredClaimOwners(claim, set, {
      metadata: { name: `${set.metadata.name ?? ''}-${ordinal}` },
    });
    if (owners && owners.length > 0) claim.metadata.ownerReferences = owners;
    await ctx.client.create(builtin.persistentvolumeclaims, claim).catch((e: unknown) => {
      if (!(e instanceof AlreadyExistsError)) throw e;
    });
  }
}

/** Brings each existing claim's ownerReferences in line with the retention policy for `pod`. */
async function updateClaimOwners(ctx: ReconcileContext<StatefulSet>, set: StatefulSet, pod: Pod) {
  const namespace = set.metadata.namespace ?? '';
  const ordinal = ordinalOf(set.metadata.name ?? '', pod.metadata.name ?? '');
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const name = claimName(set, template, ordinal);
    const claim = await ctx.reader.get(builtin.persistentvolumeclaims, name, { namespace });
    if (!claim || claim.metadata.deletionTimestamp) continue;
    const owners = desiredClaimOwners(claim, set, pod);
    if (!owners) continue;
    const patch = { metadata: { ownerReferences: owners, resourceVersion: claim.metadata.resourceVersion } };
    await ctx.client.patch(builtin.persistentvolumeclaims, name, patch, { namespace });
  }
}

async function deletePod(ctx: ReconcileContext<StatefulSet>, pod: Pod, why: string): Promise<void> {
  const namespace = pod.metadata.namespace ?? '';
  const name = pod.metadata.name ?? '';
  const uid = pod.metadata.uid;
  await ctx.client
    .delete(builtin.pods, name, { namespace, ...(uid ? { preconditions: { uid } } : {}) })
    .catch((e: unknown) => {
      if (!(e instanceof NotFoundError)) throw e;
    });
  void ctx.events.normal(
    'SuccessfulDelete',
    `delete Pod ${name} in StatefulSet ${ctx.name} successful (${why})`,
  );
}

/**
 * The pass itself. `pods` are the set's Pods as cached (controller-owned by it); `history` keeps the
 * templates of revisions seen, so that ordinals below the partition are recreated at the current one.
 */
export async function syncStatefulSet(
  ctx: ReconcileContext<StatefulSet>,
  set: StatefulSet,
  pods: Pod[],
  history: RevisionHistory,
): Promise<SyncResult> {
  const updateRevision = revisionName(set);
  const updateTemplate = set.spec?.template ?? {};
  history.set(updateRevision, updateTemplate);
  const known = set.status?.currentRevision;
  const currentRevision = known && history.has(known) ? known : updateRevision;
  const currentTemplate = history.get(currentRevision) ?? updateTemplate;

  const setName = set.metadata.name ?? '';
  const start = startOrdinal(set);
  const count = replicasOf(set);
  const replicas: (Pod | undefined)[] = Array.from({ length: count }, () => undefined);
  const condemned: Pod[] = [];
  for (const pod of pods) {
    const ordinal = ordinalOf(setName, pod.metadata.name ?? '');
    if (ordinal >= start && ordinal < start + count) replicas[ordinal - start] = pod;
    else if (ordinal >= 0) condemned.push(pod);
  }
  condemned.sort(
    (a, b) => ordinalOf(setName, b.metadata.name ?? '') - ordinalOf(setName, a.metadata.name ?? ''),
  );
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const strategy = set.spec?.updateStrategy;
  const rolling = strategy?.type !== 'OnDelete';
  const partition = Math.max(0, Math.min(count, strategy?.rollingUpdate?.partition ?? 0));

  // Pods deleted in this pass; never marked on the cached objects, which the informer owns.
  const deleted = new Set<Pod>();
  const gone = (pod: Pod): boolean => isTerminating(pod) || deleted.has(pod);
  const finish = (): SyncResult =>
    statusOf(set, [...replicas, ...condemned], deleted, { currentRevision, updateRevision, rolling });
  if (set.metadata.deletionTimestamp) return finish();

  // The lowest-ordinal unhealthy Pod may be deleted even when unhealthy: it is the one blocking progress.
  const firstUnhealthy = [...replicas, ...[...condemned].reverse()].find((p) => p && !isHealthy(p));

  for (let i = 0; i < count; i++) {
    const ordinal = start + i;
    let pod = replicas[i];
    if (pod && isFinished(pod) && !isTerminating(pod)) {
      await deletePod(ctx, pod, `phase ${pod.status?.phase ?? ''}: recreate`);
      replicas[i] = pod = undefined;
      if (monotonic) return finish();
      continue;
    }
    if (!pod) {
      const atCurrent = rolling && ordinal < start + partition;
      const template = atCurrent ? currentTemplate : updateTemplate;
      await ensureClaims(ctx, set, ordinal);
      const desired = newSetPod(set, template, ordinal, atCurrent ? currentRevision : updateRevision);
      try {
        replicas[i] = await ctx.client.create<Pod>(builtin.pods, desired);
        void ctx.events.normal(
          'SuccessfulCreate',
          `create Pod ${desired.metadata.name ?? ''} in StatefulSet ${setName} successful`,
        );
      } catch (e) {
        // The old Pod of this name is still going (graceful deletion): the next event brings us back.
        if (!(e instanceof AlreadyExistsError)) throw e;
      }
      if (monotonic) return finish();
      continue;
    }
    if (isTerminating(pod)) {
      if (monotonic) return finish();
      continue;
    }
    if (pod.status?.phase === 'Pending') await ensureClaims(ctx, set, ordinal);
    await updateClaimOwners(ctx, set, pod);
    if (monotonic && !isRunningAndReady(pod)) return finish();
  }

  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return finish();
      continue;
    }
    if (monotonic && !isRunningAndReady(pod) && pod !== firstUnhealthy) return finish();
    await updateClaimOwners(ctx, set, pod);
    await deletePod(ctx, pod, 'scale down');
    deleted.add(pod);
    if (monotonic) return finish();
  }

  if (!rolling) return finish();
  for (let i = count - 1; i >= partition; i--) {
    const pod = replicas[i];
    if (!pod) return finish();
    if (revisionOf(pod) !== updateRevision && !gone(pod)) {
      await deletePod(ctx, pod, `update to revision ${updateRevision}`);
      deleted.add(pod);
      return finish();
    }
    if (!isHealthy(pod)) return finish();
  }
  return finish();
}

function statusOf(
  set: StatefulSet,
  pods: (Pod | undefined)[],
  deleted: Set<Pod>,
  revisions: { currentRevision: string; updateRevision: string; rolling: boolean },
): SyncResult {
  const { currentRevision, updateRevision, rolling } = revisions;
  const minReady = set.spec?.minReadySeconds ?? 0;
  const status: SetStatus = {
    replicas: 0,
    readyReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    availableReplicas: 0,
    currentRevision,
    updateRevision,
    collisionCount: set.status?.collisionCount ?? 0,
  };
  if (set.metadata.generation !== undefined) status.observedGeneration = set.metadata.generation;
  let waitingForAvailable = false;
  for (const pod of pods) {
    if (!pod?.status?.phase) continue;
    status.replicas++;
    if (isRunningAndReady(pod)) {
      status.readyReplicas++;
      if (isAvailable(pod, minReady)) status.availableReplicas++;
      else waitingForAvailable = true;
    }
    if (isTerminating(pod) || deleted.has(pod)) continue;
    if (revisionOf(pod) === currentRevision) status.currentReplicas++;
    if (revisionOf(pod) === updateRevision) status.updatedReplicas++;
  }
  const want = replicasOf(set);
  if (
    rolling &&
    status.updatedReplicas === want &&
    status.readyReplicas === want &&
    status.replicas === want
  ) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = updateRevision;
  }
  return waitingForAvailable ? { status, requeueAfter: minReady * 1000 } : { status };
}
