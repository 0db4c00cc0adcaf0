/**
 * Discovery documents: `/api`, `/apis`, `/apis/<group>`, per group-version `APIResourceList`s (subresources
 * listed after their resource), and aggregated discovery (`apidiscovery.k8s.io/v2`) when the Accept header
 * asks for it, as kubectl 1.30+ does.
 *
 * Start with {@link serveDiscovery}; it answers false for paths that are not discovery paths.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathNotFound } from '../errors/status.js';
import { sendJson } from '../http/respond.js';
import type { Registry } from '../registry/registry.js';
import type { ResourceInfo } from '../registry/types.js';

const SUB_VERBS = ['get', 'patch', 'update'];
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

function storageVersionHash(r: ResourceInfo): string {
  return createHash('sha256')
    .update(`${r.group}/${r.version}/${r.kind}`)
    .digest()
    .subarray(0, 8)
    .toString('base64');
}

/** The group/version's resources as an `APIResourceList`'s entries, subresources after their resource. */
export function apiResources(resources: ResourceInfo[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const sorted = [...resources].sort((a, b) => a.plural.localeCompare(b.plural));
  for (const r of sorted) {
    const entry: Record<string, unknown> = {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
    };
    if (r.shortNames.length > 0) entry['shortNames'] = r.shortNames;
    if (r.categories.length > 0) entry['categories'] = r.categories;
    entry['storageVersionHash'] = storageVersionHash(r);
    out.push(entry);
    if (r.plural === 'namespaces' && r.group === '')
      out.push({
        name: 'namespaces/finalize',
        singularName: '',
        namespaced: false,
        kind: 'Namespace',
        verbs: ['update'],
      });
    if (isCorePods(r)) out.push(...POD_CREATE_SUBRESOURCES.map((s) => legacyPodSubresource(s)));
    const scale = r.subresources.scale
      ? {
          name: `${r.plural}/scale`,
          singularName: '',
          namespaced: r.namespaced,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: SUB_VERBS,
        }
      : undefined;
    const status = r.subresources.status
      ? {
          name: `${r.plural}/status`,
          singularName: '',
          namespaced: r.namespaced,
          kind: r.kind,
          verbs: SUB_VERBS,
        }
      : undefined;
    // Built-ins list subresources by name (scale, status); the CRD discovery controller adds status first.
    const subs = r.crdName !== undefined ? [status, scale] : [scale, status];
    for (const s of subs) if (s) out.push(s);
  }
  return out;
}

/** The create-only Pod subresources served (binding, eviction), as the real server lists them. */
const POD_CREATE_SUBRESOURCES = [
  { subresource: 'binding', group: '', version: 'v1', kind: 'Binding' },
  { subresource: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction' },
];

function isCorePods(r: ResourceInfo): boolean {
  return r.plural === 'pods' && r.group === '';
}

function legacyPodSubresource(s: (typeof POD_CREATE_SUBRESOURCES)[number]): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    name: `pods/${s.subresource}`,
    singularName: '',
    namespaced: true,
  };
  // The legacy list names a group-version only when it differs from the enclosing one (core/v1).
  if (s.group !== '') Object.assign(entry, { group: s.group, version: s.version });
  return { ...entry, kind: s.kind, verbs: ['create'] };
}

/**
 * A responseKind as aggregated discovery writes it: built-ins leave group and version empty when they
 * equal the enclosing group-version (the real server fills them from the legacy `APIResourceList`, which
 * omits them); CRDs' discovery controller always fills them.
 */
function responseKind(r: ResourceInfo, group: string, version: string, kind: string): Record<string, string> {
  if (r.crdName === undefined && group === r.group && version === r.version)
    return { group: '', version: '', kind };
  return { group, version, kind };
}

function groupEntry(group: string, versions: string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: vs, preferredVersion: vs[0] };
}

