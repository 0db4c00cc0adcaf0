/**
 * An events.k8s.io/v1 Event recorder for controllers: {@link eventRecorder} gives `normal()` and
 * `warning()`, which never throw and never make the caller wait, and fold repeats into one Event's
 * `series` instead of a new Event each time.
 *
 * Flow: the first occurrence of (regarding uid, type, reason, note) creates an Event named
 * `<regarding name>.<hex of time+counter>`; a repeat within the window (default 10 minutes since the
 * last occurrence) raises `series.count` and `series.lastObservedTime` with a merge patch. Repeats that
 * arrive while a write is in flight are coalesced: the next patch carries the latest count.
 * Guarantees: a call returns at once with a promise that always resolves (to what was written, or the
 * error, also given to `onError`); memory is bounded by an LRU of `maxEntries` series; each request is
 * cut after `timeoutMs`. Caveats: series are per recorder (per process), as in client-go; an Event the
 * server has dropped (TTL) is created again.
 */
import { NotFoundError } from '../client/errors.js';
import { builtin } from '../client/resourceRef.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import { microTime } from '../time/microTime.js';
import { EventError } from './reconcileErrors.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  /** `reportingController`: a qualified name, e.g. `steward.dev/widget-controller`. */
  controller: string;
  /** `reportingInstance`: this process, e.g. the pod name or leader-election identity (≤ 128 chars). */
  instance: string;
  /** Called once per failed write; a throwing callback is ignored. */
  onError?: (error: unknown, event: KubeObject) => void;
  /** How many (object, type, reason, note) series are remembered; the least recently seen go first. */
  maxEntries?: number;
  /** A repeat within this long of the last occurrence joins its series. Default 10 minutes. */
  seriesWindowMs?: number;
  /** Each request is aborted after this long. Default 10 s. */
  timeoutMs?: number;
  /** The clock; default the system clock. */
  now?: () => Date;
}

/** What a call recorded: a new Event, a series update, or the failure (never thrown). */
export type EventOutcome =
  | { kind: 'created'; event: KubeObject }
  | { kind: 'series'; event: KubeObject; count: number }
  | { kind: 'failed'; error: unknown };

export interface EventRecorder {
  /** Records a Normal event about `regarding`. `action` (what the controller did) defaults to `reason`. */
  normal(regarding: KubeObject, reason: string, note: string, action?: string): Promise<EventOutcome>;
  /** Records a Warning event about `regarding`. */
  warning(regarding: KubeObject, reason: string, note: string, action?: string): Promise<EventOutcome>;
}

/** One remembered series: the Event it writes to and how many occurrences it has seen and written. */
interface Series {
  template: KubeObject;
  regardingName: string;
  event: KubeObject | undefined;
  count: number;
  written: number;
  lastObserved: Date;
  last: EventOutcome | undefined;
  chain: Promise<EventOutcome>;
}

const MAX_NOTE = 1024;
const MAX_NAME = 253;

