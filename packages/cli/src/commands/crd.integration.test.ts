/**
 * `steward crd generate` output applied to the real control plane (STEWARD_CONTROL_PLANE_KUBECONFIG);
 * skipped without it. The CRDs' group (clitest.steward.dev) is this test's alone, and it deletes them.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { builtin } from '@steward/core';
import type { CustomResourceDefinition } from '@steward/core';
import { startTestEnv } from '@steward/testing';
import type { TestEnv } from '@steward/testing';
import { run } from '../program.js';
import { crdsOf, expectServed } from './crdServed.fixture.js';

const kubeConfig = process.env['STEWARD_CONTROL_PLANE_KUBECONFIG'];
const widgets = fileURLToPath(new URL('../load/widgets.fixture.ts', import.meta.url));

(kubeConfig ? describe : describe.skip)('steward crd generate on the real control plane', () => {
  let env: TestEnv | undefined;
  let crds: CustomResourceDefinition[] = [];
  beforeAll(async () => {
    env = await startTestEnv({ target: { kubeConfig: kubeConfig ?? '' }, namespace: true });
  }, 120_000);
  afterAll(async () => {
    for (const crd of crds) {
      await env?.client.delete(builtin.customresourcedefinitions, crd.metadata.name).catch(() => undefined);
    }
    await env?.stop();
  }, 120_000);

  test('generated CRDs are accepted, serve their kinds and enforce their schema', async () => {
    const out: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };
    expect(await run(['crd', 'generate', widgets, '--stdout'], io)).toBe(0);
    crds = crdsOf(out.join(''));
    if (!env) throw new Error('no test environment');
    await expectServed(env.client, crds, env.namespace, {
      Widget: { good: { replicas: 2, message: 'hi' }, bad: { replicas: 'two' } },
      Gadget: { good: { size: 3 }, bad: { size: 'large' } },
    });
  }, 120_000);
});
