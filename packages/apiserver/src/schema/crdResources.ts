/**
 * The {@link ResourceInfo}s a CustomResourceDefinition serves: one per served version, carrying the
 * names, scope, subresources, printer columns, schema and selectable fields of that version.
 * Start with {@link resourcesOfCrd}.
 */
import type { PrinterColumn, ResourceInfo, ScaleSubresource } from '../registry/types.js';

type Json = Record<string, unknown>;

function obj(x: unknown): Json {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Json) : {};
}

function strings(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string') : [];
}

function str(x: unknown): string {
  return typeof x === 'string' ? x : '';
}

const VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

function printerColumns(x: unknown): PrinterColumn[] {
  if (!Array.isArray(x)) return [];
  return x.map((c) => {
    const col = obj(c);
    const out: PrinterColumn = {
      name: str(col['name']),
      type: str(col['type']),
      jsonPath: str(col['jsonPath']),
    };
    if (typeof col['format'] === 'string') out.format = col['format'];
    if (typeof col['description'] === 'string') out.description = col['description'];
    if (typeof col['priority'] === 'number') out.priority = col['priority'];
    return out;
  });
}

function scale(x: unknown): ScaleSubresource | undefined {
  if (x === undefined || x === null) return undefined;
  const s = obj(x);
  const out: ScaleSubresource = {
    specReplicasPath: str(s['specReplicasPath']),
    statusReplicasPath: str(s['statusReplicasPath']),
  };
  if (typeof s['labelSelectorPath'] === 'string') out.labelSelectorPath = s['labelSelectorPath'];
  return out;
}

/** The ResourceInfo for every served version of a CRD (discovery, routing, tables use it). */
export function resourcesOfCrd(crd: Record<string, unknown>): ResourceInfo[] {
  const spec = obj(crd['spec']);
  const names = obj(spec['names']);
  const group = str(spec['group']);
  const kind = str(names['kind']);
  const plural = str(names['plural']);
  const crdName = str(obj(crd['metadata'])['name']) || `${plural}.${group}`;
  const versions = Array.isArray(spec['versions']) ? spec['versions'].map(obj) : [];
  const out: ResourceInfo[] = [];
  for (const v of versions) {
    if (v['served'] === false) continue;
    const sub = obj(v['subresources']);
    const subresources: ResourceInfo['subresources'] = {
      status: sub['status'] !== undefined && sub['status'] !== null,
    };
    const sc = scale(sub['scale']);
    if (sc) subresources.scale = sc;
    const selectableFields: Record<string, string> = {};
    for (const f of Array.isArray(v['selectableFields']) ? v['selectableFields'] : []) {
      const path = str(obj(f)['jsonPath']);
      if (path !== '') selectableFields[path.replace(/^\./, '')] = path;
    }
    const info: ResourceInfo = {
      group,
      version: str(v['name']),
      kind,
      listKind: str(names['listKind']) || `${kind}List`,
      plural,
      singular: str(names['singular']) || kind.toLowerCase(),
      namespaced: str(spec['scope']) !== 'Cluster',
      shortNames: strings(names['shortNames']),
      categories: strings(names['categories']),
      verbs: [...VERBS],
      subresources,
      printerColumns: printerColumns(v['additionalPrinterColumns']),
      crdName,
      storage: v['storage'] === true,
      selectableFields,
    };
    const schema = obj(v['schema'])['openAPIV3Schema'];
    if (schema !== undefined && schema !== null && typeof schema === 'object') info.schema = schema;
    out.push(info);
  }
  return out;
}
