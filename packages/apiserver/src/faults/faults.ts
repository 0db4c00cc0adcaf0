/**
 * Fault injection for tests: make the embedded server fail the way real clusters fail — dropped and
 * half-open watches, compacted history (410), stale watchers, 409/429/500 answers, dropped connections,
 * latency. Start with {@link createFaults}; the same operations are served over HTTP by `adminRoutes.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActiveWatch } from '../watch/watchHub.js';
import { StatusError, conflict, internalError, tooManyRequests, OBJECT_MODIFIED } from '../errors/status.js';

/** The part of a live watch that faults act on: the server's own watch handle. */
export type WatchLike = ActiveWatch;

/** What faults need from the server. */
export interface FaultTarget {
  watches(): WatchLike[];
  /** Drop all event history: resumes from older resourceVersions get 410, continue tokens expire. */
  compact(): void;
}

/** Which requests a fault applies to. Every given field must match. */
export interface RequestMatch {
  /** HTTP method, case-insensitive (`GET`, `PUT`, ...). */
  method?: string;
  /** Path without the query: exact, or a glob where `*` matches within a segment and `**` across. */
  path?: string;
  /** Only watch requests (`true`) or only non-watch requests (`false`). */
  watch?: boolean;
  /** Substring of the User-Agent header. */
  userAgent?: string;
}

/** How a matched request fails. */
export type FailureKind =
  | { code: 409; message?: string }
  | { code: 429; retryAfterSeconds?: number }
  | { code: 500; message?: string }
  | { code: 'drop' };

/** Which watches a watch fault acts on. Every given field must match; empty means all. */
export interface WatchFilter {
  resource?: string;
  namespace?: string;
  userAgent?: string;
}

export interface FaultHandle {
  /** Removes the fault (a no-op once it has fired its count). */
  remove(): void;
  /** How many requests it has affected so far. */
  readonly hits: number;
}

export interface Faults {
  /** Fails the next `count` (default 1) requests that match. */
  failNext(match: RequestMatch, failure: FailureKind, count?: number): FaultHandle;
  /** Delays every matching request by `ms` until removed. */
  addLatency(match: RequestMatch, ms: number): FaultHandle;
  /** Ends matching watches cleanly (as a server-side timeout would); returns how many. */
  closeWatches(filter?: WatchFilter): number;
  /** Holds back events to matching watches for `ms` (then delivers them), or until `release()`. */
  holdWatches(filter: WatchFilter, ms?: number): { release(): void; readonly count: number };
  /** Makes matching watches half-open: the connection stays up and silent. Returns how many. */
  halfOpenWatches(filter?: WatchFilter): number;
  /** Compacts history so that watches resuming from an older resourceVersion get 410 Expired. */
  compact(): void;
  /** Removes every request fault and releases every held watch. */
  clear(): void;
}

