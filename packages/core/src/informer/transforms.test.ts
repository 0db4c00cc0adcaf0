import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../client/types.js';
import {
  compactForCache,
  dropManagedFields,
  metadataOnly,
  shareStrings,
  sharedStringPoolSize,
} from './transforms.js';

const pod = (i: number): KubeObject =>
  JSON.parse(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `web-${i}`,
        namespace: 'shop',
        uid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
        resourceVersion: String(100 + i),
        creationTimestamp: '2026-11-27T08:00:00Z',
        labels: { app: 'web', tier: 'frontend' },
        managedFields: [{ manager: 'kubectl', operation: 'Update' }],
      },
      spec: {
        nodeName: 'node-1',
        containers: [{ name: 'web', image: 'nginx:1.27', args: ['--port', '80'] }],
      },
      status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-11-27T08:00:01Z' }] },
    }),
  ) as KubeObject;

describe('cache transforms', () => {
  test('dropManagedFields removes managedFields and keeps every other metadata field in order', () => {
    const obj = dropManagedFields(pod(1));
    expect(obj.metadata.managedFields).toBeUndefined();
    expect(Object.keys(obj.metadata)).toEqual([
      'name',
      'namespace',
      'uid',
      'resourceVersion',
      'creationTimestamp',
      'labels',
    ]);
  });

  test('compactForCache changes no value: the cached object equals the original without managedFields', () => {
    const original = pod(2);
    const expected = structuredClone(original);
    delete expected.metadata.managedFields;
    expect(compactForCache(original)).toEqual(expected);
  });

  test('shareStrings pools short repeated strings, not per-object unique fields', () => {
    const before = sharedStringPoolSize();
    shareStrings(pod(3));
    const afterOne = sharedStringPoolSize();
    shareStrings(pod(3));
    // The same object's strings again: nothing new to pool.
    expect(sharedStringPoolSize()).toBe(afterOne);
    shareStrings(pod(4));
    // A second Pod adds only its own name (web-4); its uid, resourceVersion and times are never pooled.
    expect(sharedStringPoolSize() - afterOne).toBe(1);
    expect(afterOne).toBeGreaterThan(before);
  });

  test('the pool is bounded: it starts afresh instead of growing with unique strings', () => {
    for (let i = 0; i < 70_000; i++) shareStrings({ value: `unique-${i}` });
    expect(sharedStringPoolSize()).toBeLessThanOrEqual(65_536);
  });

  test('metadataOnly keeps apiVersion, kind and metadata without managedFields', () => {
    const obj = metadataOnly(pod(5));
    expect(Object.keys(obj)).toEqual(['metadata', 'apiVersion', 'kind']);
    expect(obj.metadata.managedFields).toBeUndefined();
    expect(obj.metadata.labels).toEqual({ app: 'web', tier: 'frontend' });
  });
});
