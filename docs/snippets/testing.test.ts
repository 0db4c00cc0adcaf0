/**
 * The examples of docs/testing.md, run: a simulated data plane gating pod readiness, an invariant
 * watched while pods fail, and a perturbation test of the Shelf operator from concepts.ts. Start
 * with the `dataPlane` region.
 */
import { afterEach, expect, test } from '@jest/globals';
import { addController, builtin, resourceRefOf } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { atMostNotReady, formatReport, perturbationTest, startTestEnv, waitFor } from '@steward/testing';
import { watchInvariants } from '@steward/testing';
import type { TestEnv } from '@steward/testing';
import { Shelf, ShelfController } from './concepts.js';

let env: TestEnv | undefined;
afterEach(() => env?.stop());

test('a pod is Ready only once its simulated member joined', async () => {
  // #region dataPlane
  env = await startTestEnv({ namespace: true, simulate: { kubelet: { nodes: 3, readyDelayMs: 20 } } });
  const ring = new Map<string, 'joining' | 'up'>();
  env.simulation?.kubelet?.attach({
    selector: { namespace: env.namespace, labelSelector: 'app=ring' },
    started: (pod) => void ring.set(pod.metadata.name ?? '', 'joining'), // containers started
    stopped: (pod) => void ring.delete(pod.metadata.name ?? ''), // deleted, node failed, restarted
    ready: (pod) => ring.get(pod.metadata.name ?? '') === 'up', // gates the pod's Ready condition
  });
  // #endregion
  const pod = {
    metadata: { name: 'ring-0', namespace: env.namespace, labels: { app: 'ring' } },
    spec: { containers: [{ name: 'member', image: 'ring:1' }] },
  };
  await env.client.create(builtin.pods, pod);
  const ready = async () => {
    const p = await env!.client.get<
      KubeObject & { status?: { conditions?: { type: string; status: string }[] } }
    >(builtin.pods, 'ring-0', { namespace: env!.namespace });
    return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
  };
  await waitFor(() => ring.get('ring-0') === 'joining');
  expect(await ready()).toBe(false);
  ring.set('ring-0', 'up');
  await waitFor(ready, { description: 'ring-0 Ready once its member is up' });
});

test('an invariant sees a moment when too many pods were not Ready', async () => {
  env = await startTestEnv({ namespace: true, simulate: { kubelet: { nodes: 2, readyDelayMs: 20 } } });
  const { client, namespace } = env;
  for (const name of ['db-0', 'db-1']) {
    const spec = { containers: [{ name: 'db', image: 'db:1' }], nodeName: 'sim-node-0' };
    await client.create(builtin.pods, { metadata: { name, namespace, labels: { app: 'db' } }, spec });
  }
  const readyPods = async () => {
    const { items } = await client.list(builtin.pods, { namespace, labelSelector: 'app=db' });
    return items.filter((p) => JSON.stringify(p['status']).includes('"type":"Ready","status":"True"')).length;
  };
  await waitFor(async () => (await readyPods()) === 2, { description: 'both pods Ready' });
  // #region invariants
  const watch = await watchInvariants(client, {
    namespace,
    invariants: [atMostNotReady({ namespace, selector: 'app=db', max: 1 })],
  });
  // ... scale, upgrade, fail a node ...
  await env.simulation?.kubelet?.failNode('sim-node-0'); // both its pods go NotReady at once
  await expect(watch.assertNone()).rejects.toThrow(/at most 1|atMostNotReady/);
  await watch.stop();
  // #endregion
});

test('the Shelf operator survives a crash after each of its writes', async () => {
  const shelves = resourceRefOf(Shelf);
  // #region perturbation
  const report = await perturbationTest({
    name: 'shelf',
    crds: [Shelf],
    setup: (m) => void addController(m, new ShelfController()), // again after every crash
    scenario: [
      {
        apply: {
          apiVersion: 'docs.steward.dev/v1',
          kind: 'Shelf',
          metadata: { name: 's', namespace: 'default' },
          spec: { books: 2 },
        },
      },
      {
        wait: (s) =>
          s.list(builtin.configmaps, { namespace: 'default', labelSelector: 'shelf=s' }).length === 2,
      },
      { patch: { ref: shelves, namespace: 'default', name: 's', patch: { spec: { books: 1 } } } },
      {
        wait: (s) =>
          s.list(builtin.configmaps, { namespace: 'default', labelSelector: 'shelf=s' }).length === 1,
      },
    ],
    perturbations: ['crash-after-write'], // all five families when omitted
  });
  console.log(formatReport(report)); // "perturbationTest shelf: N schedules in … s, 0 divergences"
  expect(report.divergences).toEqual([]);
  // #endregion
}, 120_000);
