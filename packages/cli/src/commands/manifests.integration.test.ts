/**
 * `steward manifests` output on the real control plane (STEWARD_CONTROL_PLANE_KUBECONFIG); skipped
 * without it. The plane enforces RBAC, so besides a server-side dry run the test applies the output in
 * a namespace of its own and asks `kubectl auth can-i` as the operator's ServiceAccount. It deletes
 * what it made that outlives the namespace (the CRD, the ClusterRole and its binding).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestEnv } from '@steward/testing';
import type { TestEnv } from '@steward/testing';
import { run } from '../program.js';

const kubeConfig = process.env['STEWARD_CONTROL_PLANE_KUBECONFIG'];
const fixture = fileURLToPath(new URL('../../test/fixtures/operators/widgetOperator.ts', import.meta.url));

async function kubectl(...args: string[]): Promise<string> {
  return (await promisify(execFile)('kubectl', ['--kubeconfig', kubeConfig ?? '', ...args])).stdout;
}

(kubeConfig ? describe : describe.skip)('steward manifests on the real control plane', () => {
  let env: TestEnv | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'steward-manifests-'));
  beforeAll(async () => {
    env = await startTestEnv({ target: { kubeConfig: kubeConfig ?? '' }, namespace: true });
  }, 120_000);
  afterAll(async () => {
    for (const object of [
      'crd/widgets.fixtures.steward.dev',
      'clusterrolebinding/widget-operator',
      'clusterrole/widget-operator',
    ])
      await kubectl('delete', '--ignore-not-found', '--wait=false', object).catch(() => undefined);
    await env?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('the output passes a server-side dry run, applies, and grants the operator exactly its verbs', async () => {
    const namespace = env?.namespace ?? '';
    const deploy = join(dir, 'deploy');
    const io = { out: () => {}, err: (t: string) => void process.stderr.write(t) };
    expect(await run(['manifests', fixture, '--out', deploy, '--namespace', namespace], io)).toBe(0);
    expect(await kubectl('apply', '--dry-run=server', '-k', deploy)).toContain(
      'deployment.apps/widget-operator created (server dry run)',
    );
    await kubectl('apply', '-k', deploy);

    const as = ['--as', `system:serviceaccount:${namespace}:widget-operator`];
    const can = async (...args: string[]) =>
      (
        await promisify(execFile)('kubectl', [
          '--kubeconfig',
          kubeConfig ?? '',
          'auth',
          'can-i',
          ...args,
          ...as,
        ]).then(
          (r) => r.stdout,
          (e: { stdout?: string }) => e.stdout ?? '',
        )
      ).trim();
    expect(await can('watch', 'widgets.fixtures.steward.dev', '-A')).toBe('yes');
    expect(await can('patch', 'widgets.fixtures.steward.dev', '--subresource=status', '-n', namespace)).toBe(
      'yes',
    );
    expect(
      await can('update', 'widgets.fixtures.steward.dev', '--subresource=finalizers', '-n', namespace),
    ).toBe('yes');
    expect(await can('delete', 'widgets.fixtures.steward.dev', '-n', namespace)).toBe('no');
    expect(await can('create', 'configmaps', '-n', namespace)).toBe('yes');
    expect(await can('list', 'secrets', '-A')).toBe('yes');
    expect(await can('create', 'secrets', '-n', namespace)).toBe('no');
    expect(await can('update', 'leases.coordination.k8s.io', '-n', namespace)).toBe('yes');
    expect(await can('create', 'events.events.k8s.io', '-n', namespace)).toBe('yes');
    expect(await can('create', 'pods', '--subresource=exec', '-n', namespace)).toBe('yes');
    expect(await can('delete', 'pods', '-n', namespace)).toBe('no');
  }, 120_000);
});
