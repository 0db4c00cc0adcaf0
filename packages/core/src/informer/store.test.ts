import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../client/types.js';
import { IndexerError } from './informerErrors.js';
import { CONTROLLER_OWNER_INDEX, NAMESPACE_INDEX, objectKey, store } from './store.js';

function cm(namespace: string, name: string, rv: string, ownerUid?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      namespace,
      name,
      resourceVersion: rv,
      ...(ownerUid
        ? { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'o', uid: ownerUid, controller: true }] }
        : {}),
    },
  };
}
const names = (objs: KubeObject[]): string[] => objs.map(objectKey).sort();

describe('store', () => {
  it('keys objects as namespace/name, and cluster-scoped ones by name', () => {
    expect(objectKey(cm('a', 'x', '1'))).toBe('a/x');
    expect(objectKey({ metadata: { name: 'node-1' } })).toBe('node-1');
  });

  it('keeps the namespace and controller-owner indexes true through upsert and remove', () => {
    const s = store();
    s.upsert(cm('a', 'x', '1', 'u1'));
    s.upsert(cm('b', 'y', '2', 'u1'));
    expect(names(s.byIndex(NAMESPACE_INDEX, 'a'))).toEqual(['a/x']);
    expect(names(s.byIndex(CONTROLLER_OWNER_INDEX, 'u1'))).toEqual(['a/x', 'b/y']);
    // a new owner moves the object between index values
    s.upsert(cm('a', 'x', '3', 'u2'));
    expect(names(s.byIndex(CONTROLLER_OWNER_INDEX, 'u1'))).toEqual(['b/y']);
    expect(names(s.byIndex(CONTROLLER_OWNER_INDEX, 'u2'))).toEqual(['a/x']);
    expect(s.remove('b/y')?.metadata.resourceVersion).toBe('2');
    expect(s.byIndex(CONTROLLER_OWNER_INDEX, 'u1')).toEqual([]);
    expect(s.size).toBe(1);
  });

  it('ignores non-controller owner references in the owner index', () => {
    const s = store();
    const obj = cm('a', 'x', '1');
    obj.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'X', name: 'o', uid: 'u9' }];
    s.upsert(obj);
    expect(s.byIndex(CONTROLLER_OWNER_INDEX, 'u9')).toEqual([]);
  });

  it('files existing objects under a custom indexer added later, with several values each', () => {
    const s = store();
    s.upsert({ metadata: { namespace: 'a', name: 'x', labels: { app: 'db', tier: 'data' } } });
    s.upsert({ metadata: { namespace: 'a', name: 'y', labels: { app: 'web' } } });
    s.addIndexer('label', (o) => Object.entries(o.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`));
    expect(names(s.byIndex('label', 'app=db'))).toEqual(['a/x']);
    expect(names(s.byIndex('label', 'tier=data'))).toEqual(['a/x']);
    expect(() => s.addIndexer('label', () => [])).toThrow(IndexerError);
  });

  it('refuses to read an index that does not exist, naming the known ones', () => {
    expect(() => store().byIndex('nope', 'x')).toThrow(/no indexer "nope".*namespace, controllerOwner/);
  });

  it('replace swaps the content and reports deletes, changed objects and adds', () => {
    const s = store();
    s.upsert(cm('a', 'gone', '1'));
    s.upsert(cm('a', 'same', '2'));
    s.upsert(cm('a', 'changed', '3'));
    const changes = s.replace([cm('a', 'same', '2'), cm('a', 'changed', '7'), cm('a', 'new', '8')]);
    expect(changes.map((c) => `${c.type} ${objectKey(c.object)}`).sort()).toEqual([
      'add a/new',
      'delete a/gone',
      'update a/changed',
    ]);
    const update = changes.find((c) => c.type === 'update');
    expect(update?.oldObject?.metadata.resourceVersion).toBe('3');
    expect(names(s.list())).toEqual(['a/changed', 'a/new', 'a/same']);
    expect(names(s.byIndex(NAMESPACE_INDEX, 'a'))).toEqual(['a/changed', 'a/new', 'a/same']);
  });
});
