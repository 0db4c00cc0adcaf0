/**
 * A minimal HTTP server for the manager's probes and metrics (node:http, no framework). Start with
 * {@link probeServer}; the manager decides which routes each server carries.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A route's answer; a throw becomes a 500. */
export interface ProbeResponse {
  status: number;
  body: string;
  contentType?: string;
}
export type ProbeRoute = (req: IncomingMessage) => ProbeResponse | Promise<ProbeResponse>;

export interface ProbeServer {
  /** `http://host:port`; a wildcard host is given as 127.0.0.1 so the URL can be fetched. */
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on `port` (0: any free port) and serves `routes` by exact path, GET and HEAD only. */
export async function probeServer(
  port: number,
  host: string,
  routes: Record<string, ProbeRoute>,
): Promise<ProbeServer> {
  const server = createServer((req, res) => {
    void answer(req, res, routes);
  });
  // Probes are short requests: idle keep-alive sockets must not hold close() up.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  routes: Record<string, ProbeRoute>,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
  let out: ProbeResponse;
  if (route === undefined) out = { status: 404, body: `404 page not found: ${path}\n` };
  else if (req.method !== 'GET' && req.method !== 'HEAD') out = { status: 405, body: 'method not allowed\n' };
  else {
    try {
      out = await route(req);
    } catch (error) {
      out = {
        status: 500,
        body: `internal error: ${error instanceof Error ? error.message : String(error)}\n`,
      };
    }
  }
  res.writeHead(out.status, {
    'content-type': out.contentType ?? 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(out.body),
  });
  res.end(req.method === 'HEAD' ? undefined : out.body);
}
