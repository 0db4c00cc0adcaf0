/**
 * Steward's HTTP transport: node:http/https with one keep-alive agent per client, authentication and TLS
 * material taken from client-node's `KubeConfig`, a client-side token bucket, and bounded retries of
 * answers that carry Retry-After. Start with {@link httpTransport}; `kubeClient.ts` builds on it.
 */
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { ApiError, ClientUsageError, TransportError, apiErrorFrom, parseRetryAfter } from './errors.js';
import { tokenBucket } from './tokenBucket.js';

export interface TransportOptions {
  /** Client-side request rate (watches are exempt). Default 50; `Infinity` turns the limit off. */
  qps?: number;
  /** Requests allowed at once above the rate. Default 100. */
  burst?: number;
  /** Retries of a 429 (or 5xx) answer that carries Retry-After. Default 3; 0 turns retries off. */
  maxRetries?: number;
  /** Longest Retry-After wait honoured, in seconds; longer ones are cut to this. Default 30. */
  maxRetryAfterSeconds?: number;
  /** Whole-request deadline of non-watch requests. Default 60 000 ms. */
  requestTimeoutMs?: number;
  /** User-Agent header; the server records it as the manager of unnamed writes. */
  userAgent?: string;
}

export interface HttpAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface Transport {
  /** A request whose answer is read whole; non-2xx answers throw the typed {@link ApiError}. */
  request(
    method: string,
    path: string,
    query?: URLSearchParams,
    body?: string,
    contentType?: string,
    signal?: AbortSignal,
  ): Promise<HttpAnswer>;
  /** A streaming GET (watch): resolves with the open 200 response; other answers throw {@link ApiError}. */
  open(path: string, query: URLSearchParams, signal: AbortSignal): Promise<IncomingMessage>;
  /** Destroys pooled sockets. */
  close(): void;
}

interface Prepared {
  base: URL;
  agent: http.Agent;
  secure: boolean;
  headers: OutgoingHttpHeaders;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function headersOf(opts: https.RequestOptions): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  // client-node writes an object; the raw-array form never comes from it.
  if (opts.headers !== undefined && !Array.isArray(opts.headers)) {
    for (const [key, value] of Object.entries(opts.headers)) headers[key.toLowerCase()] = value;
  }
  if (typeof opts.auth === 'string')
    headers['authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
  return headers;
}

async function readAll(res: IncomingMessage, context: { method: string; path: string }): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of res) chunks.push(chunk as Buffer);
  } catch (err) {
    if (err instanceof ApiError || err instanceof TransportError) throw err;
    throw new TransportError(context, `answer cut short: ${(err as Error).message}`, { cause: err });
  }
  return Buffer.concat(chunks).toString('utf8');
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/** A pooled socket that the server had closed while idle: an idempotent request may go again once. */
class StaleSocket extends Error {}

