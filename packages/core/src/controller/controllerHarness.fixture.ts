/**
 * Test support for controller and finalizer tests: an embedded API server with the Widget CRD, fresh
 * namespaces, and started controllers that are stopped after each test. Start with
 * {@link controllerHarness}, called at the top of a test file.
 */
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import type { ApiServer, ApiServerOptions } from '@steward/apiserver';
import { builtin } from '../client/resourceRef.js';
import { clientFor, createWidgetCrd } from '../client/testServer.fixture.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import { sharedInformerFactory } from '../informer/sharedInformerFactory.js';
import type { SharedInformerFactory } from '../informer/sharedInformerFactory.js';
import { controller } from './controller.js';
import type { Controller, ControllerLogEntry, ControllerOptions } from './controllerTypes.js';

export type Widget = KubeObject & { spec?: { size?: number }; status?: Record<string, unknown> };

export interface Harness {
  readonly server: ApiServer;
  readonly client: KubeClient;
  freshNamespace(): Promise<string>;
  /** A started controller over a fresh factory; its logs are collected in `logs`. */
  run<T extends KubeObject>(
    options: Omit<ControllerOptions<T>, 'client' | 'informers' | 'name'> & { name?: string },
  ): Promise<{ ctrl: Controller; logs: ControllerLogEntry[]; factory: SharedInformerFactory }>;
}

/** Registers beforeAll/afterEach/afterAll hooks; the returned harness is usable inside tests. */
export function controllerHarness(prefix: string, serverOptions: ApiServerOptions = {}): Harness {
  let server: ApiServer | undefined;
  let client: KubeClient | undefined;
  const running: { ctrl: Controller; factory: SharedInformerFactory }[] = [];
  let nsCounter = 0;

  beforeAll(async () => {
    server = await startApiServer({ port: 0, bookmarkIntervalMs: 200, ...serverOptions });
    ({ client } = clientFor(server));
    await createWidgetCrd(client, {
      spec: { type: 'object', properties: { size: { type: 'integer' } } },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    });
  });
  afterEach(async () => {
    server?.faults.clear();
    for (const { ctrl, factory } of running.splice(0)) {
      await ctrl.stop({ deadlineMs: 2_000 });
      await factory.stop();
    }
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  const harness: Harness = {
    get server() {
      if (server === undefined) throw new Error('the harness is used outside a test');
      return server;
    },
    get client() {
      if (client === undefined) throw new Error('the harness is used outside a test');
      return client;
    },
    async freshNamespace() {
      const name = `${prefix}-${++nsCounter}`;
      await harness.client.create(builtin.namespaces, { metadata: { name } });
      return name;
    },
    async run(options) {
      const factory = sharedInformerFactory(harness.client);
      const logs: ControllerLogEntry[] = [];
      const ctrl = controller({
        name: 'test',
        client: harness.client,
        informers: factory,
        log: (e) => logs.push(e),
        ...options,
      });
      running.push({ ctrl, factory });
      await ctrl.start();
      return { ctrl, logs, factory };
    },
  };
  return harness;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
