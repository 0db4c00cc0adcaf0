import { expect, test } from '@jest/globals';
import { ClientUsageError } from './errors.js';
import { apiVersionOf, builtin, refFor, resourcePath } from './resourceRef.js';

test('refFor splits group and version', () => {
  expect(refFor('v1', 'Pod', 'pods', true)).toEqual({
    group: '',
    version: 'v1',
    plural: 'pods',
    kind: 'Pod',
    namespaced: true,
  });
  const crd = refFor('postgres.steward.dev/v1alpha1', 'PostgresCluster', 'postgresclusters', true);
  expect(crd.group).toBe('postgres.steward.dev');
  expect(apiVersionOf(crd)).toBe('postgres.steward.dev/v1alpha1');
  expect(() => refFor('a/b/c', 'X', 'xs', true)).toThrow(ClientUsageError);
  expect(() => refFor('v1', 'X', 'Xs', true)).toThrow(ClientUsageError);
});

test('paths for collections, objects and subresources', () => {
  expect(resourcePath(builtin.pods)).toBe('/api/v1/pods');
  expect(resourcePath(builtin.pods, 'ns')).toBe('/api/v1/namespaces/ns/pods');
  expect(resourcePath(builtin.statefulsets, 'ns', 'db', 'status')).toBe(
    '/apis/apps/v1/namespaces/ns/statefulsets/db/status',
  );
  // Cluster-scoped kinds ignore a namespace.
  expect(resourcePath(builtin.namespaces, 'ignored', 'ns')).toBe('/api/v1/namespaces/ns');
  expect(() => resourcePath(builtin.pods, undefined, 'p')).toThrow(/namespaced/);
  expect(() => resourcePath(builtin.pods, 'ns', '')).toThrow(/metadata.name/);
});

test('the built-in table is frozen', () => {
  expect(Object.isFrozen(builtin)).toBe(true);
  expect(builtin.leases).toMatchObject({ group: 'coordination.k8s.io', plural: 'leases', namespaced: true });
});
