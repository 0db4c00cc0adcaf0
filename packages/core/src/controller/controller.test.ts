import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import type { ApiServer } from '@steward/apiserver';
import { NotFoundError } from '../client/errors.js';
import { builtin } from '../client/resourceRef.js';
import { clientFor, createWidgetCrd, widgets } from '../client/testServer.fixture.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import { TerminalError } from '../errors/errors.js';
import { waitFor } from '../informer/httpListWatcher.fixture.js';
import { sharedInformerFactory } from '../informer/sharedInformerFactory.js';
import type { SharedInformerFactory } from '../informer/sharedInformerFactory.js';
import type { RateLimiter } from '../queue/rateLimiter.js';
import { controller } from './controller.js';
import type { Controller, ControllerLogEntry, ControllerOptions } from './controllerTypes.js';
import { generationChanged } from './predicates.js';

let server: ApiServer;
let client: KubeClient;
const configMaps = builtin.configmaps;
type Widget = KubeObject & { spec?: { size?: number } };

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
  ({ client } = clientFor(server));
  await createWidgetCrd(client, {
    spec: { type: 'object', properties: { size: { type: 'integer' } } },
  });
});
afterAll(async () => {
  client.close();
  await server.stop();
});

let running: { ctrl: Controller; factory: SharedInformerFactory }[] = [];
afterEach(async () => {
  for (const { ctrl, factory } of running.splice(0)) {
    await ctrl.stop({ deadlineMs: 2_000 });
    await factory.stop();
  }
});

