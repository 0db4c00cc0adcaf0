/**
 * `Registry`: which resources the server serves right now — the built-ins plus every served version of
 * every established CRD — and how to find one from a request path.
 *
 * Start with {@link Registry.lookup}; the CRD controller calls {@link Registry.setCrdResources}.
 */
import { builtinResources, BUILTIN_GROUP_ORDER } from './builtins.js';
import type { ResourceInfo } from './types.js';

/** `plural` or `plural.group`: names the resource in per-kind rule tables (distinct for every resource). */
export function resourceKey(info: Pick<ResourceInfo, 'group' | 'plural'>): string {
  return info.group === '' ? info.plural : `${info.plural}.${info.group}`;
}

/**
 * The name of a resource's storage collection: its {@link resourceKey}, shared by all versions — except
 * that events.k8s.io Events are stored with core Events, as in the real server.
 */
export function collectionName(info: Pick<ResourceInfo, 'group' | 'plural'>): string {
  if (info.group === 'events.k8s.io' && info.plural === 'events') return 'events';
  return resourceKey(info);
}

export interface GroupVersions {
  group: string;
  /** Served versions, preferred first. */
  versions: string[];
}

export class Registry {
  private readonly builtins: ResourceInfo[] = builtinResources();
  /** CRD name → its served resources (one per served version), preferred version first. */
  private readonly crds = new Map<string, ResourceInfo[]>();
  private byPath = new Map<string, ResourceInfo>();

  constructor() {
    this.reindex();
  }

  private reindex(): void {
    const m = new Map<string, ResourceInfo>();
    for (const r of this.all()) m.set(`${r.group}/${r.version}/${r.plural}`, r);
    this.byPath = m;
  }

  /** Every served resource: built-ins first, then CRD versions. */
  all(): ResourceInfo[] {
    const out = [...this.builtins];
    for (const rs of this.crds.values()) out.push(...rs);
    return out;
  }

  lookup(group: string, version: string, plural: string): ResourceInfo | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** The resources served at one group/version, in discovery order. */
  resourcesOf(group: string, version: string): ResourceInfo[] {
    return this.all().filter((r) => r.group === group && r.version === version);
  }

  /** Every group with its versions, built-ins in the real server's order, then CRD groups by name. */
  groups(): GroupVersions[] {
    const out = new Map<string, GroupVersions>();
    const crdPreferred = new Map<string, string[]>();
    for (const rs of this.crds.values()) {
      for (const r of rs) {
        const list = crdPreferred.get(r.group) ?? [];
        if (!list.includes(r.version)) list.push(r.version);
        crdPreferred.set(r.group, list);
      }
    }
    for (const r of this.all()) {
      if (r.group === '') continue;
      const g = out.get(r.group) ?? { group: r.group, versions: [] };
      if (!g.versions.includes(r.version)) g.versions.push(r.version);
      out.set(r.group, g);
    }
    for (const g of out.values()) g.versions.sort(compareVersions);
    return [...out.values()].sort(
      (a, b) => groupOrder(a.group) - groupOrder(b.group) || a.group.localeCompare(b.group),
    );
  }

  /** The version a resource is stored at (the CRD's storage version; built-ins: their only version). */
  storageInfo(info: ResourceInfo): ResourceInfo {
    if (!info.crdName) return info;
    return this.crds.get(info.crdName)?.find((r) => r.storage) ?? info;
  }

  /** Every served version of the same resource (all versions of a CRD's resource). */
  versionsOf(info: ResourceInfo): ResourceInfo[] {
    if (!info.crdName) return [info];
    return this.crds.get(info.crdName) ?? [info];
  }

  crdResources(crdName: string): ResourceInfo[] | undefined {
    return this.crds.get(crdName);
  }

  /** Serves (or stops serving, with an empty list) the versions of one CRD. */
  setCrdResources(crdName: string, resources: ResourceInfo[]): void {
    if (resources.length === 0) this.crds.delete(crdName);
    else
      this.crds.set(
        crdName,
        resources.map((r) => ({ ...r, crdName })),
      );
    this.reindex();
  }

  /** Whether a built-in already serves this group/plural (a CRD may not take it over). */
  isBuiltin(group: string, plural: string): boolean {
    return this.builtins.some((r) => r.group === group && r.plural === plural);
  }
}

/** Position of a group in the real server's discovery order; unknown groups after the built-ins. */
function groupOrder(g: string): number {
  const i = BUILTIN_GROUP_ORDER.indexOf(g);
  return i < 0 ? BUILTIN_GROUP_ORDER.length : i;
}

/** `v1`, `v2beta1`, `v1alpha3` as [stage, major, minor]; anything else undefined. */
function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return undefined;
  const stage = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
  return [stage, Number(m[1]), Number(m[3] ?? 0)];
}

/**
 * Kubernetes version priority: GA > beta > alpha, higher numbers first within each
 * (`v2 > v1 > v1beta2 > v1beta1 > v1alpha1`), anything else last by name.
 */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (pa && pb) return pb[0] - pa[0] || pb[1] - pa[1] || pb[2] - pa[2];
  if (pa) return -1;
  if (pb) return 1;
  return a.localeCompare(b);
}
