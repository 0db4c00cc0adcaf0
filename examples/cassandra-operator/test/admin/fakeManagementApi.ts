/**
 * A small local HTTP server that answers the Management API endpoints `managementApiAdmin` calls, in
 * the shapes of the API's OpenAPI document (status codes, text job ids, the endpoints `entity` list,
 * executor job details), so the client is tested against the protocol rather than against itself.
 * Start with {@link fakeManagementApi}.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Node } from '../../src/admin/cassandraAdmin.js';
import type { EndpointState } from '../../src/admin/endpointStates.js';

export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
}

export interface FakeManagementApi {
  /** The node as the operator addresses it: host 127.0.0.1 (also its ENDPOINT_IP), the server's port. */
  node: Node;
  requests: RecordedRequest[];
  /** What `/api/v0/metadata/endpoints` answers. */
  endpoints: EndpointState[];
  /** Whether the agent knows the v1 endpoints (older agents answer 404). */
  v1: boolean;
  /** Forces the next answers of a path (status and text), in order. */
  answer(path: string, status: number, text?: string): void;
  /** How cleanup jobs end, and after how many polls in `WAITING`. */
  cleanupJob: { polls: number; status: 'COMPLETED' | 'ERROR'; error?: string };
  close(): Promise<void>;
}

export async function fakeManagementApi(): Promise<FakeManagementApi> {
  const forced = new Map<string, { status: number; text: string }[]>();
  const jobs = new Map<string, { polls: number; status: string; error?: string }>();
  let running = false;
  let nextJob = 1;

  const api: FakeManagementApi = {
    node: { namespace: 'db', pod: 'dc1-r1-0', host: '127.0.0.1', port: 0 },
    requests: [],
    endpoints: [],
    v1: true,
    answer(path, status, text = '') {
      forced.set(path, [...(forced.get(path) ?? []), { status, text }]);
    },
    cleanupJob: { polls: 1, status: 'COMPLETED' },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  function route(method: string, path: string): { status: number; text: string; json?: boolean } {
    const url = new URL(path, 'http://fake');
    const queued = forced.get(url.pathname)?.shift();
    if (queued !== undefined) return queued;
    const v1Only = url.pathname.startsWith('/api/v1/') && !api.v1;
    if (v1Only) return { status: 404, text: '' };
    switch (`${method} ${url.pathname}`) {
      case 'POST /api/v0/lifecycle/start':
        if (running) return { status: 202, text: '' };
        running = true;
        return { status: 201, text: 'OK' };
      case 'GET /api/v0/metadata/endpoints':
        return { status: 200, text: JSON.stringify({ entity: api.endpoints }), json: true };
      case 'POST /api/v0/ops/node/drain':
      case 'POST /api/v0/ops/node/decommission':
      case 'POST /api/v0/ops/keyspace/cleanup':
        return { status: 200, text: 'OK' };
      case 'POST /api/v1/ops/node/decommission':
        return { status: 202, text: `job-${nextJob++}` };
      case 'POST /api/v1/ops/keyspace/cleanup': {
        const id = `job-${nextJob++}`;
        jobs.set(id, { ...api.cleanupJob });
        return { status: 202, text: id };
      }
      case 'GET /api/v0/ops/executor/job': {
        const id = url.searchParams.get('job_id') ?? '';
        const job = jobs.get(id);
        if (job === undefined) return { status: 404, text: '{}', json: true };
        const done = job.polls-- <= 0;
        const details = { id, type: 'CLEANUP', status: done ? job.status : 'WAITING', submit_time: 1 };
        return {
          status: 200,
          text: JSON.stringify(done && job.error !== undefined ? { ...details, error: job.error } : details),
          json: true,
        };
      }
      default:
        return { status: 404, text: '' };
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      api.requests.push({ method, path, body });
      const { status, text, json } = route(method, path);
      res.writeHead(status, { 'content-type': json ? 'application/json' : 'text/plain' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.node.port = (server.address() as AddressInfo).port;
  return api;
}
