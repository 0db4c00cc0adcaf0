/**
 * `serveWatch()`: one watch as a chunked stream of newline-delimited JSON events — initial ADDED events,
 * history replay from a resourceVersion, live events with selector transitions, bookmarks, the
 * initial-events-end bookmark, `timeoutSeconds`, and the 200-then-ERROR-410 answer for too-old versions.
 *
 * Start with {@link serveWatch}. Events are written as they happen; a watcher whose socket falls too far
 * behind is closed rather than slowing writers down. The initial events (and a resume's replay) are
 * instead written in chunks that wait for the socket to drain, with live events queued behind them, so
 * a WatchList of any size is sent in bounded memory.
 */
import type { ServerResponse } from 'node:http';
import { StatusError } from '../errors/status.js';
import { objectJson } from '../http/respond.js';
import type { Collection, StorageEvent } from '../storage/storage.js';
import { storedObject, type StoredObject } from '../storage/storedObject.js';
import type { ActiveWatch, WatchHub } from './watchHub.js';

/**
 * Bytes of live events a watcher may have queued (in its socket, or behind its initial events) before
 * the server gives up on it. Initial events are not counted: they wait for the socket instead.
 */
export const MAX_WATCHER_BACKLOG = 64 * 1024 * 1024;

/** Characters of initial events written at once before waiting for the socket to drain. */
const INITIAL_CHUNK = 1024 * 1024;

export interface WatchRequest {
  res: ServerResponse;
  hub: WatchHub;
  collection: Collection;
  /** `pods` or `foos.example.com`, for fault targeting. */
  resource: string;
  namespace: string;
  userAgent: string;
  kind: string;
  apiVersion: string;
  /** Whether bookmark objects are typed built-ins (they then carry `creationTimestamp: null`). */
  builtin: boolean;
  filter(s: StoredObject): boolean;
  /** Current objects to send as ADDED first, or undefined for none. */
  initial: StoredObject[] | undefined;
  /** Replay events after this resourceVersion (ignored when `initial` is given). */
  sinceRv: number | undefined;
  /** Send the `k8s.io/initial-events-end` bookmark after the initial events. */
  initialEventsEnd: boolean;
  bookmarkIntervalMs: number | undefined;
  timeoutMs: number;
  currentRv(): number;
  /** How an object is written in events; default: its JSON at `apiVersion` (Table watches pass a Table). */
  render?: (s: StoredObject) => string;
}

function line(type: string, objectText: string): string {
  return `{"type":"${type}","object":${objectText}}\n`;
}

function bookmarkObject(w: WatchRequest, rv: number, endOfInitial: boolean): string {
  const meta: Record<string, unknown> = { resourceVersion: String(rv) };
  if (w.builtin) meta['creationTimestamp'] = null;
  if (endOfInitial) meta['annotations'] = { 'k8s.io/initial-events-end': 'true' };
  return JSON.stringify({ kind: w.kind, apiVersion: w.apiVersion, metadata: meta });
}

/** The DELETED event for an object that stopped matching: its previous state at the event's RV. */
function atRv(s: StoredObject, rv: number): StoredObject {
  return storedObject({ ...s.obj, metadata: { ...s.obj.metadata, resourceVersion: String(rv) } }, rv);
}

function show(w: WatchRequest, s: StoredObject): string {
  return w.render ? w.render(s) : objectJson(s, w.apiVersion);
}

/** The event line this watcher should see for a storage event, or undefined when it sees nothing. */
function eventLine(w: WatchRequest, e: StorageEvent): string | undefined {
  const now = w.filter(e.object);
  if (e.type === 'ADDED') return now ? line('ADDED', show(w, e.object)) : undefined;
  if (e.type === 'DELETED') {
    const before = e.previous ? w.filter(e.previous) : now;
    return before ? line('DELETED', show(w, e.object)) : undefined;
  }
  const before = e.previous ? w.filter(e.previous) : false;
  if (now && before) return line('MODIFIED', show(w, e.object));
  if (now) return line('ADDED', show(w, e.object));
  if (before && e.previous) return line('DELETED', show(w, atRv(e.previous, e.rv)));
  return undefined;
}

/** Answers a watch whose resourceVersion is older than history: 200, one ERROR 410, end. */
export function serveTooOld(res: ServerResponse, requested: number, oldest: number): void {
  const err = new StatusError({
    reason: 'Expired',
    code: 410,
    message: `too old resource version: ${requested} (${oldest})`,
  });
  const { details: _none, ...status } = err.status;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.end(line('ERROR', JSON.stringify(status)));
}

