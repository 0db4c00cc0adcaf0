// oxlint-disable typescript/no-extraneous-class -- these classes exist only to carry decorator configuration
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import type { ApiServer } from '@steward/apiserver';
import { builtin } from '../client/resourceRef.js';
import { clientFor, createWidgetCrd, widgets } from '../client/testServer.fixture.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import { controller as reconcileLoop } from '../controller/controller.js';
import { ControllerConfigError } from '../controller/controllerErrors.js';
import { generationChanged } from '../controller/predicates.js';
import { CustomResource } from '../decorators/customResource.js';
import { waitFor } from '../informer/httpListWatcher.fixture.js';
import { sharedInformerFactory } from '../informer/sharedInformerFactory.js';
import { manager } from '../manager/manager.js';
import { controllerBuilder } from './builder.js';
import type { BuiltControllerOptions } from './builderTypes.js';
import { addController, Controller } from './controllerDecorator.js';
import { controller } from './controllerEntry.js';

@CustomResource({ group: 'test.steward.dev', version: 'v1', kind: 'Widget' })
class Widget {
  spec!: { size: number };
}

/** Records what the builder registers. */
function recorder() {
  const added: BuiltControllerOptions[] = [];
  return { added, add: (o: BuiltControllerOptions) => void added.push(o) };
}

const noop = (): undefined => undefined;
const map = (s: KubeObject): string[] => [`${s.metadata.namespace}/x`];
const ownerRef = (w: KubeObject) => ({
  apiVersion: 'test.steward.dev/v1',
  kind: 'Widget',
  name: w.metadata.name ?? '',
  uid: w.metadata.uid ?? '',
  controller: true,
});

describe('controllerBuilder', () => {
  it('builds the options from for/owns/watches/named/withOptions and adds them on reconcile()', () => {
    const registry = recorder();
    const returned = controllerBuilder(registry)
      .for(Widget, { predicates: [generationChanged] })
      .owns(builtin.configmaps)
      .owns(builtin.services)
      .watches(builtin.secrets, map)
      .withOptions({ maxConcurrentReconciles: 2, namespace: 'team-a', finalizer: 'test.steward.dev/w' })
      .named('widgets')
      .reconcile(noop);
    expect(registry.added).toEqual([returned]);
    expect(returned).toEqual({
      name: 'widgets',
      for: { group: 'test.steward.dev', version: 'v1', plural: 'widgets', kind: 'Widget', namespaced: true },
      owns: [builtin.configmaps, builtin.services],
      watches: [{ ref: builtin.secrets, map }],
      predicates: [generationChanged],
      maxConcurrentReconciles: 2,
      namespace: 'team-a',
      finalizer: 'test.steward.dev/w',
      reconcile: noop,
    });
  });

  it('defaults the name to the kind lower-cased; complete() passes cleanup through', () => {
    const registry = recorder();
    const options = controllerBuilder(registry)
      .for(builtin.statefulsets)
      .complete({ reconcile: noop, cleanup: noop });
    expect(options.name).toBe('statefulset');
    expect(options.cleanup).toBe(noop);
    expect('owns' in options).toBe(false);
  });

  it('types reconcile with the class given to for()', () => {
    const sizes: number[] = [];
    const options = controllerBuilder(recorder())
      .for(Widget)
      .reconcile((w) => void sizes.push(w.spec.size));
    void options.reconcile({ metadata: { name: 'w' }, spec: { size: 4 } }, {} as never);
    expect(sizes).toEqual([4]);
  });

  it('rejects a missing for, a second for, a non-resource, bad functions, and reuse', () => {
    const registry = recorder();
    expect(() => controllerBuilder(registry).owns(builtin.pods).reconcile(noop)).toThrow(
      /call for\(Kind\) before reconcile\(\)\/complete\(\)/,
    );
    expect(() => controllerBuilder(registry).for(Widget).for(builtin.pods)).toThrow(
      /for\(Pod\): the primary kind is already Widget/,
    );
    class Plain {}
    expect(() => controllerBuilder(registry).for(Plain)).toThrow(
      /class Plain has no @CustomResource decorator/,
    );
    expect(() =>
      controllerBuilder(registry)
        .for(Widget)
        .complete({} as never),
    ).toThrow(/reconcile must be a function/);
    expect(() => controllerBuilder(registry).watches(builtin.pods, 'x' as never)).toThrow(
      /map must be a function/,
    );
    const b = controllerBuilder(registry).for(Widget);
    b.reconcile(noop);
    expect(() => b.owns(builtin.pods)).toThrow(ControllerConfigError);
    expect(() => b.reconcile(noop)).toThrow(/already registered its controller/);
    expect(registry.added).toHaveLength(1);
    expect(() => controllerBuilder({} as never)).toThrow(/expected a manager/);
  });
});

