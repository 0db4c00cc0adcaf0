/**
 * End states as the differential oracle compares them: objects normalised (no uid, resourceVersion,
 * timestamps, managedFields; generated names as `prefix*`, uids named by their object) and flattened to `path → value`, fields that
 * differ between two undisturbed runs masked, and create/delete counts per object. Start with
 * {@link endState}, then {@link compareEndStates}.
 */
import type { KubeObject } from '@steward/core';
import type { ObjectCounts } from './clusterObserver.js';
import { objectId } from './clusterObserver.js';

/** Per object id, one flattened object per instance (several when generated names collide). */
export type EndState = Map<string, Record<string, string>[]>;

const DROPPED_METADATA = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'generation',
  'managedFields',
  'selfLink',
];
/**
 * Values that differ from run to run by nature: times (named `…Time`, `…Timestamp`, or `…At` like a
 * container's `startedAt`), and generations that count writes.
 */
const VOLATILE_KEY = /(Time|Timestamp|At)$|^observedGeneration$/;

function flatten(value: unknown, path: string, out: Record<string, string>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    if (entries.length === 0) out[path] = JSON.stringify(value);
    for (const [key, v] of entries) {
      if (!Array.isArray(value) && VOLATILE_KEY.test(key)) continue;
      flatten(v, path === '' ? key : `${path}.${key}`, out);
    }
    return;
  }
  out[path] = JSON.stringify(value);
}

/** The normalised, flattened end state of `objects`. */
export function endState(objects: readonly KubeObject[]): EndState {
  // Generated names appear in other objects too (a status naming its child): replace them everywhere.
  // So are uids (a Job's `controller-uid` labels): each becomes `<uid of Kind namespace/name>`.
  const generated: [string, string][] = [];
  for (const o of objects) {
    const prefix = o.metadata?.generateName;
    const name = o.metadata?.name;
    if (prefix && name?.startsWith(prefix)) generated.push([name, `${prefix}*`]);
    const uid = o.metadata?.uid;
    if (uid) generated.push([uid, `<uid of ${objectId(o)}>`]);
  }
  const state: EndState = new Map();
  for (const o of objects) {
    let text = JSON.stringify(o);
    for (const [name, stable] of generated) text = text.split(`"${name}"`).join(JSON.stringify(stable));
    const copy = JSON.parse(text) as KubeObject & { metadata: Record<string, unknown> };
    for (const key of DROPPED_METADATA) delete copy.metadata[key];
    const owners = copy.metadata['ownerReferences'];
    if (Array.isArray(owners))
      for (const owner of owners as unknown as Record<string, unknown>[]) delete owner['uid'];
    const flat: Record<string, string> = {};
    flatten(copy, '', flat);
    const id = objectId(o);
    state.set(id, [...(state.get(id) ?? []), flat]);
  }
  return state;
}

/** Per id, the paths whose values differ between two undisturbed runs (`*` masks the whole object). */
export type Mask = Map<string, Set<string>>;

export function maskBetween(a: EndState, b: EndState): Mask {
  const mask: Mask = new Map();
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(id);
    const y = b.get(id);
    if (x === undefined || y === undefined || x.length !== y.length) {
      mask.set(id, new Set(['*']));
      continue;
    }
    const paths = new Set<string>();
    x.forEach((fx, i) => {
      const fy = y[i] ?? {};
      for (const p of new Set([...Object.keys(fx), ...Object.keys(fy)])) if (fx[p] !== fy[p]) paths.add(p);
    });
    if (paths.size > 0) mask.set(id, paths);
  }
  return mask;
}

export function describeMask(mask: Mask): string[] {
  return [...mask].map(([id, paths]) => `${id}: ${[...paths].sort().join(', ')}`).sort();
}

/** What differs from the reference, one finding per object (at most three paths each). */
export function compareEndStates(reference: EndState, actual: EndState, mask: Mask): string[] {
  const findings: string[] = [];
  for (const id of new Set([...reference.keys(), ...actual.keys()])) {
    const masked = mask.get(id);
    if (masked?.has('*')) continue;
    const want = reference.get(id) ?? [];
    const got = actual.get(id) ?? [];
    if (want.length !== got.length) {
      findings.push(
        got.length === 0
          ? `end state: ${id} missing`
          : want.length === 0
            ? `end state: ${id} extra (${got.length}×), not in the reference`
            : `end state: ${id} ×${got.length}, the reference has ×${want.length}`,
      );
      continue;
    }
    want.forEach((fw, i) => {
      const fg = got[i] ?? {};
      const differing = [...new Set([...Object.keys(fw), ...Object.keys(fg)])].filter(
        (p) => fw[p] !== fg[p] && !masked?.has(p),
      );
      if (differing.length === 0) return;
      const shown = differing
        .slice(0, 3)
        .map((p) => `${p} ${fg[p] ?? '(absent)'} (reference ${fw[p] ?? '(absent)'})`);
      const more = differing.length > 3 ? ` and ${differing.length - 3} more` : '';
      findings.push(`end state: ${id} differs: ${shown.join('; ')}${more}`);
    });
  }
  return findings;
}

/** Objects created or deleted a different number of times than in the reference. */
export function compareCounts(
  reference: ReadonlyMap<string, ObjectCounts>,
  actual: ReadonlyMap<string, ObjectCounts>,
  mask: Mask,
): string[] {
  const findings: string[] = [];
  for (const id of new Set([...reference.keys(), ...actual.keys()])) {
    if (mask.get(id)?.has('*')) continue;
    const want = reference.get(id) ?? { created: 0, deleted: 0 };
    const got = actual.get(id) ?? { created: 0, deleted: 0 };
    if (want.created !== got.created || want.deleted !== got.deleted) {
      findings.push(
        `counts: ${id} created ${got.created}× deleted ${got.deleted}× (reference: created ${want.created}× deleted ${want.deleted}×)`,
      );
    }
  }
  return findings;
}
