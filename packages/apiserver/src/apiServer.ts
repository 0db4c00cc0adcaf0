/**
 * `startApiServer()`: an in-process Kubernetes API server over real HTTP on loopback — storage, built-in and
 * CRD-defined resources, watch, discovery.
 *
 * Start with {@link startApiServer}; requests flow `handle()` → discovery / `http/router.ts` → one handler
 * per verb in `handlers/`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { serveDiscovery } from './discovery/discovery.js';
import { pathNotFound } from './errors/status.js';
import type { CompiledSchema, ServerState } from './handlers/context.js';
import { sendError, sendJson } from './http/respond.js';
import { routeResource } from './http/router.js';
import { CRD_COLLECTION, CrdController } from './registry/crdController.js';
import { Registry } from './registry/registry.js';
import type { ResourceInfo } from './registry/types.js';
import { compileSchema } from './schema/index.js';
import { DEFAULT_HISTORY, Storage } from './storage/storage.js';
import type { ActiveWatch } from './watch/watchHub.js';
import { WatchHub } from './watch/watchHub.js';
import { serveOpenApi } from './http/openapiRoutes.js';
import { createFaults, handleAdmin, type Faults } from './faults/index.js';

export type { ActiveWatch } from './watch/watchHub.js';

export interface ApiServerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. The server has no authentication: keep it on loopback. */
  host?: string;
  /**
   * Called first for every request (fault injection, admin routes). Resolve `true` when it has answered
   * the request itself; the server then does nothing more with it.
   */
  onRequest?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** How often watches with `allowWatchBookmarks=true` get a BOOKMARK; default 60 s, as the real server. */
  bookmarkIntervalMs?: number;
  /** Events kept per resource for watch resume; default 10 000. */
  historyLimit?: number;
  /** Data from an earlier server's `stop({ keepData: true })`: start with its objects and CRDs. */
  data?: ApiServerData;
}

/** The stored state of a server, carried across a restart. Opaque. */
export interface ApiServerData {
  /** @internal */
  readonly storage: Storage;
}

/** Hooks for fault injection and the CLI. @internal */
export interface ApiServerInternals {
  /** The open watches. */
  watches(): ActiveWatch[];
  /** Drops all event history: older resourceVersions answer 410 to watches and continue tokens expire. */
  compact(): void;
  readonly storage: Storage;
  readonly registry: Registry;
}

export interface ApiServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** A kubeconfig (as an object in kubeconfig YAML's shape) that kubectl and client-node accept. */
  readonly kubeConfig: KubeConfigFile;
  /**
   * Stops listening and closes every connection. With `keepData: true` it returns the data, which
   * `startApiServer({ port, data })` serves again (a restart on the same port keeping the objects).
   */
  stop(options?: { keepData?: boolean }): Promise<ApiServerData>;
  /**
   * Goes down for `downMs` (every connection dropped, watches ended) and comes back on the same port
   * with the same data, as an API server restart looks to clients.
   */
  restart(downMs?: number): Promise<void>;
  /** Fault injection (also served over HTTP under `/steward/`): failures, latency, watch faults, compaction. */
  readonly faults: Faults;
  /** @internal */
  readonly internals: ApiServerInternals;
}

/** The shape of a kubeconfig file, enough for one cluster, one user, one context. */
export interface KubeConfigFile {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: { name: string; cluster: { server: string; 'insecure-skip-tls-verify': boolean } }[];
  users: { name: string; user: { token: string } }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace: string } }[];
  'current-context': string;
}

/** The Kubernetes release whose API this server follows. */
export const KUBERNETES_VERSION = { major: '1', minor: '37', gitVersion: 'v1.37.0-steward' } as const;

const INITIAL_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

