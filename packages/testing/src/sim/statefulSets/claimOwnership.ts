/**
 * `persistentVolumeClaimRetentionPolicy` as the StatefulSet controller carries it out: not by deleting
 * claims itself but by giving each claim a controller ownerReference — to the set (`whenDeleted:
 * Delete`) or to its scaled-down Pod (`whenScaled: Delete`) — and leaving the deletion to the garbage
 * collector. Start with {@link desiredClaimOwners}.
 */
import type { KubeObject, OwnerReference } from '@steward/core';
import { controllerRefTo, inOrdinalRange, ordinalOf } from './statefulSetPods.js';
import type { Pod, StatefulSet } from './statefulSetPods.js';

/** Whether `ref` names `owner` by kind and name (whatever its uid: a stale ref to an earlier incarnation too). */
function names(ref: OwnerReference, kind: string, owner: KubeObject): boolean {
  return ref.kind === kind && ref.name === owner.metadata.name;
}

/**
 * The ownerReferences `claim` should carry, or `undefined` when they are right already. Refs to the
 * set and the Pod are rebuilt from the policy; refs to anything else are kept, and when one of those
 * is a controller the claim belongs to someone else and gets no ref of ours (as in Kubernetes).
 */
export function desiredClaimOwners(
  claim: KubeObject,
  set: StatefulSet,
  pod: Pod,
): OwnerReference[] | undefined {
  const current = claim.metadata.ownerReferences ?? [];
  const others = current.filter((r) => !names(r, 'StatefulSet', set) && !names(r, 'Pod', pod));
  const refs = [...others];
  if (!others.some((r) => r.controller === true)) {
    const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
    const scaledDown = !inOrdinalRange(set, ordinalOf(set.metadata.name ?? '', pod.metadata.name ?? ''));
    if (policy?.whenScaled === 'Delete' && scaledDown && pod.metadata.uid) {
      refs.push(controllerRefTo(pod, 'v1', 'Pod'));
    } else if (policy?.whenDeleted === 'Delete') {
      refs.push(controllerRefTo(set, 'apps/v1', 'StatefulSet'));
    }
  }
  const same =
    refs.length === current.length &&
    refs.every((r) => current.some((c) => c.uid === r.uid && c.controller === r.controller));
  return same ? undefined : refs;
}
