/**
 * Runs the first operator of docs/getting-started.md on the embedded API server: the Widget becomes
 * Ready with its ConfigMap, and deleting it runs cleanup. The `test` region is the page's test example.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { builtin, isConditionTrue, resourceRefOf } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { runManager, startTestEnv, waitFor } from '@steward/testing';
import type { TestEnv } from '@steward/testing';
import { configMapName, Widget, widgetOperator } from './firstOperator.js';

type WidgetObject = Widget & KubeObject;
const widgets = resourceRefOf(Widget);
let env: TestEnv;

beforeEach(async () => {
  env = await startTestEnv({ crds: widgetOperator.resources, namespace: true });
  await runManager(env, (manager) => widgetOperator.setup(manager));
});
afterEach(() => env.stop());

/** True once `get` fails: the object is gone. */
function gone(get: () => Promise<unknown>): Promise<boolean> {
  return get().then(
    () => false,
    () => true,
  );
}

// #region test
test('a Widget becomes Ready and its ConfigMap holds the message', async () => {
  const { namespace } = env;
  await env.client.create(widgets, { metadata: { name: 'hello', namespace }, spec: { message: 'Hi' } });
  const get = () => env.client.get<WidgetObject>(widgets, 'hello', { namespace });
  const widget = await waitFor(
    async () => {
      const current = await get();
      return isConditionTrue(current.status?.conditions, 'Ready') ? current : undefined;
    },
    { description: 'Widget hello Ready', state: get }, // `state` is shown if the wait times out
  );
  const configMap = await env.client.get(builtin.configmaps, configMapName('hello'), { namespace });
  expect(configMap['data']).toEqual({ message: 'Hi' });
  expect(configMap.metadata.ownerReferences?.[0]?.uid).toBe(widget.metadata.uid);
});
// #endregion

test('deleting a Widget runs cleanup before the finalizer goes', async () => {
  const { namespace } = env;
  await env.client.create(widgets, { metadata: { name: 'bye', namespace }, spec: { message: 'Bye' } });
  await waitFor(() => env.client.get(builtin.configmaps, configMapName('bye'), { namespace }));
  await env.client.delete(widgets, 'bye', { namespace });
  await waitFor(() => gone(() => env.client.get(widgets, 'bye', { namespace })), {
    description: 'Widget bye gone',
  });
  // No garbage collector runs here (no simulation), so only cleanup can have deleted the ConfigMap.
  expect(await gone(() => env.client.get(builtin.configmaps, configMapName('bye'), { namespace }))).toBe(
    true,
  );
});