describe('builder and @Controller against the embedded server', () => {
  let server: ApiServer;
  let client: KubeClient;
  beforeAll(async () => {
    server = await startApiServer({ port: 0 });
    ({ client } = clientFor(server));
    await createWidgetCrd(client, { spec: { type: 'object', properties: { size: { type: 'integer' } } } });
  });
  afterAll(async () => {
    client.close();
    await server.stop();
  });

  /** The smallest manager: runs each added controller over one client and one informer factory. */
  async function withManager(
    register: (m: { add(o: BuiltControllerOptions): void }) => void,
    body: () => Promise<void>,
  ) {
    const informers = sharedInformerFactory(client);
    const ctrls = [] as ReturnType<typeof reconcileLoop>[];
    register({ add: (o) => void ctrls.push(reconcileLoop({ ...o, client, informers })) });
    await Promise.all(ctrls.map((c) => c.start()));
    try {
      await body();
    } finally {
      await Promise.all(ctrls.map((c) => c.stop({ deadlineMs: 2_000 })));
      await informers.stop();
    }
  }

  it('a builder controller and a @Controller instance both reconcile, owned changes reach the owner', async () => {
    await client.create(builtin.namespaces, { metadata: { name: 'builder-e2e' } });
    const seen: string[] = [];

    @Controller({ for: builtin.configmaps, name: 'cm-seen' })
    class ConfigMapSeen {
      reconcile(cm: KubeObject): void {
        seen.push(`cm:${cm.metadata.name}`);
      }
    }

    await withManager(
      (m) => {
        controllerBuilder(m)
          .for(Widget)
          .owns(builtin.configmaps)
          .reconcile(async (w, ctx) => {
            seen.push(`widget:${w.metadata.name}:${w.spec.size}`);
            await ctx.client.apply(
              builtin.configmaps,
              {
                apiVersion: 'v1',
                kind: 'ConfigMap',
                metadata: {
                  name: `${w.metadata.name}-cfg`,
                  namespace: ctx.namespace ?? '',
                  ownerReferences: [ownerRef(w)],
                },
                data: { size: String(w.spec.size) },
              },
              { fieldManager: 'widget', force: true },
            );
          });
        addController(m, new ConfigMapSeen());
      },
      async () => {
        await client.create(widgets, {
          metadata: { name: 'w1', namespace: 'builder-e2e' },
          spec: { size: 2 },
        });
        await waitFor(
          () =>
            client.get(builtin.configmaps, 'w1-cfg', { namespace: 'builder-e2e' }).then(
              () => true,
              () => false,
            ),
          () => `no ConfigMap yet; seen ${JSON.stringify(seen)}`,
        );
        // Deleting the owned ConfigMap reconciles its owner, which recreates it.
        await client.delete(builtin.configmaps, 'w1-cfg', { namespace: 'builder-e2e' });
        const before = seen.filter((s) => s.startsWith('widget:')).length;
        await waitFor(
          () => seen.filter((s) => s.startsWith('widget:')).length > before,
          () => `the owner was not reconciled after its ConfigMap was deleted; seen ${JSON.stringify(seen)}`,
        );
        await waitFor(
          () => seen.includes('cm:w1-cfg'),
          () => `the @Controller never saw w1-cfg: ${JSON.stringify(seen)}`,
        );
      },
    );
    expect(seen).toContain('widget:w1:2');
  });

  it('through manager(): the builder cleanup runs behind the finalizer before the Widget goes', async () => {
    await client.create(builtin.namespaces, { metadata: { name: 'builder-manager' } });
    const events: string[] = [];
    const mgr = manager({ client, log: () => {} });
    controller(mgr)
      .for(Widget)
      .named('widget-cleanup')
      .withOptions({ namespace: 'builder-manager', finalizer: 'test.steward.dev/cleanup' })
      .complete({
        reconcile: (w) => void events.push(`reconcile:${w.metadata.name}`),
        cleanup: (w) => void events.push(`cleanup:${w.metadata.name}`),
      });
    await mgr.start();
    try {
      const ns = { namespace: 'builder-manager' };
      await client.create(widgets, { metadata: { name: 'w2', ...ns }, spec: { size: 1 } });
      await waitFor(
        async () =>
          (await client.get(widgets, 'w2', ns)).metadata.finalizers?.includes('test.steward.dev/cleanup') ===
          true,
        () => `the finalizer was never added; events ${JSON.stringify(events)}`,
      );
      await client.delete(widgets, 'w2', ns);
      await waitFor(
        () =>
          client.get(widgets, 'w2', ns).then(
            () => false,
            () => true,
          ),
        () => `w2 was never released; events ${JSON.stringify(events)}`,
      );
      expect(events).toContain('reconcile:w2');
      expect(events[events.length - 1]).toBe('cleanup:w2');
    } finally {
      await mgr.stop();
    }
  });
});