export function serveWatch(w: WatchRequest): ActiveWatch {
  const { res, hub } = w;
  const id = hub.allocateId();
  let held: string[] | undefined;
  /** Live events that arrive while the initial events are still being written, in order. */
  let queued: string[] | undefined;
  let queuedLength = 0;
  /** Ends a wait for `drain` (also on close, which may never see one). */
  let wake: (() => void) | undefined;
  let silent = false;
  let closed = false;
  const timers: NodeJS.Timeout[] = [];

  const write = (text: string): void => {
    if (closed || silent) return;
    // Queued first: a hold during the initial events must not let live events overtake them.
    if (queued) {
      queued.push(text);
      queuedLength += text.length;
      if (queuedLength + res.writableLength > MAX_WATCHER_BACKLOG) close();
      return;
    }
    if (held) {
      held.push(text);
      return;
    }
    res.write(text);
    if (res.writableLength > MAX_WATCHER_BACKLOG) close();
  };

  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearInterval(t);
    hub.remove(id);
    wake?.();
    if (!silent) res.end();
  };

  const drained = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        wake = undefined;
        resolve();
      };
      wake = done;
      res.on('drain', done);
    });

  /** Writes one chunk of the initial events, waiting for the socket when its buffer is full. */
  const writeInitial = async (text: string): Promise<void> => {
    if (closed || silent) return;
    if (held) {
      held.push(text);
      return;
    }
    if (!res.write(text) && !closed && !silent) await drained();
  };

  /** Streams `lines` in chunks, then what arrived meanwhile; the watch is live once this is done. */
  const streamInitial = async (lines: Iterable<string>, endBookmark: string | undefined): Promise<void> => {
    let chunk: string[] = [];
    let length = 0;
    for (const text of lines) {
      if (closed || silent) return;
      chunk.push(text);
      length += text.length;
      if (length >= INITIAL_CHUNK) {
        await writeInitial(chunk.join(''));
        chunk = [];
        length = 0;
      }
    }
    if (chunk.length > 0) await writeInitial(chunk.join(''));
    if (endBookmark !== undefined) await writeInitial(endBookmark);
    const pending = queued ?? [];
    queued = undefined;
    queuedLength = 0;
    if (pending.length > 0) write(pending.join(''));
  };

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  // Subscribing and taking the start point happen in the same tick, so no write can fall between
  // them; live events then wait in `queued` until the initial events are out.
  const unsubscribe = w.collection.subscribe((e) => {
    const text = eventLine(w, e);
    if (text) write(text);
  });
  let initialLines: Iterable<string> | undefined;
  let endBookmark: string | undefined;
  if (w.initial) {
    const objects = w.initial;
    initialLines = (function* () {
      for (const s of objects) if (w.filter(s)) yield line('ADDED', show(w, s));
    })();
    // The snapshot's version, taken now: later events are queued after this bookmark.
    if (w.initialEventsEnd) endBookmark = line('BOOKMARK', bookmarkObject(w, w.currentRv(), true));
  } else if (w.sinceRv !== undefined) {
    const events = w.collection.eventsSince(w.sinceRv) ?? [];
    initialLines = (function* () {
      for (const e of events) {
        const text = eventLine(w, e);
        if (text) yield text;
      }
    })();
  }
  if (initialLines) {
    queued = [];
    streamInitial(initialLines, endBookmark).catch(close);
  }

  if (w.bookmarkIntervalMs !== undefined && w.bookmarkIntervalMs > 0) {
    // A held watcher must not be told it is up to date, so it gets no bookmarks.
    const interval = setInterval(() => {
      // Nor one before its initial events are out.
      if (!held && !queued) write(line('BOOKMARK', bookmarkObject(w, w.currentRv(), false)));
    }, w.bookmarkIntervalMs);
    interval.unref();
    timers.push(interval);
  }
  const deadline = setTimeout(close, w.timeoutMs);
  deadline.unref();
  timers.push(deadline);
  res.on('close', () => {
    silent = true;
    close();
  });

  const active: ActiveWatch = {
    id,
    resource: w.resource,
    ...(w.namespace ? { namespace: w.namespace } : {}),
    userAgent: w.userAgent,
    close,
    hold() {
      held ??= [];
    },
    resume() {
      const pending = held;
      held = undefined;
      if (pending && pending.length > 0) write(pending.join(''));
    },
    halfOpen() {
      silent = true;
      unsubscribe();
      for (const t of timers) clearInterval(t);
    },
  };
  hub.add(active);
  return active;
}
