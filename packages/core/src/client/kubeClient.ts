/**
 * The Kubernetes client: {@link kubeClient} turns a client-node `KubeConfig` (which owns authentication)
 * into a {@link KubeClient} whose verbs speak REST over Steward's own transport (`transport.ts`), and
 * whose watches are `watchStream.ts`. Paths come from a `ResourceRef` (`resourceRef.ts`).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { ClientUsageError } from './errors.js';
import { apiVersionOf, resourcePath } from './resourceRef.js';
import { httpTransport } from './transport.js';
import type { HttpAnswer, Transport, TransportOptions } from './transport.js';
import { watchStream } from './watchStream.js';
import type {
  KubeClient,
  KubeObject,
  ListResult,
  PatchOptions,
  PatchType,
  ResourceRef,
  Status,
  WatchStream,
  WriteOptions,
} from './types.js';

export type KubeClientOptions = TransportOptions;

const PATCH_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

const APPLY_TYPE = 'application/apply-patch+yaml';

function writeQuery(options: WriteOptions | undefined): URLSearchParams {
  const q = new URLSearchParams();
  if (options?.dryRun === true) q.set('dryRun', 'All');
  if (options?.fieldManager !== undefined) q.set('fieldManager', options.fieldManager);
  if (options?.fieldValidation !== undefined) q.set('fieldValidation', options.fieldValidation);
  return q;
}

function setIf(q: URLSearchParams, key: string, value: string | number | boolean | undefined): void {
  if (value !== undefined && value !== '') q.set(key, String(value));
}

function nameOf(ref: ResourceRef, obj: KubeObject): string {
  const name = obj.metadata.name;
  if (name === undefined || name === '') {
    throw new ClientUsageError(
      `${ref.kind}: metadata.name is required here (generateName works only with create)`,
    );
  }
  return name;
}

function namespaceFor(
  ref: ResourceRef,
  obj: KubeObject,
  options: WriteOptions | undefined,
): string | undefined {
  return ref.namespaced ? (options?.namespace ?? obj.metadata.namespace) : undefined;
}

function withKind<T extends KubeObject>(ref: ResourceRef, obj: T): T {
  // The server requires apiVersion and kind in bodies; fill them so callers can write `{ metadata, spec }`.
  return { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(ref), kind: obj.kind ?? ref.kind };
}

/**
 * The continue token of a list page read from the text before `"items"`, where servers write the
 * list's metadata, without parsing the items; undefined when that part is not there or not JSON.
 */
function continueOf(text: string): string | undefined {
  const at = text.indexOf('"items":');
  if (at < 0) return undefined;
  const head = text.slice(0, at).trimEnd();
  if (!head.endsWith(',')) return undefined;
  try {
    const token = (JSON.parse(`${head.slice(0, -1)}}`) as { metadata?: { continue?: unknown } }).metadata
      ?.continue;
    return typeof token === 'string' && token !== '' ? token : undefined;
  } catch {
    return undefined;
  }
}

/** A client over `kc`. Call `close()` when done so that pooled keep-alive sockets do not hold the process. */
export function kubeClient(kc: KubeConfig, options: KubeClientOptions = {}): KubeClient {
  return clientOver(httpTransport(kc, options));
}

