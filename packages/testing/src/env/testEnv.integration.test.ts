/**
 * `startTestEnv` against the real control plane: the CRD is installed and served, an object is created
 * in a fresh namespace, an operator runs through `runManager`, an invariant watch sees it, and `stop()`
 * deletes the namespace. Skipped unless STEWARD_CONTROL_PLANE_KUBECONFIG is set.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, test } from '@jest/globals';
import { builtin, CustomResource, NotFoundError, resourceRefOf, Schema } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { never } from '../invariants/invariant.js';
import { watchInvariants } from '../invariants/watchInvariants.js';
import { waitFor } from '../waitFor.js';
import { runManager } from './runManager.js';
import { startTestEnv } from './testEnv.js';

const kubeconfig = process.env['STEWARD_CONTROL_PLANE_KUBECONFIG'];

@CustomResource({ group: 'envtest.steward.dev', version: 'v1', kind: 'Gizmo' })
class Gizmo {
  @Schema({ type: 'object', properties: { size: { type: 'integer' } }, required: ['size'] })
  spec!: { size: number };
}
const gizmos = resourceRefOf(Gizmo);
type GizmoObject = KubeObject & { spec: { size: number } };

(kubeconfig ? describe : describe.skip)('startTestEnv on the real control plane', () => {
  test('installs the CRD, works in a fresh namespace, runs an operator, and cleans up', async () => {
    const env = await startTestEnv({
      target: { kubeConfig: kubeconfig ?? '' },
      crds: [Gizmo],
      namespace: true,
    });
    const ns = env.namespace;
    try {
      expect(env.target).toBe('cluster');
      expect(env.server).toBeUndefined();
      // Served as soon as startTestEnv resolved: no retry here.
      await env.client.create(gizmos, { metadata: { name: 'g', namespace: ns }, spec: { size: 1 } });
      const { stdout } = await promisify(execFile)('kubectl', [
        '--kubeconfig',
        env.kubeconfigPath,
        'get',
        'gizmos.envtest.steward.dev',
        'g',
        '-o',
        'jsonpath={.metadata.namespace}',
      ]);
      expect(stdout).toBe(ns);

      const watch = await watchInvariants(env.client, {
        namespace: ns,
        invariants: [
          never(
            'a Gizmo larger than 3',
            (s) => s.list<GizmoObject>(gizmos, { namespace: ns }).some((g) => g.spec.size > 3),
            {
              kinds: [gizmos],
            },
          ),
        ],
      });
      const op = await runManager(env, (m) =>
        m.add<GizmoObject>({
          name: 'gizmo-doubler',
          for: gizmos,
          namespace: ns,
          async reconcile(g, ctx) {
            if (g.spec.size >= 2) return;
            await ctx.client.patch(
              gizmos,
              g.metadata.name ?? '',
              { spec: { size: g.spec.size * 2 } },
              { namespace: ns },
            );
          },
        }),
      );
      await waitFor(
        async () => (await env.client.get<GizmoObject>(gizmos, 'g', { namespace: ns })).spec.size === 2,
        {
          description: 'the operator to double gizmo g',
          state: () => env.client.get(gizmos, 'g', { namespace: ns }),
        },
      );
      await watch.assertNone();
      await env.client.patch(gizmos, 'g', { spec: { size: 4 } }, { namespace: ns });
      await expect(watch.assertNone()).rejects.toThrow(/a Gizmo larger than 3/);
      await watch.stop();
      await op.stop();
    } finally {
      await env.stop();
    }
    expect(existsSync(env.kubeconfigPath)).toBe(false);
    const after = await startTestEnv({ target: { kubeConfig: kubeconfig ?? '' } });
    try {
      const gone = await after.client.get(builtin.namespaces, env.namespace).catch((e: unknown) => e);
      const deleted =
        gone instanceof NotFoundError || (gone as KubeObject).metadata.deletionTimestamp !== undefined;
      expect(deleted).toBe(true);
    } finally {
      await after.stop();
    }
  });
});
