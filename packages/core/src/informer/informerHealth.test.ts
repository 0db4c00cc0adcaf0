// Informer bookkeeping against a scripted ListWatcher: waitForSync's abort listeners, when `watching`
// turns true, and when `relists` counts.
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { KubeObject, ListResult, WatchEvent, WatchStream } from '../client/types.js';
import { onAbort } from './abortWaiters.js';
import { configMaps, waitFor } from './httpListWatcher.fixture.js';
import { informer, type Informer, type ListWatcher } from './informer.js';

const running: Informer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((i) => i.stop()));
});

/** A watch stream the test feeds by hand. */
function manualStream(): WatchStream & { push(e: WatchEvent): void; end(): void } {
  const queue: WatchEvent[] = [];
  let done = false;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    wake?.();
    wake = undefined;
  };
  return {
    push(e) {
      queue.push(e);
      poke();
    },
    end() {
      done = true;
      poke();
    },
    close() {
      done = true;
      poke();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const e = queue.shift();
        if (e !== undefined) yield e;
        else if (done) return;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

const cm = (name: string, rv: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns', resourceVersion: rv },
});

/** Lists answer from `lists` in turn (a function may throw); watches are manual streams. */
function scripted(lists: (() => ListResult | Promise<ListResult>)[]) {
  const streams: ReturnType<typeof manualStream>[] = [];
  let calls = 0;
  const lw: ListWatcher = {
    list: async () => {
      const next = lists.at(Math.min(calls++, lists.length - 1));
      if (next === undefined) throw new Error('no list scripted');
      return next();
    },
    watch: () => {
      const s = manualStream();
      streams.push(s);
      return s;
    },
  };
  const stream = (i: number): ReturnType<typeof manualStream> => {
    const st = streams.at(i);
    if (st === undefined) throw new Error(`no watch #${i}`);
    return st;
  };
  return { lw, streams, stream, listCalls: () => calls };
}

/** A ListWatcher whose list never answers until the informer stops. */
const hanging: ListWatcher = {
  list: (_ref, opts) =>
    new Promise((_resolve, reject) => {
      opts.signal?.addEventListener('abort', () => reject(new Error('stopped')), { once: true });
    }),
  watch: () => manualStream(),
};

function failedList(): never {
  throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
}

function start(lw: ListWatcher): Informer {
  const inf = informer({
    listWatcher: lw,
    ref: configMaps,
    namespace: 'ns',
    backoff: { initialMs: 5, maxMs: 10 },
  });
  running.push(inf);
  return inf;
}

describe('waitForSync', () => {
  it('adds at most one abort listener to a shared signal and leaves none once synced or stopped', async () => {
    const signal = new AbortController().signal;
    const synced = Array.from({ length: 30 }, () =>
      start(scripted([() => ({ items: [], resourceVersion: '1' })]).lw),
    );
    const never = Array.from({ length: 5 }, () => start(hanging));
    const waits = [...synced, ...never].map((inf) => inf.waitForSync(signal));
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    for (const inf of [...synced, ...never]) inf.start();
    await Promise.all(waits.slice(0, synced.length));
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    await Promise.all(never.map((inf) => inf.stop()));
    await Promise.allSettled(waits);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('rejects with the reason when the signal aborts, or has already aborted', async () => {
    const inf = start(hanging);
    const ctrl = new AbortController();
    const pending = inf.waitForSync(ctrl.signal);
    ctrl.abort(new Error('gave up'));
    await expect(pending).rejects.toThrow('gave up');
    await expect(inf.waitForSync(ctrl.signal)).rejects.toThrow('gave up');
    expect(getEventListeners(ctrl.signal, 'abort')).toHaveLength(0);
  });
});

describe('onAbort', () => {
  it('runs every pending callback once on abort, none that were cancelled, through one listener', () => {
    const ctrl = new AbortController();
    const ran: string[] = [];
    onAbort(ctrl.signal, () => ran.push('a'));
    const cancelB = onAbort(ctrl.signal, () => ran.push('b'));
    onAbort(ctrl.signal, () => ran.push('c'));
    expect(getEventListeners(ctrl.signal, 'abort')).toHaveLength(1);
    cancelB();
    ctrl.abort();
    expect(ran).toEqual(['a', 'c']);
    expect(getEventListeners(ctrl.signal, 'abort')).toHaveLength(0);
  });
});

describe('health', () => {
  it('watching turns true with the first event of a watch, and false when it ends', async () => {
    const s = scripted([() => ({ items: [], resourceVersion: '1' })]);
    const inf = start(s.lw);
    inf.start();
    await inf.waitForSync();
    await waitFor(
      () => s.streams.length === 1,
      () => 'no watch',
    );
    expect(inf.health().watching).toBe(false);
    s.stream(0).push({ type: 'ADDED', object: cm('a', '2') });
    await waitFor(
      () => inf.store.size === 1,
      () => 'event not applied',
    );
    expect(inf.health().watching).toBe(true);
    s.stream(0).end();
    await waitFor(
      () => s.streams.length === 2,
      () => 'no second watch',
    );
    expect(inf.health().watching).toBe(false);
  });

  it('relists counts completed relists only, not failed attempts', async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const s = scripted([
      () => ({ items: [cm('a', '1')], resourceVersion: '1' }),
      failedList,
      // The second failure waits for the test, so it can look while the relist is unfinished.
      async () => {
        await gate;
        return failedList();
      },
      () => ({ items: [], resourceVersion: '9' }),
    ]);
    const inf = start(s.lw);
    inf.start();
    await inf.waitForSync();
    expect(inf.health().relists).toBe(0);
    await waitFor(
      () => s.streams.length === 1,
      () => 'no watch',
    );
    s.stream(0).push({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' } as unknown as KubeObject,
    });
    await waitFor(
      () => s.listCalls() === 3,
      () => `lists: ${s.listCalls()}`,
    );
    expect(inf.health().relists).toBe(0);
    release?.();
    await waitFor(
      () => inf.store.size === 0,
      () => 'relist not applied',
    );
    expect(inf.health().relists).toBe(1);
  });
});
