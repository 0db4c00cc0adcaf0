// Storage: one resourceVersion counter, per-collection history, snapshots for paging, compaction.
import { describe, expect, test } from '@jest/globals';
import { Storage, type StorageEvent } from './storage.js';
import { listItemJson, storedObject } from './storedObject.js';

const cm = (name: string, data: Record<string, string> = {}) => ({
  kind: 'ConfigMap',
  apiVersion: 'v1',
  metadata: { name, namespace: 'ns' },
  data,
});

describe('Storage', () => {
  test('every write of any collection takes the next resourceVersion and writes it into the object', () => {
    const s = new Storage();
    const a = s.collection('configmaps').put(cm('a'));
    const b = s.collection('secrets').put(cm('b'));
    const a2 = s.collection('configmaps').put(cm('a', { x: '1' }));
    expect([a.rv, b.rv, a2.rv]).toEqual([a.rv, a.rv + 1, a.rv + 2]);
    expect(a2.obj.metadata?.resourceVersion).toBe(String(a2.rv));
    expect(JSON.parse(a2.json)).toEqual(a2.obj);
  });

  test('watchers are told ADDED, MODIFIED (with the previous state) and DELETED (at a new resourceVersion)', () => {
    const s = new Storage();
    const c = s.collection('configmaps');
    const seen: StorageEvent[] = [];
    c.subscribe((e) => seen.push(e));
    c.put(cm('a'));
    c.put(cm('a', { x: '1' }));
    const gone = c.remove('ns', 'a');
    expect(seen.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(seen[1]?.previous?.obj['data']).toEqual({});
    expect(gone?.rv).toBe(seen[2]?.rv);
    expect(seen[2]?.object.obj['data']).toEqual({ x: '1' });
  });

  test('eventsSince replays history after a version; compaction makes older versions unavailable', () => {
    const s = new Storage();
    const c = s.collection('configmaps');
    const first = c.put(cm('a'));
    c.put(cm('b'));
    c.put(cm('c'));
    expect(c.eventsSince(first.rv)?.map((e) => e.object.name)).toEqual(['b', 'c']);
    s.compact();
    expect(c.eventsSince(first.rv)).toBeUndefined();
    expect(c.eventsSince(s.currentRv)).toEqual([]);
  });

  test('history is bounded: the oldest events fall off and resumes from before them fail', () => {
    const s = new Storage(3);
    const c = s.collection('configmaps');
    const start = c.put(cm('x0')).rv;
    for (let i = 1; i < 6; i++) c.put(cm(`x${i}`));
    expect(c.eventsSince(start)).toBeUndefined();
    expect(c.eventsSince(s.currentRv - 2)?.length).toBe(2);
  });

  test('snapshotAt rebuilds the objects as they were at an older version', () => {
    const s = new Storage();
    const c = s.collection('configmaps');
    c.put(cm('a', { v: '1' }));
    const at = s.currentRv;
    c.put(cm('a', { v: '2' }));
    c.put(cm('b'));
    c.remove('ns', 'a');
    const snap = c.snapshotAt(at);
    expect([...(snap?.keys() ?? [])]).toEqual(['ns/a']);
    expect(snap?.get('ns/a')?.obj['data']).toEqual({ v: '1' });
  });

  test('startHistory makes versions before the server started too old', () => {
    const s = new Storage();
    const c = s.collection('namespaces');
    c.put(cm('seed'));
    s.startHistory();
    expect(c.eventsSince(1)).toBeUndefined();
    expect(s.collection('pods').eventsSince(1)).toBeUndefined();
  });
});

describe('storedObject', () => {
  test('serializes kind and apiVersion first, and list items drop exactly that prefix', () => {
    const s = storedObject({ metadata: { name: 'a' }, apiVersion: 'v1', kind: 'Pod', spec: {} }, 7);
    expect(s.json.startsWith('{"kind":"Pod","apiVersion":"v1",')).toBe(true);
    expect(JSON.parse(listItemJson(s))).toEqual({ metadata: { name: 'a' }, spec: {} });
  });
});