/** A recorder writing Events through `client` as `controller`/`instance`; see the module comment. */
export function eventRecorder(client: KubeClient, options: EventRecorderOptions): EventRecorder {
  const maxEntries = options.maxEntries ?? 4096;
  const windowMs = options.seriesWindowMs ?? 10 * 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, Series>();
  // Random start: two recorders naming events in the same millisecond rarely pick the same suffix.
  let counter = Math.floor(Math.random() * 1_000_000);

  const report = (error: unknown, event: KubeObject): EventOutcome => {
    try {
      options.onError?.(error, event);
    } catch {
      // The recorder must not fail because its error callback did.
    }
    return { kind: 'failed', error };
  };

  const nameFor = (regardingName: string, at: Date): string => {
    counter = (counter + 1) % 1_000_000;
    const suffix = (BigInt(at.getTime()) * 1_000_000n + BigInt(counter)).toString(16);
    return `${regardingName.slice(0, MAX_NAME - suffix.length - 1)}.${suffix}`;
  };

  const create = async (s: Series): Promise<EventOutcome> => {
    const at = now();
    const body: KubeObject = structuredClone(s.template);
    body.metadata.name = nameFor(s.regardingName, at);
    body['eventTime'] = microTime(at);
    const count = s.count;
    if (count >= 2) body['series'] = { count, lastObservedTime: microTime(s.lastObserved) };
    s.written = count;
    try {
      const event = await client.create(builtin.eventsV1, body, { signal: AbortSignal.timeout(timeoutMs) });
      s.event = event;
      return count >= 2 ? { kind: 'series', event, count } : { kind: 'created', event };
    } catch (error) {
      s.written = 0;
      return report(error, body);
    }
  };

  const patchSeries = async (s: Series, event: KubeObject): Promise<EventOutcome> => {
    const count = s.count;
    const series = { count, lastObservedTime: microTime(s.lastObserved) };
    s.written = count;
    try {
      const updated = await client.patch(
        builtin.eventsV1,
        event.metadata.name ?? '',
        { series },
        {
          namespace: event.metadata.namespace ?? 'default',
          type: 'merge',
          signal: AbortSignal.timeout(timeoutMs),
        },
      );
      s.event = updated;
      return { kind: 'series', event: updated, count };
    } catch (error) {
      // The Event is gone (deleted, or expired by the server's TTL): start it again, series and all.
      if (error instanceof NotFoundError) return create(s);
      s.written = 0;
      return report(error, { ...event, series });
    }
  };

  /** Writes whatever this series has not written yet; repeats coalesced into a write already done reuse it. */
  const flush = async (s: Series): Promise<EventOutcome> => {
    if (s.written >= s.count && s.last !== undefined) return s.last;
    s.last = s.event === undefined ? await create(s) : await patchSeries(s, s.event);
    return s.last;
  };

  const record = (
    type: EventType,
    regarding: KubeObject,
    reason: string,
    note: string,
    action: string | undefined,
  ): Promise<EventOutcome> => {
    let template: KubeObject | undefined;
    try {
      template = templateFor(type, regarding, reason, note, action ?? reason, options);
      const at = now();
      const { uid, namespace, name } = regarding.metadata;
      const key = JSON.stringify([
        uid ?? `${regarding.kind ?? ''}/${namespace ?? ''}/${name ?? ''}`,
        type,
        reason,
        note,
      ]);
      let s = cache.get(key);
      if (s !== undefined && at.getTime() - s.lastObserved.getTime() <= windowMs) {
        s.count += 1;
        s.lastObserved = at;
        cache.delete(key); // re-inserted below: Map order is the LRU order
      } else {
        s = {
          template,
          regardingName: name ?? '',
          event: undefined,
          count: 1,
          written: 0,
          lastObserved: at,
          last: undefined,
          chain: Promise.resolve<EventOutcome>({ kind: 'failed', error: undefined }),
        };
      }
      cache.set(key, s);
      if (cache.size > maxEntries) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      const series = s;
      s.chain = s.chain.then(() => flush(series));
      return s.chain;
    } catch (error) {
      // A bad `regarding` (no name) or a broken clock: reported, never thrown.
      return Promise.resolve(report(error, template ?? { metadata: {} }));
    }
  };

  return {
    normal: (regarding, reason, note, action) => record('Normal', regarding, reason, note, action),
    warning: (regarding, reason, note, action) => record('Warning', regarding, reason, note, action),
  };
}

/** The Event fields every occurrence shares; name, eventTime and series are set when it is written. */
function templateFor(
  type: EventType,
  regarding: KubeObject,
  reason: string,
  note: string,
  action: string,
  options: EventRecorderOptions,
): KubeObject {
  const { name, namespace, uid, resourceVersion } = regarding.metadata;
  if (name === undefined || name === '') {
    throw new EventError(
      `event ${reason}: the regarding ${regarding.kind ?? 'object'} has no metadata.name; pass the object as read`,
    );
  }
  const ref: Record<string, string> = { name };
  if (regarding.apiVersion !== undefined) ref['apiVersion'] = regarding.apiVersion;
  if (regarding.kind !== undefined) ref['kind'] = regarding.kind;
  if (namespace !== undefined && namespace !== '') ref['namespace'] = namespace;
  if (uid !== undefined) ref['uid'] = uid;
  if (resourceVersion !== undefined) ref['resourceVersion'] = resourceVersion;
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    // Events about cluster-scoped objects live in `default`, as client-go puts them.
    metadata: { namespace: namespace === undefined || namespace === '' ? 'default' : namespace },
    regarding: ref,
    type,
    reason,
    action,
    note: note.length > MAX_NOTE ? `${note.slice(0, MAX_NOTE - 3)}...` : note,
    reportingController: options.controller,
    reportingInstance: options.instance,
  };
}
