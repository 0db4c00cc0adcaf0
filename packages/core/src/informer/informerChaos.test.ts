/**
 * A randomized schedule of API server faults with writes in between, through the real `kubeClient`:
 * after each run the informer's cache, and a map built only from its events, equal a fresh list.
 * Reproduce a failure with STEWARD_SEED=<seed printed in it>.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { startApiServer } from '@steward/apiserver';
import { kubeClient } from '../client/kubeClient.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import { configMaps, versions, waitFor } from './httpListWatcher.fixture.js';
import { informer } from './informer.js';
import { objectKey } from './store.js';

const RUNS = Number(process.env['STEWARD_CHAOS_RUNS'] ?? 300);
const CONCURRENCY = Number(process.env['STEWARD_CHAOS_LANES'] ?? 8);
const SEED = Number(process.env['STEWARD_SEED'] ?? Date.now() % 1_000_000);

type Server = Awaited<ReturnType<typeof startApiServer>>;
let server: Server;
let client: KubeClient;
let restarting = Promise.resolve();

beforeAll(async () => {
  server = await startApiServer({ port: 0, bookmarkIntervalMs: 100 });
  const kc = new KubeConfig();
  kc.loadFromString(JSON.stringify(server.kubeConfig));
  // No client-side retries: every failure reaches the informer.
  client = kubeClient(kc, { qps: Infinity, maxRetries: 0 });
});
afterAll(async () => {
  client.close();
  await server.stop();
});

/** mulberry32: a small seeded PRNG, so a failing schedule can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes may fail while the server restarts; the final comparison is with what the server holds. */
async function attempt(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch {
    // ignored on purpose: see above
  }
}

