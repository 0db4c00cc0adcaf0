import { afterEach, expect, test } from '@jest/globals';
import { builtin } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { waitFor } from '../waitFor.js';
import { OPERATOR_USER_AGENT, runManager } from './runManager.js';
import { startTestEnv } from './testEnv.js';
import type { TestEnv } from './testEnvTypes.js';

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

/** A controller that copies `data.in` to `data.out` on every ConfigMap. */
function copier(name = 'copier') {
  return {
    name,
    for: builtin.configmaps,
    async reconcile(cm: KubeObject & { data?: Record<string, string> }, ctx: { client: TestEnv['client'] }) {
      if (cm.data?.['in'] === undefined || cm.data['out'] === cm.data['in']) return;
      await ctx.client.patch(
        builtin.configmaps,
        cm.metadata.name ?? '',
        { data: { out: cm.data['in'] } },
        { namespace: cm.metadata.namespace ?? '' },
      );
    },
  };
}

test('runs the operator in-process, keeps its logs, and stops cleanly', async () => {
  env = await startTestEnv({ namespace: true });
  const e = env;
  const running = await runManager(e, (m) => m.add(copier()));
  await e.client.create(builtin.configmaps, {
    metadata: { name: 'x', namespace: e.namespace },
    data: { in: '1' },
  });
  await waitFor(async () => {
    const cm = await e.client.get<KubeObject & { data?: Record<string, string> }>(builtin.configmaps, 'x', {
      namespace: e.namespace,
    });
    return cm.data?.['out'] === '1';
  });
  await running.stop();
  await running.stop();
  expect(running.logs.some((l) => l.controller === 'manager' && l.msg === 'manager stopped')).toBe(true);
  expect(running.formatLogs()).toContain('info manager: manager stopped');
  // Stopped: a change is no longer copied.
  await e.client.patch(builtin.configmaps, 'x', { data: { in: '2' } }, { namespace: e.namespace });
  await new Promise((r) => setTimeout(r, 200));
  const cm = await e.client.get<KubeObject & { data?: Record<string, string> }>(builtin.configmaps, 'x', {
    namespace: e.namespace,
  });
  expect(cm.data?.['out']).toBe('1');
});

test('env.stop() stops the managers still running in it', async () => {
  env = await startTestEnv();
  const running = await runManager(env, (m) => m.add(copier()));
  await env.stop();
  expect(running.logs.some((l) => l.msg === 'manager stopped')).toBe(true);
  expect(() => running.manager.add(copier('late'))).toThrow(/stopped/);
});

test('a failing setup stops the manager and rethrows', async () => {
  env = await startTestEnv();
  let captured: { add: (o: ReturnType<typeof copier>) => void } | undefined;
  const error = await runManager(env, (m) => {
    captured = m;
    throw new Error('bad wiring');
  }).catch((err: unknown) => err);
  expect((error as Error).message).toBe('bad wiring');
  expect(() => captured?.add(copier())).toThrow(/stopped/);
});

test("the operator's requests carry its user agent, so faults can aim at it alone", async () => {
  env = await startTestEnv({ namespace: true });
  const e = env;
  const server = e.server;
  if (!server) throw new Error('embedded env has a server');
  await runManager(e, (m) => m.add(copier()));
  // Every operator write fails; the test's own client is untouched.
  server.faults.failNext({ method: 'PATCH', userAgent: OPERATOR_USER_AGENT }, { code: 500 }, 1000);
  await e.client.create(builtin.configmaps, {
    metadata: { name: 'y', namespace: e.namespace },
    data: { in: '1' },
  });
  await e.client.patch(builtin.configmaps, 'y', { data: { other: 'ok' } }, { namespace: e.namespace });
  await new Promise((r) => setTimeout(r, 200));
  const cm = await e.client.get<KubeObject & { data?: Record<string, string> }>(builtin.configmaps, 'y', {
    namespace: e.namespace,
  });
  expect(cm.data).toEqual({ in: '1', other: 'ok' });
  server.faults.clear();
  await waitFor(async () => {
    const now = await e.client.get<KubeObject & { data?: Record<string, string> }>(builtin.configmaps, 'y', {
      namespace: e.namespace,
    });
    return now.data?.['out'] === '1';
  });
});
