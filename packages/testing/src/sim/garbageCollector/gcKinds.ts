/**
 * Which kinds the simulated garbage collector watches, and how it turns an ownerReference's
 * `apiVersion`/`kind` into a REST resource. Start with {@link kindRegistry}; `DEFAULT_GC_KINDS` is the
 * default watch list and {@link crdResources} reads custom kinds from a CRD.
 */
import { builtin } from '@steward/core';
import type { KubeObject, ResourceRef } from '@steward/core';

/**
 * Watching every served kind costs a list and a watch each, so by default the collector watches the
 * kinds operators usually own, plus every custom resource (see `garbageCollector.ts`).
 */
export const DEFAULT_GC_KINDS: readonly ResourceRef[] = [
  builtin.pods,
  builtin.configmaps,
  builtin.secrets,
  builtin.services,
  builtin.endpoints,
  builtin.persistentvolumeclaims,
  builtin.statefulsets,
  builtin.deployments,
  builtin.replicasets,
  builtin.jobs,
];

/** `group/Kind`: an ownerReference names its owner by any served version, so the version is left out. */
export function groupKind(group: string, kind: string): string {
  return `${group}/${kind}`;
}

export function groupOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Resolves owner kinds: every built-in kind the client knows, then custom kinds as they are found. */
export interface KindRegistry {
  /** The resource of an ownerReference's kind, or `undefined` while it is unknown. */
  resolve(apiVersion: string, kind: string): ResourceRef | undefined;
  /** Records a kind (a custom resource found through its CRD). */
  add(ref: ResourceRef): void;
}

export function kindRegistry(): KindRegistry {
  const byGroupKind = new Map<string, ResourceRef>();
  const add = (ref: ResourceRef): void => {
    byGroupKind.set(groupKind(ref.group, ref.kind), ref);
  };
  for (const ref of Object.values(builtin)) add(ref);
  return {
    resolve: (apiVersion, kind) => byGroupKind.get(groupKind(groupOfApiVersion(apiVersion), kind)),
    add,
  };
}

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: { plural?: string; kind?: string };
  versions?: { name?: string; served?: boolean; storage?: boolean }[];
}

/** The resource a CRD serves (its storage version when served, else its first served one), once Established. */
export function crdResources(crd: KubeObject): ResourceRef | undefined {
  const spec = (crd['spec'] ?? {}) as CrdSpec;
  const conditions = ((crd['status'] ?? {}) as { conditions?: { type?: string; status?: string }[] })
    .conditions;
  if (!conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return undefined;
  const served = (spec.versions ?? []).filter((v) => v.served === true && typeof v.name === 'string');
  const version = served.find((v) => v.storage === true) ?? served[0];
  const { group, names } = spec;
  if (!version?.name || !group || !names?.plural || !names.kind) return undefined;
  return {
    group,
    version: version.name,
    plural: names.plural,
    kind: names.kind,
    namespaced: spec.scope !== 'Cluster',
  };
}
