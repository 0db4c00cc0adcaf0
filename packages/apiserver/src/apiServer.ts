/**
 * `startApiServer()`: an in-process Kubernetes API server over real HTTP on loopback.
 *
 * This first cut serves `/version`, health endpoints and the discovery roots, and answers every other
 * path with the real server's 404 `Status`; resources arrive with the embedded-server issue.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathNotFound, StatusError } from './errors/status.js';

export interface ApiServerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. The server has no authentication: keep it on loopback. */
  host?: string;
}

export interface ApiServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** A kubeconfig (as an object in kubeconfig YAML's shape) that kubectl and client-node accept. */
  readonly kubeConfig: KubeConfigFile;
  stop(): Promise<void>;
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

function json(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  switch (path) {
    case '/version':
      return json(res, 200, {
        ...KUBERNETES_VERSION,
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2026-01-01T00:00:00Z',
        goVersion: 'n/a (TypeScript)',
        compiler: 'steward',
        platform: `${process.platform}/${process.arch}`,
      });
    case '/healthz':
    case '/livez':
    case '/readyz':
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('ok');
    case '/api':
      return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    case '/apis':
      return json(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    default: {
      const err = pathNotFound();
      return json(res, err.code, err.status);
    }
  }
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
  const server: Server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      const err = e instanceof StatusError ? e : undefined;
      json(res, err?.code ?? 500, err?.status ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500 });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  return {
    url,
    port,
    kubeConfig: kubeConfigFor(url),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