function seedNamespaces(storage: Storage): void {
  const coll = storage.collection('namespaces');
  for (const name of INITIAL_NAMESPACES) {
    if (coll.get('', name)) continue;
    coll.put({
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: {
        name,
        uid: randomUUID(),
        creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        labels: { 'kubernetes.io/metadata.name': name },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
}

function version(res: ServerResponse): void {
  sendJson(res, 200, {
    ...KUBERNETES_VERSION,
    emulationMajor: KUBERNETES_VERSION.major,
    emulationMinor: KUBERNETES_VERSION.minor,
    minCompatibilityMajor: KUBERNETES_VERSION.major,
    minCompatibilityMinor: String(Number(KUBERNETES_VERSION.minor) - 1),
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'n/a (TypeScript)',
    compiler: 'steward',
    platform: `${process.platform}/${process.arch}`,
  });
}

async function handle(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  address: string,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname;
  switch (path) {
    case '/version':
      return version(res);
    case '/healthz':
    case '/livez':
    case '/readyz':
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('ok');
  }
  if (path.startsWith('/openapi/')) {
    if (serveOpenApi(state, req, res, path)) return;
    throw pathNotFound();
  }
  const parts = path.split('/').filter((p) => p !== '');
  if (
    parts[0] === 'apis' &&
    parts[1] !== undefined &&
    !state.registry.groups().some((g) => g.group === parts[1])
  ) {
    // No API group handler is registered for the path, so the real server's mux answers it in plain text.
    res.writeHead(404, {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
    });
    return void res.end('404 page not found\n');
  }
  const isApi = (parts[0] === 'api' && parts.length >= 2) || (parts[0] === 'apis' && parts.length >= 3);
  const isResource = (parts[0] === 'api' && parts.length >= 3) || (parts[0] === 'apis' && parts.length >= 4);
  if (
    !isResource &&
    (parts[0] === 'api' || parts[0] === 'apis') &&
    serveDiscovery(state.registry, req, res, path, address)
  )
    return;
  if (isApi && isResource) return routeResource(state, req, res, url, parts);
  throw pathNotFound();
}

export function kubeConfigFor(url: string, name = 'steward'): KubeConfigFile {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name, user: { token: 'steward' } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
  };
}

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const storage = options.data?.storage ?? new Storage(options.historyLimit ?? DEFAULT_HISTORY);
  const registry = new Registry();
  const watches = new WatchHub();
  const crds = new CrdController(storage, registry);
  const schemas = new WeakMap<ResourceInfo, CompiledSchema>();
  const state: ServerState = {
    storage,
    registry,
    watches,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    schemaFor(info) {
      if (!info.schema) return undefined;
      let c = schemas.get(info);
      if (!c) {
        c = compileSchema(info.schema);
        schemas.set(info, c);
      }
      return c;
    },
    onCrdWritten(crd, name) {
      const before = registry.crdResources(name);
      crds.onCrdWritten(crd, name);
      // Watches on a resource that is no longer served end, as they do when a CRD goes away.
      if (before?.[0] && !registry.crdResources(name)) {
        const resource = `${before[0].plural}.${before[0].group}`;
        for (const w of watches.list()) if (w.resource === resource) w.close();
      }
    },
  };
  seedNamespaces(storage);
  if (!options.data) storage.startHistory();
  for (const crd of storage.collection(CRD_COLLECTION).objects.values()) crds.onCrdWritten(crd.obj, crd.name);

  let address = '';
  const target = () => ({ watches: () => watches.list(), compact: () => storage.compact() });
  const { faults, intercept } = createFaults(target);
  let restart: ((downMs?: number) => Promise<void>) | undefined;
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        if (options.onRequest && (await options.onRequest(req, res))) return;
        const url = new URL(req.url ?? '/', 'http://x');
        if (await handleAdmin(req, res, url, faults, target, (ms) => restart?.(ms) ?? Promise.resolve()))
          return;
        if (await intercept(req, res, url)) return;
        await handle(state, req, res, address);
      } catch (e) {
        sendError(res, e);
      }
    })();
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  const down = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      watches.closeAll();
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    });
  restart = async (downMs = 0) => {
    await down();
    await new Promise((r) => setTimeout(r, downMs));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  };
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    kubeConfig: kubeConfigFor(url),
    internals: {
      watches: () => watches.list(),
      compact: () => storage.compact(),
      storage,
      registry,
    },
    faults,
    restart: (downMs) => restart?.(downMs) ?? Promise.resolve(),
    stop: async (_opts = {}) => {
      faults.clear();
      await down();
      return { storage };
    },
  };
}