interface RequestFault {
  match: RequestMatch;
  /** `match.path` as a RegExp. */
  path: RegExp | undefined;
  failure?: FailureKind;
  latencyMs?: number;
  remaining: number;
  hits: number;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*\*/g, '§§').replace(/\*/g, '[^/]*').replace(/§§/g, '.*')}$`);
}

/** The path glob compiled once, when the fault is made, not on every request. */
function compilePath(match: RequestMatch): RegExp | undefined {
  return match.path ? globToRegExp(match.path) : undefined;
}

function requestMatches(f: RequestFault, req: IncomingMessage, url: URL): boolean {
  const match = f.match;
  if (match.method && match.method.toUpperCase() !== (req.method ?? 'GET').toUpperCase()) return false;
  if (f.path && !f.path.test(url.pathname)) return false;
  if (match.watch !== undefined) {
    const w = url.searchParams.get('watch');
    if ((w === 'true' || w === '1') !== match.watch) return false;
  }
  if (match.userAgent && !(req.headers['user-agent'] ?? '').includes(match.userAgent)) return false;
  return true;
}

function watchMatches(filter: WatchFilter, w: WatchLike): boolean {
  if (filter.resource !== undefined && filter.resource !== w.resource) return false;
  if (filter.namespace !== undefined && filter.namespace !== w.namespace) return false;
  if (filter.userAgent !== undefined && !w.userAgent.includes(filter.userAgent)) return false;
  return true;
}

function failureError(failure: Exclude<FailureKind, { code: 'drop' }>, url: URL): StatusError {
  switch (failure.code) {
    case 409:
      return failure.message
        ? new StatusError({ reason: 'Conflict', code: 409, message: failure.message })
        : conflict('objects', '', url.pathname.split('/').pop() ?? '', OBJECT_MODIFIED);
    case 429:
      return tooManyRequests(failure.retryAfterSeconds ?? 1);
    case 500:
      return internalError(failure.message ?? 'injected fault');
    default:
      throw new TypeError(`unknown failure ${JSON.stringify(failure)}`);
  }
}

/**
 * Creates the fault registry for a server. `target` is read lazily, so the registry can be made before
 * the server exists. `intercept` must run first for every request: it applies latency and failures and
 * returns true when it answered (or dropped) the request itself.
 */
export function createFaults(target: () => FaultTarget): {
  faults: Faults;
  intercept: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
} {
  const requestFaults = new Set<RequestFault>();
  const holds = new Set<{ release(): void }>();

  function handle(f: RequestFault): FaultHandle {
    return {
      remove: () => void requestFaults.delete(f),
      get hits() {
        return f.hits;
      },
    };
  }

  const faults: Faults = {
    failNext(match, failure, count = 1) {
      if (!Number.isInteger(count) || count < 1)
        throw new RangeError(`failNext: count must be a positive integer, got ${count}`);
      const f: RequestFault = { match, path: compilePath(match), failure, remaining: count, hits: 0 };
      requestFaults.add(f);
      return handle(f);
    },
    addLatency(match, ms) {
      if (!(ms >= 0)) throw new RangeError(`addLatency: ms must be >= 0, got ${ms}`);
      const f: RequestFault = {
        match,
        path: compilePath(match),
        latencyMs: ms,
        remaining: Infinity,
        hits: 0,
      };
      requestFaults.add(f);
      return handle(f);
    },
    closeWatches(filter = {}) {
      const chosen = target()
        .watches()
        .filter((w) => watchMatches(filter, w));
      for (const w of chosen) w.close();
      return chosen.length;
    },
    holdWatches(filter, ms) {
      const chosen = target()
        .watches()
        .filter((w) => watchMatches(filter, w));
      for (const w of chosen) w.hold();
      let timer: NodeJS.Timeout | undefined;
      const hold = {
        count: chosen.length,
        release() {
          if (timer) clearTimeout(timer);
          holds.delete(hold);
          for (const w of chosen) w.resume();
        },
      };
      holds.add(hold);
      if (ms !== undefined) timer = setTimeout(() => hold.release(), ms).unref();
      return hold;
    },
    halfOpenWatches(filter = {}) {
      const chosen = target()
        .watches()
        .filter((w) => watchMatches(filter, w));
      for (const w of chosen) w.halfOpen();
      return chosen.length;
    },
    compact() {
      target().compact();
    },
    clear() {
      requestFaults.clear();
      for (const h of holds) h.release();
    },
  };

  async function intercept(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    for (const f of requestFaults) {
      if (!requestMatches(f, req, url)) continue;
      f.hits++;
      if (f.latencyMs !== undefined) {
        await new Promise((r) => setTimeout(r, f.latencyMs));
        continue;
      }
      if (--f.remaining <= 0) requestFaults.delete(f);
      const failure = f.failure;
      if (!failure) continue;
      if (failure.code === 'drop') {
        req.socket.destroy();
        return true;
      }
      const err = failureError(failure, url);
      const body = JSON.stringify(err.status);
      res.writeHead(err.code, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        ...err.headers,
      });
      res.end(body);
      return true;
    }
    return false;
  }

  return { faults, intercept };
}
