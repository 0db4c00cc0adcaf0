/**
 * events.k8s.io/v1 Events are a view of core/v1 Events (one storage, as in the real server): conversion
 * both ways, field by field as the real conversion functions map them.
 *
 * Start with {@link storedView} (reads) and {@link toStorageShape} (writes).
 */
import { storedObject, type KObject, type StoredObject } from '../storage/storedObject.js';
import type { ResourceInfo } from './types.js';

/** core/v1 field ↔ events.k8s.io/v1 field. */
const RENAMES: [string, string][] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

export function isEventsV1(info: ResourceInfo): boolean {
  return info.group === 'events.k8s.io' && info.kind === 'Event';
}

function rename(o: KObject, pairs: [string, string][], apiVersion: string): KObject {
  const out: KObject = { ...o, apiVersion };
  for (const [from, to] of pairs) {
    delete out[from];
    if (o[from] !== undefined) out[to] = o[from];
  }
  return out;
}

export function coreToEventsV1(o: KObject): KObject {
  return rename(o, RENAMES, 'events.k8s.io/v1');
}

export function eventsV1ToCore(o: KObject): KObject {
  const core = rename(
    o,
    RENAMES.map(([a, b]) => [b, a]),
    'v1',
  );
  // The legacy fields stay empty-but-present in core/v1, as the real conversion leaves them.
  return core;
}

const views = new WeakMap<StoredObject, StoredObject>();

/** The stored object as `info` serves it (events.k8s.io/v1 Events converted; everything else as is). */
export function storedView(info: ResourceInfo, s: StoredObject): StoredObject {
  if (!isEventsV1(info) || s.obj['apiVersion'] !== 'v1') return s;
  let v = views.get(s);
  if (!v) {
    v = storedObject(coreToEventsV1(s.obj), s.rv);
    views.set(s, v);
  }
  return v;
}

/** The object as it is stored (events.k8s.io/v1 Events become core/v1 Events). */
export function toStorageShape(info: ResourceInfo, o: KObject): KObject {
  return isEventsV1(info) && o['apiVersion'] === 'events.k8s.io/v1' ? eventsV1ToCore(o) : o;
}
