/**
 * The conformance target: a real cluster named by `STEWARD_CONFORMANCE_KUBECONFIG`, or else the embedded
 * server, reached only over HTTP and through `kubectl` so the same cases run against both.
 *
 * Start with {@link useTarget}: a test file calls it once and gets a client and a fresh namespace.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import { parse as parseYaml } from 'yaml';

/** True when the suite runs against a real cluster rather than the embedded server. */
export const isRealCluster = Boolean(process.env['STEWARD_CONFORMANCE_KUBECONFIG']);

export interface RequestOptions {
  body?: unknown;
  /** Default `application/json` when a body is given; a string body is sent verbatim. */
  contentType?: string;
  accept?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
}

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The parsed body, or undefined when the body is not JSON. */
  json: any;
  text: string;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

/** An open watch: iterate it, or pull events one at a time with a deadline. */
export interface Watch extends AsyncIterable<WatchEvent> {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The next event, or `undefined` when the server ended the stream; rejects after `ms`. */
  next(ms?: number): Promise<WatchEvent | undefined>;
  /** Events until the server ends the stream (or `ms` passes, which rejects). */
  rest(ms?: number): Promise<WatchEvent[]>;
  /** Resolves when the server has ended the stream. */
  ended: Promise<void>;
  close(): void;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface Connection {
  server: URL;
  headers: Record<string, string>;
  tls: https.AgentOptions;
  kubeconfigPath: string;
  stop(): Promise<void>;
}

function b64(s: string | undefined): Buffer | undefined {
  return s === undefined ? undefined : Buffer.from(s, 'base64');
}

async function file(p: string | undefined): Promise<Buffer | undefined> {
  return p === undefined ? undefined : readFile(p);
}

/** Reads the current context of a kubeconfig file: server, CA, client certificate, token or basic auth. */
async function fromKubeconfig(path: string): Promise<Connection> {
  const doc = parseYaml(await readFile(path, 'utf8'));
  const ctxName = doc['current-context'];
  const context =
    (doc.contexts ?? []).find((c: any) => c.name === ctxName)?.context ?? doc.contexts?.[0]?.context;
  const cluster = (doc.clusters ?? []).find((c: any) => c.name === context?.cluster)?.cluster;
  const user = (doc.users ?? []).find((u: any) => u.name === context?.user)?.user ?? {};
  if (!cluster?.server) throw new Error(`kubeconfig ${path}: no cluster server in the current context`);
  const tls: https.AgentOptions = { keepAlive: true };
  const ca = b64(cluster['certificate-authority-data']) ?? (await file(cluster['certificate-authority']));
  if (ca) tls.ca = ca;
  if (cluster['insecure-skip-tls-verify']) tls.rejectUnauthorized = false;
  if (cluster['tls-server-name']) tls.servername = cluster['tls-server-name'];
  const cert = b64(user['client-certificate-data']) ?? (await file(user['client-certificate']));
  const key = b64(user['client-key-data']) ?? (await file(user['client-key']));
  if (cert) tls.cert = cert;
  if (key) tls.key = key;
  if (
    user.exec &&
    !user.token &&
    !user.tokenFile &&
    !user['client-certificate-data'] &&
    !user['client-certificate']
  ) {
    // kubectl can run exec plugins; the suite's own HTTP client cannot, so say so instead of failing with 401s.
    throw new Error(
      `kubeconfig ${path}: exec credential plugins are not supported; use a token or a client certificate`,
    );
  }
  const headers: Record<string, string> = {};
  const token = user.token ?? (user.tokenFile ? (await readFile(user.tokenFile, 'utf8')).trim() : undefined);
  if (token) headers['Authorization'] = `Bearer ${token}`;
  else if (user.username !== undefined) {
    headers['Authorization'] =
      `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
  }
  return { server: new URL(cluster.server), headers, tls, kubeconfigPath: path, stop: async () => {} };
}

/** Starts the embedded server; imported lazily so a real-cluster run never loads it. */
async function embedded(): Promise<Connection> {
  const { startApiServer } = await import('../src/index.js');
  const server = await startApiServer({ port: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'steward-conformance-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeFile(kubeconfigPath, JSON.stringify(server.kubeConfig));
  const conn = await fromKubeconfig(kubeconfigPath);
  return {
    ...conn,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function buildPath(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${s}`;
}

/** The client a case gets: raw HTTP, watches and kubectl against one target. */
export class Client {
  private readonly agent: http.Agent;
  constructor(private readonly conn: Connection) {
    this.agent =
      conn.server.protocol === 'https:' ? new https.Agent(conn.tls) : new http.Agent({ keepAlive: true });
  }

  get kubeconfigPath(): string {
    return this.conn.kubeconfigPath;
  }

  private open(
    method: string,
    path: string,
    opts: RequestOptions,
  ): Promise<http.IncomingMessage> & { req?: http.ClientRequest } {
    const { server } = this.conn;
    const headers: Record<string, string> = {
      ...this.conn.headers,
      Accept: opts.accept ?? 'application/json',
      ...opts.headers,
    };
    let payload: Buffer | undefined;
    if (opts.body !== undefined) {
      payload = Buffer.from(
        typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body),
      );
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
      // A server may answer a huge body (413) before reading it; never reuse such a connection.
      if (payload.length > 1024 * 1024) headers['Connection'] = 'close';
    }
    const lib = server.protocol === 'https:' ? https : http;
    let req: http.ClientRequest | undefined;
    const p = new Promise<http.IncomingMessage>((resolve, reject) => {
      req = lib.request(
        {
          protocol: server.protocol,
          hostname: server.hostname,
          port: server.port,
          method,
          path: `${server.pathname.replace(/\/$/, '')}${buildPath(path, opts.query)}`,
          headers,
          agent: this.agent,
        },
        resolve,
      );
      req.on('error', reject);
      req.end(payload);
    }) as Promise<http.IncomingMessage> & { req?: http.ClientRequest };
    if (req) p.req = req;
    return p;
  }

  /** One request; the body is read whole and parsed when it is JSON. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    const res = await this.open(method, path, opts);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode ?? 0, headers: res.headers, json, text };
  }

  get(path: string, query?: RequestOptions['query']): Promise<Response> {
    return this.request('GET', path, query ? { query } : {});
  }
  post(path: string, body: unknown, query?: RequestOptions['query']): Promise<Response> {
    return this.request('POST', path, query ? { body, query } : { body });
  }
  put(path: string, body: unknown, query?: RequestOptions['query']): Promise<Response> {
    return this.request('PUT', path, query ? { body, query } : { body });
  }
  patch(
    path: string,
    type: 'json' | 'merge' | 'strategic' | 'apply',
    body: unknown,
    query?: RequestOptions['query'],
  ): Promise<Response> {
    const contentType = {
      json: 'application/json-patch+json',
      merge: 'application/merge-patch+json',
      strategic: 'application/strategic-merge-patch+json',
      apply: 'application/apply-patch+yaml',
    }[type];
    return this.request('PATCH', path, query ? { body, contentType, query } : { body, contentType });
  }
  delete(path: string, query?: RequestOptions['query'], body?: unknown): Promise<Response> {
    const opts: RequestOptions = {};
    if (query) opts.query = query;
    if (body !== undefined) opts.body = body;
    return this.request('DELETE', path, opts);
  }

  /** Opens `path?watch=true&...`; resolves once the response headers arrive. */
  async watch(path: string, query: RequestOptions['query'] = {}): Promise<Watch> {
    const pending = this.open('GET', path, { query: { watch: 'true', ...query } });
    const res = await pending;
    const queue: (WatchEvent | undefined)[] = [];
    const waiters: ((e: WatchEvent | undefined) => void)[] = [];
    let done = false;
    let endResolve!: () => void;
    const ended = new Promise<void>((r) => (endResolve = r));
    const push = (e: WatchEvent | undefined) => {
      const w = waiters.shift();
      if (w) w(e);
      else queue.push(e);
    };
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (line === '') continue;
        try {
          push(JSON.parse(line) as WatchEvent);
        } catch {
          push({ type: 'ERROR', object: { unparsable: line } });
        }
      }
    });
    const finish = () => {
      if (done) return;
      done = true;
      if (buf.trim() !== '') {
        try {
          push(JSON.parse(buf) as WatchEvent);
        } catch {
          push({ type: 'ERROR', object: { unparsable: buf } });
        }
      }
      push(undefined);
      endResolve();
    };
    res.on('end', finish);
    res.on('close', finish);
    res.on('error', finish);
    const next = (ms = 3000): Promise<WatchEvent | undefined> => {
      if (queue.length > 0) return Promise.resolve(queue.shift());
      if (done) return Promise.resolve(undefined);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`no watch event within ${ms} ms on ${path}`));
        }, ms);
        const waiter = (e: WatchEvent | undefined) => {
          clearTimeout(timer);
          resolve(e);
        };
        waiters.push(waiter);
      });
    };
    const watch: Watch = {
      status: res.statusCode ?? 0,
      headers: res.headers,
      next,
      ended,
      async rest(ms = 5000) {
        const deadline = Date.now() + ms;
        const out: WatchEvent[] = [];
        for (;;) {
          const e = await next(Math.max(1, deadline - Date.now()));
          if (e === undefined) return out;
          out.push(e);
        }
      },
      close() {
        res.destroy();
        pending.req?.destroy();
      },
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const e = await next(30_000);
          if (e === undefined) return;
          yield e;
        }
      },
    };
    return watch;
  }

  /** Opens a watch, hands it to `fn`, and closes it however `fn` ends. */
  async withWatch<T>(path: string, query: RequestOptions['query'], fn: (w: Watch) => Promise<T>): Promise<T> {
    const w = await this.watch(path, query);
    try {
      return await fn(w);
    } finally {
      w.close();
    }
  }

  /** Runs the real kubectl against the target (exit code, never a throw). */
  kubectl(args: string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(
        'kubectl',
        ['--kubeconfig', this.conn.kubeconfigPath, ...args],
        { timeout: opts.timeoutMs ?? 20_000, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as any).code === 'number' ? (err as any).code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
      else child.stdin?.end();
    });
  }

  /** Starts a long-running kubectl (such as `get -w`); the caller kills it. */
  spawnKubectl(args: string[]): {
    child: ChildProcess;
    output: () => string;
    waitFor(re: RegExp, ms?: number): Promise<string>;
  } {
    const child = spawn('kubectl', ['--kubeconfig', this.conn.kubeconfigPath, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const listeners = new Set<() => void>();
    const onData = (d: Buffer) => {
      out += d.toString('utf8');
      for (const l of listeners) l();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    return {
      child,
      output: () => out,
      waitFor: (re, ms = 8000) =>
        new Promise((resolve, reject) => {
          const check = () => {
            if (re.test(out)) {
              listeners.delete(check);
              clearTimeout(timer);
              resolve(out);
            }
          };
          const timer = setTimeout(() => {
            listeners.delete(check);
            reject(
              new Error(`kubectl ${args.join(' ')}: ${re} not seen within ${ms} ms; output so far:\n${out}`),
            );
          }, ms);
          listeners.add(check);
          check();
        }),
    };
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Random lowercase suffix: names stay unique on a shared cluster. */
export function suffix(n = 5): string {
  let s = '';
  while (s.length < n) s += Math.random().toString(36).slice(2);
  return s.slice(0, n);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns a truthy value or `ms` passes (then throws with `what`). */
export async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  ms = 5000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

export interface TargetContext {
  readonly client: Client;
  /** This file's namespace (created in beforeAll); throws if the target could not create it. */
  readonly ns: string;
  /** Creates another namespace, deleted when the file ends. */
  createNamespace(prefix?: string): Promise<string>;
  /** Registers a cleanup to run in afterAll (CRDs, cluster-scoped objects). */
  defer(fn: () => Promise<unknown>): void;
}

/**
 * Connects to the target for one test file: beforeAll starts or reaches it and creates a namespace,
 * afterAll cleans up. A failure to set up is kept and thrown by each case that needs the target,
 * so a missing feature fails its cases instead of the whole file's hooks.
 */
export function useTarget(area: string): TargetContext {
  let client: Client | undefined;
  let conn: Connection | undefined;
  let setupError: unknown;
  let ns: string | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  const namespaces: string[] = [];

  // Errors can come from another realm (Jest's VM modules), so `instanceof Error` is not trusted here.
  const setupFailure = (): Error =>
    new Error(
      `conformance target setup failed: ${String((setupError as { stack?: unknown })?.stack ?? setupError)}`,
    );

  const createNamespace = async (prefix = `conf-${area}`): Promise<string> => {
    if (!client) throw setupFailure();
    const name = `${prefix}-${suffix()}`.slice(0, 63);
    const res = await client.post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
    if (res.status !== 201) throw new Error(`cannot create namespace ${name}: ${res.status} ${res.text}`);
    namespaces.push(name);
    // Without a controller manager nothing creates the `default` ServiceAccount, and the ServiceAccount
    // admission plugin of a real server refuses Pods until it exists; a 409 here is fine.
    await client
      .post(`/api/v1/namespaces/${name}/serviceaccounts`, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default' },
      })
      .catch(() => undefined);
    return name;
  };

  beforeAll(async () => {
    try {
      const kc = process.env['STEWARD_CONFORMANCE_KUBECONFIG'];
      conn = kc ? await fromKubeconfig(kc) : await embedded();
      client = new Client(conn);
      ns = await createNamespace();
    } catch (e) {
      setupError = e;
    }
  }, 30_000);

  afterAll(async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
    if (client) {
      for (const n of namespaces) await client.delete(`/api/v1/namespaces/${n}`).catch(() => undefined);
      client.close();
    }
    await conn?.stop();
  }, 30_000);

  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw setupFailure();
    return v;
  };

  return {
    get client() {
      return need(client);
    },
    get ns() {
      return need(ns);
    },
    createNamespace,
    defer: (fn) => void cleanups.push(fn),
  };
}
