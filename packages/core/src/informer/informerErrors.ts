/**
 * The informer's coded errors. Most are never thrown at callers: the informer records them in
 * `health().lastError` and recovers. Start with {@link WatchExpiredError}, the 410 that forces a relist.
 */
import { StewardError, type StewardErrorOptions } from '../errors/errors.js';

/** The watch's resourceVersion is older than the server's history (410 Gone / Expired): relist. */
export class WatchExpiredError extends StewardError {
  constructor(message: string, options: StewardErrorOptions = {}) {
    super('WATCH_EXPIRED', message, true, options);
  }
}

/** The server sent an ERROR event that is not a 410; the informer backs off and watches again. */
export class WatchStatusError extends StewardError {
  /** The Status `code` the server sent, when it sent one. */
  readonly statusCode: number | undefined;

  constructor(message: string, statusCode: number | undefined, options: StewardErrorOptions = {}) {
    super('WATCH_STATUS', message, true, options);
    this.statusCode = statusCode;
  }
}

/** No event or bookmark arrived within the inactivity deadline: the informer reconnects. */
export class InformerIdleError extends StewardError {
  constructor(message: string, options: StewardErrorOptions = {}) {
    super('INFORMER_IDLE', message, true, options);
  }
}

/**
 * A WatchList ended before its initial-events-end bookmark (a server or proxy cut it, e.g. one that
 * limits a watcher's backlog): the informer fills its cache by LIST on the next attempt instead.
 */
export class WatchListIncompleteError extends StewardError {
  constructor(message: string, options: StewardErrorOptions = {}) {
    super('WATCHLIST_INCOMPLETE', message, true, options);
  }
}

/** `waitForSync()` on an informer stopped before its first list completed. */
export class InformerStoppedError extends StewardError {
  constructor(message: string, options: StewardErrorOptions = {}) {
    super('INFORMER_STOPPED', message, false, options);
  }
}

/** `byIndex` or `addIndexer` named an indexer wrongly: a programming error. */
export class IndexerError extends StewardError {
  constructor(message: string, options: StewardErrorOptions = {}) {
    super('INDEXER', message, false, options);
  }
}

/** Reads an HTTP status from anything a client threw: `statusCode`, `status`, or `code` (number). */
export function httpStatusOf(error: unknown): number | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    const r = e as Record<string, unknown>;
    for (const field of ['statusCode', 'status', 'code']) {
      const v = r[field];
      if (typeof v === 'number' && v >= 100 && v < 600) return v;
    }
    e = r['cause'];
  }
  return undefined;
}

/** True for a 410 Gone / Expired from list, watch or an ERROR event, whatever client raised it. */
export function isExpired(error: unknown): boolean {
  if (error instanceof WatchExpiredError) return true;
  if (httpStatusOf(error) === 410) return true;
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    const r = e as Record<string, unknown>;
    if (
      r['code'] === 'GONE' ||
      r['code'] === 'EXPIRED' ||
      r['reason'] === 'Expired' ||
      r['reason'] === 'Gone'
    )
      return true;
    e = r['cause'];
  }
  return false;
}

/** The server's Retry-After, in ms, when the error carries one (`retryAfterMs` or `retryAfterSeconds`). */
export function retryAfterMsOf(error: unknown): number | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    const r = e as Record<string, unknown>;
    const ms = r['retryAfterMs'];
    if (typeof ms === 'number' && ms >= 0) return ms;
    const s = r['retryAfterSeconds'];
    if (typeof s === 'number' && s >= 0) return s * 1000;
    e = r['cause'];
  }
  return undefined;
}

/** The error for a watch ERROR event: 410 / Expired / Gone → {@link WatchExpiredError}, else {@link WatchStatusError}. */
export function errorFromStatus(status: unknown, context: string): StewardError {
  const s = (status ?? {}) as { code?: unknown; reason?: unknown; message?: unknown };
  const code = typeof s.code === 'number' ? s.code : undefined;
  const reason = typeof s.reason === 'string' ? s.reason : undefined;
  const detail = typeof s.message === 'string' ? s.message : (reason ?? 'ERROR event');
  if (code === 410 || reason === 'Expired' || reason === 'Gone') {
    return new WatchExpiredError(`${context}: ${detail}; relisting`);
  }
  return new WatchStatusError(`${context}: ${detail}; watching again after a backoff`, code);
}
