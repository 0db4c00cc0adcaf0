/**
 * Test support: a minimal ListWatcher over fetch (pages followed, watch lines split), so informer
 * tests talk real HTTP to the embedded API server without depending on `KubeClient`. Start with
 * {@link httpListWatcher}; {@link waitFor} polls a condition.
 */
import type {
  KubeObject,
  ListOptions,
  ResourceRef,
  WatchEvent,
  WatchOptions,
  WatchStream,
} from '../client/types.js';
import type { ListWatcher } from './informer.js';

export const configMaps: ResourceRef = {
  group: '',
  version: 'v1',
  plural: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
};

function path(ref: ResourceRef, namespace: string | undefined): string {
  const root = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  return namespace ? `${root}/namespaces/${namespace}/${ref.plural}` : `${root}/${ref.plural}`;
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
}

async function failure(res: Response, what: string): Promise<Error> {
  const text = await res.text();
  return Object.assign(new Error(`${what}: ${res.status} ${text.slice(0, 200)}`), {
    statusCode: res.status,
    retryAfterSeconds: res.headers.get('retry-after') ? Number(res.headers.get('retry-after')) : undefined,
  });
}

/** A ListWatcher for `baseUrl`; `calls` counts requests by verb. */
export function httpListWatcher(baseUrl: string): {
  list: ListWatcher['list'];
  watch(ref: ResourceRef, opts: WatchOptions): WatchStream;
  calls: { list: number; watch: number };
} {
  const calls = { list: 0, watch: 0 };
  return {
    calls,
    async list(ref: ResourceRef, opts: ListOptions) {
      calls.list++;
      const items: KubeObject[] = [];
      let cont: string | undefined;
      for (;;) {
        const q = query({
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
          limit: opts.limit,
          continue: cont,
        });
        const init: RequestInit = opts.signal ? { signal: opts.signal } : {};
        const res = await fetch(`${baseUrl}${path(ref, opts.namespace)}?${q}`, init);
        if (res.status !== 200) throw await failure(res, 'list');
        const body = (await res.json()) as {
          items: KubeObject[];
          metadata: { resourceVersion: string; continue?: string };
        };
        items.push(...body.items);
        cont = body.metadata.continue;
        if (!cont) return { items, resourceVersion: body.metadata.resourceVersion };
      }
    },
    watch(ref: ResourceRef, opts: WatchOptions): WatchStream {
      calls.watch++;
      const abort = new AbortController();
      let closed = false;
      opts.signal?.addEventListener('abort', () => abort.abort(), { once: true });
      const q = query({
        watch: 1,
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        resourceVersion: opts.resourceVersion,
        allowWatchBookmarks: opts.allowWatchBookmarks,
        timeoutSeconds: opts.timeoutSeconds,
        sendInitialEvents: opts.sendInitialEvents,
        resourceVersionMatch: opts.sendInitialEvents ? 'NotOlderThan' : undefined,
      });
      async function* events(): AsyncGenerator<WatchEvent> {
        try {
          const res = await fetch(`${baseUrl}${path(ref, opts.namespace)}?${q}`, { signal: abort.signal });
          if (res.status !== 200) throw await failure(res, 'watch');
          if (!res.body) return;
          const decoder = new TextDecoder();
          let buffered = '';
          for await (const chunk of res.body) {
            buffered += decoder.decode(chunk, { stream: true });
            let nl: number;
            while ((nl = buffered.indexOf('\n')) >= 0) {
              const line = buffered.slice(0, nl).trim();
              buffered = buffered.slice(nl + 1);
              if (line) yield JSON.parse(line) as WatchEvent;
            }
          }
        } catch (error) {
          if (closed) return;
          throw error;
        }
      }
      const iterable = events();
      return {
        [Symbol.asyncIterator]: () => iterable,
        close() {
          closed = true;
          abort.abort();
        },
      };
    },
  };
}

/** Polls `check` until it returns true, or throws `describe()`'s text after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  describe: () => string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `key → resourceVersion` for comparing a cache with a fresh list. */
export function versions(objects: readonly KubeObject[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of [...objects].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    out[`${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`] = o.metadata.resourceVersion ?? '';
  }
  return out;
}
