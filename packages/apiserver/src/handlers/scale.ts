/**
 * The `scale` subresource: an `autoscaling/v1` Scale view of a workload or custom resource, read from and
 * written back to the paths the resource declares (`.spec.replicas`, `.status.replicas`, selector).
 *
 * Start with {@link scaleOf} and {@link withScale}.
 */
import { notFound } from '../errors/status.js';
import type { ResourceInfo } from '../registry/types.js';
import type { KObject, StoredObject } from '../storage/storedObject.js';
import { isCustom } from './context.js';

type Obj = Record<string, unknown>;

function getPath(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const p of path.replace(/^\./, '').split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Obj)[p];
  }
  return v;
}

function setPath(o: Obj, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur = o;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (typeof next !== 'object' || next === null) cur[p] = {};
    cur = cur[p] as Obj;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** A LabelSelector object as the selector string Scale reports (`a=b,c in (d)`). */
export function selectorString(sel: unknown): string {
  if (typeof sel === 'string') return sel;
  if (typeof sel !== 'object' || sel === null) return '';
  const s = sel as {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  const parts: string[] = [];
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.sort().join(',');
}

export function scaleOf(info: ResourceInfo, s: StoredObject): KObject {
  const sub = info.subresources.scale;
  if (!sub) throw notFound(info.plural, info.group, s.name);
  const m = s.obj.metadata ?? {};
  const status: Obj = { replicas: Number(getPath(s.obj, sub.statusReplicasPath) ?? 0) };
  const selector = isCustom(info)
    ? sub.labelSelectorPath
      ? getPath(s.obj, sub.labelSelectorPath)
      : undefined
    : selectorString(getPath(s.obj, '.spec.selector'));
  if (typeof selector === 'string' && selector !== '') status['selector'] = selector;
  const meta: Obj = {
    name: m.name,
    uid: m.uid,
    resourceVersion: m.resourceVersion,
    creationTimestamp: m.creationTimestamp,
  };
  if (m.namespace) meta['namespace'] = m.namespace;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: meta,
    spec: { replicas: Number(getPath(s.obj, sub.specReplicasPath) ?? 0) },
    status,
  };
}

/** The workload with `spec.replicas` taken from a Scale (and its resourceVersion as the precondition). */
export function withScale(info: ResourceInfo, s: StoredObject, scale: KObject): KObject {
  const sub = info.subresources.scale!;
  const next = JSON.parse(s.json) as KObject;
  const replicas = (scale['spec'] as Obj | undefined)?.['replicas'];
  setPath(next, sub.specReplicasPath, typeof replicas === 'number' ? replicas : 0);
  const rv = scale.metadata?.resourceVersion;
  next.metadata = { ...next.metadata };
  if (rv) next.metadata.resourceVersion = rv;
  return next;
}