function aggregatedResource(r: ResourceInfo): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    resource: r.plural,
    responseKind: responseKind(r, r.group, r.version, r.kind),
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length > 0) entry['shortNames'] = r.shortNames;
  if (r.categories.length > 0) entry['categories'] = r.categories;
  const subs: Record<string, unknown>[] = [];
  if (r.plural === 'namespaces' && r.group === '')
    subs.push({
      subresource: 'finalize',
      responseKind: responseKind(r, '', 'v1', 'Namespace'),
      verbs: ['update'],
    });
  if (isCorePods(r))
    for (const s of POD_CREATE_SUBRESOURCES)
      subs.push({
        subresource: s.subresource,
        responseKind: responseKind(r, s.group, s.version, s.kind),
        verbs: ['create'],
      });
  const scale = r.subresources.scale
    ? {
        subresource: 'scale',
        responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
        verbs: SUB_VERBS,
      }
    : undefined;
  const status = r.subresources.status
    ? { subresource: 'status', responseKind: responseKind(r, r.group, r.version, r.kind), verbs: SUB_VERBS }
    : undefined;
  // As in the legacy list: built-ins by name (scale, status); the CRD discovery controller adds status first.
  for (const s of r.crdName !== undefined ? [status, scale] : [scale, status]) if (s) subs.push(s);
  if (subs.length > 0) entry['subresources'] = subs;
  return entry;
}

function aggregatedGroup(registry: Registry, group: string, versions: string[]): Record<string, unknown> {
  const meta: Record<string, unknown> = { creationTimestamp: null };
  if (group !== '') meta['name'] = group;
  return {
    metadata: meta,
    versions: versions.map((v) => ({
      version: v,
      resources: [...registry.resourcesOf(group, v)]
        .sort((a, b) => a.plural.localeCompare(b.plural))
        .map(aggregatedResource),
      freshness: 'Current',
    })),
  };
}

function wantsAggregated(req: IncomingMessage): boolean {
  const accept = (req.headers.accept ?? '').replace(/\s+/g, '');
  // Only the first acceptable type counts; clients list aggregated first and plain JSON as the fallback.
  for (const part of accept.split(',')) {
    const params = new Set(part.split(';').slice(1));
    if (params.has('as=APIGroupDiscoveryList') && params.has('g=apidiscovery.k8s.io') && params.has('v=v2'))
      return true;
  }
  return false;
}

function sendAggregated(res: ServerResponse, items: Record<string, unknown>[]): void {
  sendJson(
    res,
    200,
    { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items },
    { 'Content-Type': AGGREGATED, Vary: 'Accept' },
  );
}

/** Answers a discovery request; returns false when `path` is not a discovery path. */
export function serveDiscovery(
  registry: Registry,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  serverAddress: string,
): boolean {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] === 'api' && parts.length === 1) {
    if (wantsAggregated(req)) sendAggregated(res, [aggregatedGroup(registry, '', ['v1'])]);
    else
      sendJson(res, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
      });
    return true;
  }
  if (parts[0] === 'api' && parts.length === 2) {
    if (parts[1] !== 'v1') throw pathNotFound();
    sendJson(res, 200, {
      kind: 'APIResourceList',
      groupVersion: 'v1',
      resources: apiResources(registry.resourcesOf('', 'v1')),
    });
    return true;
  }
  if (parts[0] !== 'apis') return false;
  const groups = registry.groups();
  if (parts.length === 1) {
    if (wantsAggregated(req))
      sendAggregated(
        res,
        groups.map((g) => aggregatedGroup(registry, g.group, g.versions)),
      );
    else
      sendJson(res, 200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((g) => groupEntry(g.group, g.versions)),
      });
    return true;
  }
  const g = groups.find((x) => x.group === parts[1]);
  if (parts.length === 2) {
    if (!g) throw pathNotFound();
    sendJson(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(g.group, g.versions) });
    return true;
  }
  if (parts.length === 3) {
    if (!g || !g.versions.includes(parts[2] ?? '')) throw pathNotFound();
    sendJson(res, 200, {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: `${g.group}/${parts[2]}`,
      resources: apiResources(registry.resourcesOf(g.group, parts[2] ?? '')),
    });
    return true;
  }
  return false;
}
