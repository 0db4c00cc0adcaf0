/**
 * The client contract the rest of the core is written against: Kubernetes objects, resource
 * references, list and watch options, and watch streams. `kubeClient.ts` implements it over HTTP.
 * Change it only with every user in the same commit.
 */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

/** Any Kubernetes object: built-in or custom. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Which REST resource: enough to build its paths without discovery. */
export interface ResourceRef {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Lower-case plural, e.g. `statefulsets`. */
  plural: string;
  kind: string;
  namespaced: boolean;
}

export interface ListOptions {
  /** Omit (or '') for all namespaces / cluster-scoped resources. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; `list` follows `continue` itself and returns every page's items. */
  limit?: number;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  signal?: AbortSignal;
}

export interface ListResult<T extends KubeObject = KubeObject> {
  items: T[];
  /** The list's resourceVersion: start a watch from it. */
  resourceVersion: string;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** Server-side timeout: the server ends the stream cleanly after this many seconds. */
  timeoutSeconds?: number;
  /** WatchList: initial state as ADDED events, then a bookmark annotated `k8s.io/initial-events-end`. */
  sendInitialEvents?: boolean;
  /** Inactivity deadline: no bytes (events or bookmarks) for this long → the stream fails with `WatchIdleError`. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  /** For ERROR, the server's Status object. */
  object: T;
}

/**
 * A watch in progress. Iterating yields events until the server ends the stream (iteration completes),
 * or fails with a coded error (transport failure, idle deadline, non-200 answer). `close()` ends it
 * from this side; iteration then completes.
 */
export interface WatchStream<T extends KubeObject = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  close(): void;
}