export function httpTransport(kc: KubeConfig, options: TransportOptions = {}): Transport {
  const bucket = tokenBucket({ qps: options.qps ?? 50, burst: options.burst ?? 100 });
  const maxRetries = options.maxRetries ?? 3;
  const maxRetryAfterMs = (options.maxRetryAfterSeconds ?? 30) * 1000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const userAgent = options.userAgent ?? `steward/0.0.0 (node ${process.version})`;
  const user = kc.getCurrentUser();
  // Exec plugins and auth providers (and in-cluster token files) rotate credentials: ask again per request.
  const dynamicAuth = user?.exec !== undefined || user?.authProvider !== undefined;
  let prepared: Promise<Prepared> | undefined;

  async function authHeaders(): Promise<OutgoingHttpHeaders> {
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    return headersOf(opts);
  }

  async function prepare(): Promise<Prepared> {
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new ClientUsageError('kubeClient: the KubeConfig has no current cluster');
    const base = new URL(cluster.server);
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    const secure = base.protocol === 'https:';
    const common = { keepAlive: true, keepAliveMsecs: 30_000, scheduling: 'lifo' as const };
    const agent = secure
      ? new https.Agent({
          ...common,
          ...(opts.ca === undefined ? {} : { ca: opts.ca }),
          ...(opts.cert === undefined ? {} : { cert: opts.cert }),
          ...(opts.key === undefined ? {} : { key: opts.key }),
          ...(opts.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: opts.rejectUnauthorized }),
          ...(opts.servername === undefined ? {} : { servername: opts.servername }),
        })
      : new http.Agent(common);
    return { base, agent, secure, headers: headersOf(opts) };
  }

  async function sendOnce(
    method: string,
    path: string,
    query: URLSearchParams | undefined,
    body: string | undefined,
    contentType: string | undefined,
    signal: AbortSignal | undefined,
    streaming: boolean,
  ): Promise<IncomingMessage> {
    prepared ??= prepare();
    const p = await prepared;
    const headers: OutgoingHttpHeaders = {
      ...(dynamicAuth ? await authHeaders() : p.headers),
      accept: 'application/json',
      'user-agent': userAgent,
    };
    if (body !== undefined) {
      headers['content-type'] = contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const prefix = p.base.pathname.replace(/\/$/, '');
    const qs = query === undefined || query.size === 0 ? '' : `?${query.toString()}`;
    const context = { method, path };
    const lib = p.secure ? https : http;
    signal?.throwIfAborted();
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = lib.request({
        agent: p.agent,
        protocol: p.base.protocol,
        hostname: p.base.hostname.replace(/^\[|\]$/g, ''),
        port: p.base.port,
        method,
        path: `${prefix}${path}${qs}`,
        headers,
      });
      const onAbort = (): void => void req.destroy(signal?.reason as Error);
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = streaming
        ? undefined
        : setTimeout(
            () => req.destroy(new TransportError(context, `no answer within ${requestTimeoutMs} ms`)),
            requestTimeoutMs,
          );
      const cleanup = (): void => {
        signal?.removeEventListener('abort', onAbort);
        if (timer !== undefined) clearTimeout(timer);
      };
      req.on('response', (res) => {
        if (streaming) cleanup();
        else res.on('close', cleanup);
        resolve(res);
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        cleanup();
        if (err instanceof ApiError || err instanceof TransportError || signal?.aborted) return reject(err);
        // Only idempotent verbs: a POST or PATCH the server did process must not be applied twice.
        if (req.reusedSocket && err.code === 'ECONNRESET' && IDEMPOTENT.has(method)) {
          return reject(new StaleSocket(err.message, { cause: err }));
        }
        reject(new TransportError(context, err.message, { cause: err }));
      });
      req.end(body);
    });
  }

  async function send(...args: Parameters<typeof sendOnce>): Promise<IncomingMessage> {
    try {
      return await sendOnce(...args);
    } catch (err) {
      // Node's docs advise one immediate retry when a reused keep-alive socket turns out closed.
      if (!(err instanceof StaleSocket)) throw err;
    }
    try {
      return await sendOnce(...args);
    } catch (err) {
      if (!(err instanceof StaleSocket)) throw err;
      throw new TransportError({ method: args[0], path: args[1] }, `connection reset twice: ${err.message}`, {
        cause: err.cause,
      });
    }
  }

  return {
    async request(method, path, query, body, contentType, signal) {
      const context = { method, path };
      for (let attempt = 0; ; attempt++) {
        await bucket.take(signal);
        const res = await send(method, path, query, body, contentType, signal, false);
        const text = await readAll(res, context);
        const statusCode = res.statusCode ?? 0;
        if (statusCode >= 200 && statusCode < 300) return { statusCode, headers: res.headers, text };
        const retryAfter = parseRetryAfter(res.headers['retry-after']);
        const retriable = statusCode === 429 || statusCode >= 500;
        if (!retriable || retryAfter === undefined || attempt >= maxRetries) {
          throw apiErrorFrom(statusCode, text, context, res.headers['retry-after']);
        }
        await wait(Math.min(retryAfter * 1000, maxRetryAfterMs));
        signal?.throwIfAborted();
      }
    },
    async open(path, query, signal) {
      const res = await send('GET', path, query, undefined, undefined, signal, true);
      if (res.statusCode === 200) return res;
      const context = { method: 'GET', path };
      throw apiErrorFrom(
        res.statusCode ?? 0,
        await readAll(res, context),
        context,
        res.headers['retry-after'],
      );
    },
    close() {
      void prepared?.then(
        (p) => p.agent.destroy(),
        () => undefined,
      );
    },
  };
}
