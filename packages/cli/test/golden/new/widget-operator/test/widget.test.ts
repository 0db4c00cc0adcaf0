/**
 * Runs the widget-operator on the embedded API server (real HTTP, in memory): a Widget becomes Ready with
 * its ConfigMap, deleting it runs cleanup, and the CRD's validation refuses a bad spec.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin, isConditionTrue, NotFoundError, resourceRefOf } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { runManager, startTestEnv, waitFor } from '@steward/testing';
import type { TestEnv } from '@steward/testing';
import { Widget } from '../src/api/widget.js';
import { configMapName } from '../src/controllers/widgetController.js';
import { widgetOperator } from '../src/operator.js';

type WidgetObject = Widget & KubeObject;
type ConfigMap = KubeObject & { data?: Record<string, string> };

const widgets = resourceRefOf(Widget);
let env: TestEnv;

beforeEach(async () => {
  // No cluster simulation: without a garbage collector, a ConfigMap that disappears was deleted by
  // cleanup, so the cleanup test cannot pass by accident.
  env = await startTestEnv({ crds: widgetOperator.resources, namespace: true });
  await runManager(env, (manager) => widgetOperator.setup(manager));
});
afterEach(() => env.stop());

async function createWidget(name: string, message: string): Promise<void> {
  const { namespace } = env;
  await env.client.create(widgets, { metadata: { name, namespace }, spec: { message } });
}

function ready(name: string): Promise<WidgetObject> {
  const { namespace } = env;
  const get = () => env.client.get<WidgetObject>(widgets, name, { namespace });
  return waitFor(
    async () => {
      const widget = await get();
      return isConditionTrue(widget.status?.conditions, 'Ready') ? widget : undefined;
    },
    { description: `Widget ${name} Ready`, state: get },
  );
}

/** True once `get` answers 404 Not Found. */
function gone(get: () => Promise<unknown>): Promise<boolean> {
  return get().then(
    () => false,
    (e: unknown) => e instanceof NotFoundError,
  );
}

test('a Widget becomes Ready and its ConfigMap holds the message', async () => {
  await createWidget('hello', 'Hello, world');
  const widget = await ready('hello');
  expect(widget.metadata.finalizers).toHaveLength(1);
  const configMap = await env.client.get<ConfigMap>(builtin.configmaps, configMapName('hello'), {
    namespace: env.namespace,
  });
  expect(configMap.data).toEqual({ message: 'Hello, world' });
  expect(configMap.metadata.ownerReferences?.[0]?.uid).toBe(widget.metadata.uid);
});

test('deleting a Widget runs cleanup, which deletes its ConfigMap', async () => {
  const { namespace } = env;
  await createWidget('bye', 'Goodbye');
  await ready('bye');
  await env.client.delete(widgets, 'bye', { namespace });
  const configMap = () => env.client.get(builtin.configmaps, configMapName('bye'), { namespace });
  await expect(
    waitFor(() => gone(configMap), {
      description: `ConfigMap ${configMapName('bye')} deleted by cleanup`,
    }),
  ).resolves.toBe(true);
  const widget = () => env.client.get(widgets, 'bye', { namespace });
  await expect(
    waitFor(() => gone(widget), {
      description: 'Widget bye gone once its finalizer is removed',
    }),
  ).resolves.toBe(true);
});

test('the API server refuses a Widget with an empty message', async () => {
  await expect(createWidget('empty', '')).rejects.toThrow(/spec\.message/);
});
