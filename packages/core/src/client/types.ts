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
  /**
   * Applied to each item as its page arrives, before the next page is parsed; `items` holds what it
   * returns. Informers pass their transform here, so fields they drop (managedFields, often half a
   * Pod) die young instead of being carried by the garbage collector through the whole list.
   */
  transform?: (item: KubeObject) => KubeObject;
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

/** The server's `Status`: the body of errors, of some deletes, and of watch ERROR events. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

/** Options every request takes. */
export interface RequestOptions {
  signal?: AbortSignal;
}

/** Where a named object lives: `namespace` is required for namespaced resources, ignored otherwise. */
export interface ObjectOptions extends RequestOptions {
  namespace?: string;
}

/** Options of create, replace, patch and status writes. */
export interface WriteOptions extends RequestOptions {
  /** Overrides `metadata.namespace` of the object (create/replace) or names it (patch). */
  namespace?: string;
  /** `dryRun=All`: the server validates and answers, nothing is stored. */
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /**
   * create/replace only: write to this subresource of the object named by the body's `metadata.name`
   * instead of the object itself — `create(builtin.pods, binding, { subresource: 'binding' })`
   * (POST …/pods/<name>/binding), `'eviction'`, `replace(builtin.namespaces, ns, { subresource:
   * 'finalize' })`. The body keeps its own `apiVersion`/`kind` (a Binding, an Eviction).
   */
  subresource?: string;
}

export type PatchType = 'merge' | 'json' | 'strategic';

export interface PatchOptions extends WriteOptions {
  /** `merge` (RFC 7386, the default), `json` (RFC 6902, an array of operations), `strategic` (built-ins only). */
  type?: PatchType;
}

/** Server-side apply: the object is the caller's whole intent for the fields it owns. */
export interface ApplyOptions extends Omit<WriteOptions, 'fieldManager'> {
  fieldManager: string;
  /** Take ownership of fields another manager owns instead of failing with 409. */
  force?: boolean;
}

export interface DeleteOptions extends ObjectOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  /** The delete fails with 409 unless the stored object still has this uid / resourceVersion. */
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/**
 * The Kubernetes client the core is written against. Paths come from the {@link ResourceRef}; every
 * failure is a coded error (`client/errors.ts`).
 */
export interface KubeClient {
  get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, options?: ObjectOptions): Promise<T>;
  list<T extends KubeObject = KubeObject>(ref: ResourceRef, options?: ListOptions): Promise<ListResult<T>>;
  /** Starts on first iteration; errors (including non-200 answers) surface from the iterator. */
  watch<T extends KubeObject = KubeObject>(ref: ResourceRef, options?: WatchOptions): WatchStream<T>;
  create<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, options?: WriteOptions): Promise<T>;
  replace<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, options?: WriteOptions): Promise<T>;
  patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    name: string,
    patch: unknown,
    options?: PatchOptions,
  ): Promise<T>;
  apply<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    obj: KubeObject,
    options: ApplyOptions,
  ): Promise<T>;
  /** Returns the object while finalizers or a foreground deletion keep it, else the server's Status. */
  delete<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    name: string,
    options?: DeleteOptions,
  ): Promise<T | Status>;
  replaceStatus<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    obj: T,
    options?: WriteOptions,
  ): Promise<T>;
  patchStatus<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    name: string,
    patch: unknown,
    options?: PatchOptions,
  ): Promise<T>;
  /** Closes idle keep-alive sockets and ends open watches. */
  close(): void;
}
