/**
 * The pure half of the simulated StatefulSet controller: the wire shapes it reads, ordinals, the Pods
 * and PersistentVolumeClaims a set's template makes, revision hashes and Pod health. Start with
 * {@link newSetPod}; `syncStatefulSet.ts` decides when to create or delete them.
 */
import type { KubeObject, OwnerReference } from '@steward/core';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { volumes?: { name: string; [k: string]: unknown }[]; [k: string]: unknown };
}

export interface ClaimTemplate {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export type RetentionPolicy = 'Retain' | 'Delete';

export interface StatefulSet extends KubeObject {
  spec?: {
    replicas?: number;
    serviceName?: string;
    selector?: { matchLabels?: Record<string, string> };
    template?: PodTemplate;
    volumeClaimTemplates?: ClaimTemplate[];
    podManagementPolicy?: 'OrderedReady' | 'Parallel';
    updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number } };
    persistentVolumeClaimRetentionPolicy?: { whenDeleted?: RetentionPolicy; whenScaled?: RetentionPolicy };
    ordinals?: { start?: number };
    minReadySeconds?: number;
  };
  status?: { currentRevision?: string; updateRevision?: string; collisionCount?: number };
}

export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

export interface Pod extends KubeObject {
  spec?: Record<string, unknown>;
  status?: { phase?: string; conditions?: PodCondition[] };
}

/** The first ordinal (`spec.ordinals.start`, default 0). */
export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** `spec.replicas`, defaulted to 1 as the API server does. */
export function replicasOf(set: StatefulSet): number {
  return set.spec?.replicas ?? 1;
}

/** The ordinal in a Pod's name `<set>-<ordinal>`, or -1 when the name is not one of this set's. */
export function ordinalOf(setName: string, name: string): number {
  const prefix = `${setName}-`;
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : -1;
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name ?? ''}-${ordinal}`;
}

/** `<template>-<set>-<ordinal>`: the claim a Pod of this ordinal mounts, kept across Pod replacements. */
export function claimName(set: StatefulSet, template: ClaimTemplate, ordinal: number): string {
  return `${template.metadata?.name ?? ''}-${set.metadata.name ?? ''}-${ordinal}`;
}

export function inOrdinalRange(set: StatefulSet, ordinal: number): boolean {
  const start = startOrdinal(set);
  return ordinal >= start && ordinal < start + replicasOf(set);
}

/** A controller ownerReference to `owner`, as the controller sets it on the objects it makes. */
export function controllerRefTo(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** JSON with sorted keys, so that equal templates hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// Kubernetes renders revision hashes with this alphabet (no vowels, no look-alikes) so they never spell words.
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The ControllerRevision name of a template, `<set>-<hash>`: FNV-1a (32-bit) of the template and the
 * collision count, rendered like Kubernetes' revision hashes. Changes exactly when the template does.
 */
export function revisionName(set: StatefulSet): string {
  const text = canonical(set.spec?.template ?? {}) + String(set.status?.collisionCount ?? 0);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const digits = String(hash);
  let encoded = '';
  for (const d of digits) encoded += SAFE[d.charCodeAt(0) % SAFE.length] ?? '';
  return `${set.metadata.name ?? ''}-${encoded}`;
}

/**
 * The Pod of `ordinal` from `template` (the set's template at the chosen revision): the template's
 * labels plus the pod-name, pod-index and revision labels, hostname and subdomain, a controller
 * reference to the set, and one volume per claim template replacing any same-named volume.
 */
export function newSetPod(set: StatefulSet, template: PodTemplate, ordinal: number, revision: string): Pod {
  const name = podName(set, ordinal);
  const claims = set.spec?.volumeClaimTemplates ?? [];
  const claimVolumes = claims.map((c) => ({
    name: c.metadata?.name ?? '',
    persistentVolumeClaim: { claimName: claimName(set, c, ordinal) },
  }));
  const taken = new Set(claimVolumes.map((v) => v.name));
  const spec = structuredClone(template.spec ?? {});
  const volumes = [...claimVolumes, ...(spec.volumes ?? []).filter((v) => !taken.has(v.name))];
  if (volumes.length > 0) spec.volumes = volumes;
  spec['hostname'] = name;
  if (set.spec?.serviceName) spec['subdomain'] = set.spec.serviceName;
  const annotations = template.metadata?.annotations;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace ?? '',
      labels: {
        ...template.metadata?.labels,
        [POD_NAME_LABEL]: name,
        [POD_INDEX_LABEL]: String(ordinal),
        [REVISION_LABEL]: revision,
      },
      ...(annotations ? { annotations: { ...annotations } } : {}),
      ownerReferences: [controllerRefTo(set, 'apps/v1', 'StatefulSet')],
    },
    spec,
  };
}

/** The claims of `ordinal`: each template's spec, named for the ordinal, labelled with the set's selector. */
export function newSetClaims(set: StatefulSet, ordinal: number): KubeObject[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((c) => {
    const annotations = c.metadata?.annotations;
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claimName(set, c, ordinal),
        namespace: set.metadata.namespace ?? '',
        labels: { ...c.metadata?.labels, ...set.spec?.selector?.matchLabels },
        ...(annotations ? { annotations: { ...annotations } } : {}),
      },
      spec: structuredClone(c.spec ?? {}),
    };
  });
}

export const isTerminating = (pod: Pod): boolean => pod.metadata.deletionTimestamp !== undefined;
export const isFinished = (pod: Pod): boolean =>
  pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
export const revisionOf = (pod: Pod): string | undefined => pod.metadata.labels?.[REVISION_LABEL];

function readyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Running with the Ready condition True: the only state in which OrderedReady moves on. */
export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && readyCondition(pod)?.status === 'True';
}

/** Ready for at least `minReadySeconds` (by the Ready condition's transition time). */
export function isAvailable(pod: Pod, minReadySeconds: number, now = Date.now()): boolean {
  if (!isRunningAndReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(readyCondition(pod)?.lastTransitionTime ?? '');
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now;
}

export const isHealthy = (pod: Pod): boolean => isRunningAndReady(pod) && !isTerminating(pod);