let nsCounter = 0;
async function freshNamespace(): Promise<string> {
  const name = `ctrl-${++nsCounter}`;
  await client.create(builtin.namespaces, { metadata: { name } });
  return name;
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A started controller over a fresh factory; logs are collected in `logs`. */
async function run<T extends KubeObject>(
  options: Omit<ControllerOptions<T>, 'client' | 'informers' | 'name'> & { name?: string },
): Promise<{ ctrl: Controller; logs: ControllerLogEntry[] }> {
  const factory = sharedInformerFactory(client);
  const logs: ControllerLogEntry[] = [];
  const ctrl = controller<T>({
    name: 'test',
    client,
    informers: factory,
    log: (e) => logs.push(e),
    ...options,
  });
  running.push({ ctrl, factory });
  await ctrl.start();
  return { ctrl, logs };
}

const cm = (namespace: string, name: string, data: Record<string, string> = {}): KubeObject => ({
  metadata: { name, namespace },
  data,
});

describe('controller', () => {
  it('reconciles a custom resource into an owned ConfigMap, and recreates it when deleted', async () => {
    const ns = await freshNamespace();
    await client.create<Widget>(widgets, { metadata: { name: 'w1', namespace: ns }, spec: { size: 3 } });
    const seen: string[] = [];
    await run<Widget>({
      for: widgets,
      owns: [configMaps],
      namespace: ns,
      reconcile: async (w, ctx) => {
        seen.push(ctx.key);
        const name = `${w.metadata.name ?? ''}-config`;
        try {
          await client.get(configMaps, name, { namespace: ns });
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
          await client.create(configMaps, {
            metadata: {
              name,
              namespace: ns,
              ownerReferences: [
                {
                  apiVersion: 'test.steward.dev/v1',
                  kind: 'Widget',
                  name: w.metadata.name ?? '',
                  uid: w.metadata.uid ?? '',
                  controller: true,
                },
              ],
            },
            data: { size: String(w.spec?.size) },
          });
        }
      },
    });
    const exists = (): Promise<boolean> =>
      client.get(configMaps, 'w1-config', { namespace: ns }).then(
        () => true,
        () => false,
      );
    await waitFor(exists, () => 'the owned ConfigMap was not created');
    expect(seen[0]).toBe(`${ns}/w1`);

    const before = seen.length;
    await client.delete(configMaps, 'w1-config', { namespace: ns });
    await waitFor(
      () => seen.length > before,
      () => 'deleting the owned ConfigMap did not reconcile its owner',
    );
    await waitFor(exists, () => 'the owned ConfigMap was not recreated');
    expect(new Set(seen)).toEqual(new Set([`${ns}/w1`]));
  });

  it('maps owned objects only to controller owners of the primary kind', async () => {
    const ns = await freshNamespace();
    const seen: string[] = [];
    const count = (name: string): number => seen.filter((k) => k === `${ns}/${name}`).length;
    await run({
      for: configMaps,
      owns: [configMaps],
      namespace: ns,
      reconcile: (o, ctx) => void seen.push(ctx.key),
    });
    for (const name of ['owner', 'not-controller', 'other-group'])
      await client.create(configMaps, cm(ns, name));
    await waitFor(
      () => count('other-group') === 1 && count('owner') === 1,
      () => `seen ${seen.join()}`,
    );
    await client.create(configMaps, {
      metadata: {
        name: 'child',
        namespace: ns,
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u1', controller: true },
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'not-controller', uid: 'u2' },
        ],
      },
    });
    await client.create(configMaps, {
      metadata: {
        name: 'child2',
        namespace: ns,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ConfigMap', name: 'other-group', uid: 'u3', controller: true },
        ],
      },
    });
    await waitFor(
      () => count('owner') >= 2 && count('child2') === 1,
      () => `seen ${seen.join()}`,
    );
    await sleep(100);
    expect(count('not-controller')).toBe(1);
    expect(count('other-group')).toBe(1);
  });

  it('serves a live change before the initial list backlog', async () => {
    const ns = await freshNamespace();
    for (let i = 0; i < 5; i++) await client.create(configMaps, cm(ns, `old-${i}`));
    const order: string[] = [];
    let release: (() => void) | undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { ctrl } = await run({
      for: configMaps,
      namespace: ns,
      reconcile: async (o) => {
        order.push(o.metadata.name ?? '');
        if (order.length === 1) await gate;
      },
    });
    await waitFor(
      () => order.length === 1,
      () => 'the first reconcile did not start',
    );
    await client.create(configMaps, cm(ns, 'live'));
    await waitFor(
      () => ctrl.queue.len() === 5,
      () => `queued ${ctrl.queue.len()}`,
    );
    release?.();
    await waitFor(
      () => order.length === 6,
      () => `order ${order.join()}`,
    );
    expect(order[1]).toBe('live');
  });

  it('requeueAfter runs the key again after the delay', async () => {
    const ns = await freshNamespace();
    await client.create(configMaps, cm(ns, 'a'));
    let calls = 0;
    await run({
      for: configMaps,
      namespace: ns,
      reconcile: () => (++calls < 3 ? { requeueAfter: 20 } : undefined),
    });
    await waitFor(
      () => calls >= 3,
      () => `only ${calls} calls`,
    );
    await sleep(100);
    expect(calls).toBe(3);
  });

  it('a failing reconcile is retried with growing backoff and a counted attempt', async () => {
    const ns = await freshNamespace();
    await client.create(configMaps, cm(ns, 'a'));
    const delays: number[] = [];
    const failures = new Map<string, number>();
    const limiter: RateLimiter<string> = {
      when: (key) => {
        const n = failures.get(key) ?? 0;
        failures.set(key, n + 1);
        delays.push(2 * 2 ** n);
        return 2 * 2 ** n;
      },
      forget: (key) => void failures.delete(key),
      numRequeues: (key) => failures.get(key) ?? 0,
    };
    const attempts: number[] = [];
    const { logs } = await run({
      for: configMaps,
      namespace: ns,
      rateLimiter: limiter,
      reconcile: (o, ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt < 4) throw new Error('boom');
        return undefined;
      },
    });
    await waitFor(
      () => attempts.length >= 5,
      () => `attempts ${attempts.join()}`,
    );
    await sleep(50);
    expect(attempts).toEqual([0, 1, 2, 3, 4]);
    expect(delays).toEqual([2, 4, 8, 16]);
    expect(failures.size).toBe(0); // success forgot the backoff
    expect(logs.filter((l) => l.level === 'error')).toHaveLength(4);
  });

  it('{ requeue: true } uses the rate limiter', async () => {
    const ns = await freshNamespace();
    await client.create(configMaps, cm(ns, 'a'));
    const attempts: number[] = [];
    await run({
      for: configMaps,
      namespace: ns,
      reconcile: (o, ctx) => {
        attempts.push(ctx.attempt);
        return ctx.attempt < 2 ? { requeue: true } : undefined;
      },
    });
    await waitFor(
      () => attempts.length >= 3,
      () => `attempts ${attempts.join()}`,
    );
    expect(attempts).toEqual([0, 1, 2]);
  });

  it('a TerminalError is logged and not retried until the object changes', async () => {
    const ns = await freshNamespace();
    await client.create(configMaps, cm(ns, 'a'));
    let calls = 0;
    const { ctrl, logs } = await run({
      for: configMaps,
      namespace: ns,
      reconcile: () => {
        calls++;
        throw new TerminalError(`${ns}/a: spec.size must be positive`);
      },
    });
    await waitFor(
      () => calls >= 1,
      () => 'never reconciled',
    );
    await sleep(150);
    expect(calls).toBe(1);
    expect(ctrl.queue.numRequeues(`${ns}/a`)).toBe(0);
    expect(logs.find((l) => l.level === 'error')?.error).toBeInstanceOf(TerminalError);
    await client.patch(configMaps, 'a', { data: { x: '1' } }, { namespace: ns, type: 'merge' });
    await waitFor(
      () => calls >= 2,
      () => 'an update did not reconcile again',
    );
  });

  it('never reconciles one key concurrently, with 4 workers and many events', async () => {
    const ns = await freshNamespace();
    const names = Array.from({ length: 12 }, (_, i) => `cm-${i}`);
    await Promise.all(names.map((n) => client.create(configMaps, cm(ns, n))));
    const active = new Set<string>();
    let overlaps = 0;
    let peak = 0;
    let calls = 0;
    await run({
      for: configMaps,
      namespace: ns,
      maxConcurrentReconciles: 4,
      reconcile: async (o, ctx) => {
        if (active.has(ctx.key)) overlaps++;
        active.add(ctx.key);
        peak = Math.max(peak, active.size);
        calls++;
        await sleep(5);
        active.delete(ctx.key);
      },
    });
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        names.map((n) =>
          client.patch(configMaps, n, { data: { round: String(round) } }, { namespace: ns, type: 'merge' }),
        ),
      );
    }
    await waitFor(
      () => calls >= names.length * 2 && active.size === 0,
      () => `calls ${calls}`,
    );
    await sleep(100);
    expect(overlaps).toBe(0);
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
  });

  it('survives reconciles that throw non-Errors, return garbage, or get half-filled objects', async () => {
    const ns = await freshNamespace();
    const behaviours: Record<string, () => unknown> = {
      str: () => {
        throw 'a string';
      },
      undef: () => {
        throw undefined;
      },
      nul: () => Promise.reject(null),
      num: () => 42,
      neg: () => ({ requeueAfter: -5 }),
      nan: () => ({ requeueAfter: Number.NaN }),
      odd: () => ({ requeue: 'yes' }),
      big: () => {
        throw 10n;
      },
      half: () => undefined,
      typeerr: () => undefined, // never reached: reconcile reads spec.size of a ConfigMap first
      retstr: () => 'done',
      promnum: () => Promise.resolve(7),
      reterr: () => new Error('returned, not thrown'),
    };
    await Promise.all(Object.keys(behaviours).map((n) => client.create(configMaps, cm(ns, n))));
    const counts = new Map<string, number>();
    const healthy: string[] = [];
    const { logs } = await run({
      for: configMaps,
      namespace: ns,
      watches: [
        { ref: configMaps, map: (o) => (o.metadata.name === 'half' ? (null as unknown as string[]) : []) },
        {
          ref: configMaps,
          map: () => {
            throw new Error('map bug');
          },
        },
      ],
      rateLimiter: { when: () => 5, forget: () => undefined, numRequeues: () => 0 },
      reconcile: (o) => {
        const name = o.metadata.name ?? '';
        counts.set(name, (counts.get(name) ?? 0) + 1);
        // A half-filled object: a ConfigMap has no spec, so this throws a TypeError.
        if (name === 'typeerr') return (o as unknown as { spec: { size: number } }).spec.size as never;
        if (name === 'healthy') healthy.push((o['data'] as Record<string, string> | undefined)?.['n'] ?? '');
        return behaviours[name]?.() as undefined;
      },
    });
    // Other keys keep flowing while the broken ones fail and back off.
    await client.create(configMaps, cm(ns, 'healthy', { n: '0' }));
    for (let n = 1; n <= 3; n++) {
      await client.patch(configMaps, 'healthy', { data: { n: String(n) } }, { namespace: ns, type: 'merge' });
      await waitFor(
        () => healthy.includes(String(n)),
        () => `healthy saw ${healthy.join()}`,
      );
    }
    await waitFor(
      () => Object.keys(behaviours).every((n) => (counts.get(n) ?? 0) >= (n === 'half' ? 1 : 3)),
      () => JSON.stringify([...counts]),
    );
    const codes = logs.map((l) => (l.error as { code?: string } | undefined)?.code);
    expect(codes).toContain('RECONCILE_FAILED');
    expect(codes).toContain('RECONCILE_RESULT');
    expect(logs.some((l) => l.msg.includes('mapping it to keys threw'))).toBe(true);
    expect(counts.get('half')).toBe(1);
    for (const name of ['typeerr', 'retstr', 'promnum', 'reterr', 'str']) {
      expect(logs.some((l) => l.level === 'error' && l.key === `${ns}/${name}`)).toBe(true);
    }
    expect(logs.find((l) => l.key === `${ns}/typeerr`)?.error).toBeInstanceOf(TypeError);
    expect(logs.find((l) => l.key === `${ns}/promnum`)?.error).toMatchObject({ code: 'RECONCILE_RESULT' });
    expect(logs.find((l) => l.key === `${ns}/reterr`)?.error).toMatchObject({
      message: 'returned, not thrown',
    });
  });

  it('applies predicates to primary updates and skips deleted objects', async () => {
    const ns = await freshNamespace();
    await client.create<Widget>(widgets, { metadata: { name: 'w', namespace: ns }, spec: { size: 1 } });
    const seen: number[] = [];
    const { ctrl } = await run<Widget>({
      for: widgets,
      namespace: ns,
      predicates: [generationChanged],
      reconcile: (w) => void seen.push(w.spec?.size ?? 0),
    });
    await waitFor(
      () => seen.length === 1,
      () => 'not reconciled',
    );
    await client.patch(widgets, 'w', { metadata: { labels: { a: 'b' } } }, { namespace: ns, type: 'merge' });
    await client.patch(widgets, 'w', { spec: { size: 2 } }, { namespace: ns, type: 'merge' });
    await waitFor(
      () => seen.includes(2),
      () => `seen ${seen.join()}`,
    );
    expect(seen).toEqual([1, 2]);
    await client.delete(widgets, 'w', { namespace: ns });
    await waitFor(
      () => ctrl.queue.len() === 0 && ctrl.queue.inFlight() === 0,
      () => 'queue busy',
    );
    await sleep(50);
    expect(seen).toEqual([1, 2]);
  });

  it('refuses bad options and a second start', async () => {
    const factory = sharedInformerFactory(client);
    expect(() =>
      controller({
        name: 'x',
        client,
        informers: factory,
        for: configMaps,
        maxConcurrentReconciles: 0,
        reconcile: () => undefined,
      }),
    ).toThrow(expect.objectContaining({ code: 'CONTROLLER_CONFIG' }));
    const ctrl = controller({
      name: 'x',
      client,
      informers: factory,
      for: configMaps,
      namespace: await freshNamespace(),
      reconcile: () => undefined,
    });
    running.push({ ctrl, factory });
    await ctrl.start();
    await expect(ctrl.start()).rejects.toMatchObject({ code: 'CONTROLLER_CONFIG' });
  });
});