async function run(index: number, random: () => number, log: string[]): Promise<void> {
  const pick = (xs: readonly string[]): string => xs[Math.floor(random() * xs.length)] ?? '';
  const ns = `chaos-${SEED}-${index}`;
  // Another lane may be restarting the server: retry until the namespace exists.
  const namespaces = { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false };
  await waitFor(
    () =>
      client.create(namespaces, { metadata: { name: ns } }).then(
        () => true,
        (e: unknown) => (e as { statusCode?: number }).statusCode === 409,
      ),
    () => `namespace ${ns} never created`,
  );
  const names = ['a', 'b', 'c', 'd', 'e'];
  const write = async (): Promise<void> => {
    const name = pick(names);
    const existing = await client.get(configMaps, name, { namespace: ns }).catch(() => undefined);
    if (!existing) {
      log.push(`create ${name}`);
      await attempt(() => client.create(configMaps, { metadata: { name, namespace: ns }, data: { v: '0' } }));
    } else if (random() < 0.5) {
      log.push(`patch ${name}`);
      await attempt(() =>
        client.patch(configMaps, name, { data: { v: String(random()) } }, { namespace: ns, type: 'merge' }),
      );
    } else {
      log.push(`delete ${name}`);
      await attempt(() => client.delete(configMaps, name, { namespace: ns }));
    }
  };
  for (let i = Math.floor(random() * 3); i > 0; i--) await write();

  const inf = informer({
    listWatcher: client,
    ref: configMaps,
    namespace: ns,
    idleTimeoutMs: 400,
    // Half the runs fill the cache by streaming WatchList instead of LIST.
    watchList: random() < 0.5,
    backoff: { initialMs: 5, maxMs: 50 },
  });
  const mirror = new Map<string, KubeObject>();
  inf.events$.subscribe((e) => {
    if (e.type === 'delete') mirror.delete(objectKey(e.object));
    else mirror.set(objectKey(e.object), e.object);
  });
  inf.start();
  try {
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const watchFilter = { resource: 'configmaps', namespace: ns };
    // One to three lists or watches of the namespace's ConfigMaps fail with `failure`.
    const failSome = (watch: boolean, failure: { code: 429 | 500; retryAfterSeconds?: number }): void => {
      server.faults.failNext({ path, watch }, failure, 1 + Math.floor(random() * 3));
    };
    const faults: Record<string, () => void> = {
      close: () => server.faults.closeWatches(watchFilter),
      halfOpen: () => server.faults.halfOpenWatches(watchFilter),
      expire: () => {
        server.faults.compact();
        server.faults.closeWatches(watchFilter);
      },
      hold: () => server.faults.holdWatches(watchFilter, 30 + Math.floor(random() * 100)),
      list429: () => failSome(false, { code: 429, retryAfterSeconds: 0 }),
      list500: () => failSome(false, { code: 500 }),
      watch429: () => failSome(true, { code: 429, retryAfterSeconds: 0 }),
      watch500: () => failSome(true, { code: 500 }),
      drop: () => server.faults.failNext({ path }, { code: 'drop' }, 1),
    };
    for (let step = 4 + Math.floor(random() * 6); step > 0; step--) {
      if (random() < 0.5) await write();
      else if (random() < 0.03) {
        log.push('restart');
        // One restart at a time: the server refuses a restart while it is down.
        restarting = restarting.then(() => server.restart(20));
        await restarting;
      } else {
        const fault = pick(Object.keys(faults));
        log.push(fault);
        faults[fault]?.();
      }
      await new Promise((r) => setTimeout(r, random() * 30));
    }

    // A last write after the faults: the cache must see it, so a watch left dead by the last fault fails.
    log.push('create z');
    await waitFor(
      () =>
        client.create(configMaps, { metadata: { name: 'z', namespace: ns } }).then(
          () => true,
          // 409: an earlier try was applied but its answer was dropped.
          (e: unknown) => (e as { statusCode?: number }).statusCode === 409,
        ),
      () => `configmap ${ns}/z never created`,
    );
    let fresh: Record<string, string> = {};
    try {
      await waitFor(
        async () => {
          // The check's own list may meet a pending list fault: that is a retry, not a failure.
          const listed = await client.list(configMaps, { namespace: ns }).catch(() => undefined);
          if (!listed) return false;
          fresh = versions(listed.items);
          const want = JSON.stringify(fresh);
          return (
            JSON.stringify(versions(inf.store.list())) === want &&
            JSON.stringify(versions([...mirror.values()])) === want
          );
        },
        () => '',
        15_000,
      );
    } catch {
      throw new Error(
        `seed ${SEED} run ${index} [${log.join(', ')}]: cache ${JSON.stringify(versions(inf.store.list()))} ` +
          `events ${JSON.stringify(versions([...mirror.values()]))} server ${JSON.stringify(fresh)} ` +
          `health ${JSON.stringify(inf.health())}`,
      );
    }
    expect(inf.health().running).toBe(true);
  } finally {
    await inf.stop();
  }
}

it(`${RUNS} randomized fault schedules end with the cache equal to a fresh list`, async () => {
  const master = prng(SEED);
  let next = 0;
  const state = { failed: false };
  const schedules: string[][] = [];
  async function lane(): Promise<void> {
    while (next < RUNS && !state.failed) {
      const index = next++;
      const log: string[] = [];
      schedules.push(log);
      await run(index, prng(Math.floor(master() * 2 ** 32) ^ index), log).catch((e: unknown) => {
        state.failed = true;
        throw e;
      });
      if (process.env['STEWARD_CHAOS_TRACE']) console.log(index, log.join(' '));
    }
  }
  // Every lane finishes (no informer or restart left behind), then the first failure is reported.
  const results = await Promise.allSettled(Array.from({ length: CONCURRENCY }, lane));
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  // The schedule covered every fault kind at least once.
  const seen = new Set(schedules.flat());
  for (const kind of [
    'close',
    'halfOpen',
    'expire',
    'list429',
    'list500',
    'watch429',
    'watch500',
    'delete',
  ]) {
    expect(seen).toContain(kind.startsWith('delete') ? [...seen].find((s) => s.startsWith('delete')) : kind);
  }
}, 60_000);
