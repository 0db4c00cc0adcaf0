/**
 * The sample `PostgresCluster` resource that tests across the package describe their CRD with.
 * Start with {@link samplePostgresInfo}; pass overrides for the fields a test cares about.
 */
import type { ResourceInfo } from './types.js';

/** A namespaced `postgres.steward.dev/v1alpha1` CRD resource with a status subresource and no schema. */
export function samplePostgresInfo(over: Partial<ResourceInfo> = {}): ResourceInfo {
  return {
    group: 'postgres.steward.dev',
    version: 'v1alpha1',
    kind: 'PostgresCluster',
    listKind: 'PostgresClusterList',
    plural: 'postgresclusters',
    singular: 'postgrescluster',
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: [],
    subresources: { status: true },
    printerColumns: [],
    crdName: 'postgresclusters.postgres.steward.dev',
    storage: true,
    selectableFields: {},
    ...over,
  };
}