/** The client over any {@link Transport} (tests use this to observe requests). */
export function clientOver(transport: Transport): KubeClient {
  const watches = new Set<WatchStream>();

  async function call<T>(
    method: string,
    path: string,
    query: URLSearchParams | undefined,
    body: unknown,
    contentType: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const answer = await transport.request(method, path, query, text, contentType, signal);
    return JSON.parse(answer.text) as T;
  }

  async function patchAt<T>(
    ref: ResourceRef,
    name: string,
    patch: unknown,
    options: PatchOptions | undefined,
    subresource: string | undefined,
  ): Promise<T> {
    const type = options?.type ?? 'merge';
    if (type === 'json' && !Array.isArray(patch)) {
      throw new ClientUsageError(`${ref.kind} ${name}: a JSON patch is an array of operations`);
    }
    const path = resourcePath(ref, options?.namespace, name, subresource);
    return call<T>('PATCH', path, writeQuery(options), patch, PATCH_TYPES[type], options?.signal);
  }

  async function replaceAt<T extends KubeObject>(
    ref: ResourceRef,
    obj: T,
    options: WriteOptions | undefined,
    subresource: string | undefined,
  ): Promise<T> {
    const path = resourcePath(ref, namespaceFor(ref, obj, options), nameOf(ref, obj), subresource);
    return call<T>('PUT', path, writeQuery(options), withKind(ref, obj), undefined, options?.signal);
  }

  return {
    async get(ref, name, options) {
      return call(
        'GET',
        resourcePath(ref, options?.namespace, name),
        undefined,
        undefined,
        undefined,
        options?.signal,
      );
    },

    async list<T extends KubeObject>(
      ref: ResourceRef,
      options: Parameters<KubeClient['list']>[1] = {},
    ): Promise<ListResult<T>> {
      const path = resourcePath(ref, options.namespace);
      const items: T[] = [];
      let resourceVersion = '';
      const pageAt = (token: string | undefined): Promise<HttpAnswer> => {
        const q = new URLSearchParams();
        setIf(q, 'labelSelector', options.labelSelector);
        setIf(q, 'fieldSelector', options.fieldSelector);
        setIf(q, 'limit', options.limit);
        setIf(q, 'continue', token);
        // resourceVersion semantics apply to the first page; continue tokens carry their own.
        if (token === undefined) {
          setIf(q, 'resourceVersion', options.resourceVersion);
          setIf(q, 'resourceVersionMatch', options.resourceVersionMatch);
        }
        const answer = transport.request('GET', path, q, undefined, undefined, options.signal);
        // A page asked for early may go unread (the list failed first): never an unhandled rejection.
        answer.catch(() => undefined);
        return answer;
      };
      let next: Promise<HttpAnswer> | undefined = pageAt(undefined);
      while (next !== undefined) {
        const { text } = await next;
        // Ask for the next page before parsing this one, so the server's work overlaps ours.
        const early = continueOf(text);
        next = early === undefined ? undefined : pageAt(early);
        const page = JSON.parse(text) as {
          items?: T[] | null;
          metadata?: { resourceVersion?: string; continue?: string };
        };
        const { transform } = options;
        for (const item of page.items ?? [])
          items.push(transform === undefined ? item : (transform(item) as T));
        // Every page of one list is served at the first page's resourceVersion.
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
        const token = page.metadata?.continue === '' ? undefined : page.metadata?.continue;
        if (token !== early) next = token === undefined ? undefined : pageAt(token);
      }
      return { items, resourceVersion };
    },

    watch<T extends KubeObject>(ref: ResourceRef, options: Parameters<KubeClient['watch']>[1] = {}) {
      const q = new URLSearchParams({ watch: 'true' });
      setIf(q, 'labelSelector', options.labelSelector);
      setIf(q, 'fieldSelector', options.fieldSelector);
      setIf(q, 'resourceVersion', options.resourceVersion);
      if (options.allowWatchBookmarks === true) q.set('allowWatchBookmarks', 'true');
      setIf(q, 'timeoutSeconds', options.timeoutSeconds);
      if (options.sendInitialEvents === true) {
        q.set('sendInitialEvents', 'true');
        q.set('resourceVersionMatch', 'NotOlderThan');
      }
      const stream: WatchStream<T> = watchStream<T>(
        transport,
        resourcePath(ref, options.namespace),
        q,
        options.idleTimeoutMs,
        options.signal,
        () => watches.delete(stream),
      );
      watches.add(stream);
      return stream;
    },

    async create(ref, obj, options) {
      const sub = options?.subresource;
      const path =
        sub === undefined
          ? resourcePath(ref, namespaceFor(ref, obj, options))
          : resourcePath(ref, namespaceFor(ref, obj, options), nameOf(ref, obj), sub);
      return call('POST', path, writeQuery(options), withKind(ref, obj), undefined, options?.signal);
    },

    async replace(ref, obj, options) {
      return replaceAt(ref, obj, options, options?.subresource);
    },

    async patch(ref, name, patch, options) {
      return patchAt(ref, name, patch, options, undefined);
    },

    async apply(ref, obj, options) {
      if (options.fieldManager === '') throw new ClientUsageError(`${ref.kind}: apply needs a fieldManager`);
      const path = resourcePath(ref, namespaceFor(ref, obj, options), nameOf(ref, obj));
      const q = writeQuery(options);
      if (options.force === true) q.set('force', 'true');
      // JSON is YAML: the apply content type takes a JSON body.
      return call('PATCH', path, q, withKind(ref, obj), APPLY_TYPE, options.signal);
    },

    async delete<T extends KubeObject>(
      ref: ResourceRef,
      name: string,
      options: Parameters<KubeClient['delete']>[2] = {},
    ) {
      const q = new URLSearchParams();
      if (options.dryRun === true) q.set('dryRun', 'All');
      const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
      if (options.propagationPolicy !== undefined) body['propagationPolicy'] = options.propagationPolicy;
      if (options.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = options.gracePeriodSeconds;
      if (options.preconditions !== undefined) body['preconditions'] = options.preconditions;
      const path = resourcePath(ref, options.namespace, name);
      return call<T | Status>('DELETE', path, q, body, undefined, options.signal);
    },

    async replaceStatus(ref, obj, options) {
      return replaceAt(ref, obj, options, 'status');
    },

    async patchStatus(ref, name, patch, options) {
      return patchAt(ref, name, patch, options, 'status');
    },

    close() {
      for (const w of watches) w.close();
      transport.close();
    },
  };
}
