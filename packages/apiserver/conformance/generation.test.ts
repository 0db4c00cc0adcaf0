// Conformance: metadata.generation (reference §2 item 6; registry/rest/update.go "Ensure requests cannot
// update generation", apiextensions customResourceStrategy.PrepareForUpdate, apps strategies).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import {
  cmPath,
  configMap,
  create,
  deployPath,
  deployment,
  expectOk,
  lazyWidgetCrd,
  widget,
} from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('generation');
const crd = lazyWidgetCrd(t);
const plainCrd = lazyWidgetCrd(t, { subresources: false, plural: 'gadgets', kind: 'Gadget' });

describe('generation', () => {
  // §2 item 6: CRs start at generation 1.
  conformanceCase('gen-cr-create-1', 'a created CR has metadata.generation 1', async () => {
    const c = await crd();
    const got = await create(t, c.path(t.ns), widget(c, 'g1', { replicas: 1 }));
    expect(got.metadata.generation).toBe(1);
  });

  // §2 item 6: a spec change bumps generation by one.
  conformanceCase('gen-cr-spec-change-bumps', 'a spec change of a CR → generation 2', async () => {
    const c = await crd();
    const made = await create(t, c.path(t.ns), widget(c, 'g2', { replicas: 1 }));
    const got = expectOk(
      await t.client.put(c.path(t.ns, 'g2'), { ...made, spec: { ...made.spec, replicas: 2 } }),
      200,
    );
    expect(got.metadata.generation).toBe(2);
  });

  // §2 item 6: metadata-only changes leave generation alone.
  conformanceCase('gen-cr-metadata-change-same', 'a label change of a CR keeps generation 1', async () => {
    const c = await crd();
    await create(t, c.path(t.ns), widget(c, 'g3', { replicas: 1 }));
    const got = expectOk(
      await t.client.patch(c.path(t.ns, 'g3'), 'merge', {
        metadata: { labels: { x: 'y' }, annotations: { a: 'b' } },
      }),
      200,
    );
    expect(got.metadata.generation).toBe(1);
  });

  // §2 item 6: clients cannot set generation, on create or update.
  conformanceCase(
    'gen-client-cannot-set',
    'generation sent by the client is ignored on create and update',
    async () => {
      const c = await crd();
      const made = await create(t, c.path(t.ns), {
        ...widget(c, 'g4', { replicas: 1 }),
        metadata: { name: 'g4', generation: 7 },
      });
      expect(made.metadata.generation).toBe(1);
      const got = expectOk(
        await t.client.put(c.path(t.ns, 'g4'), { ...made, metadata: { ...made.metadata, generation: 42 } }),
        200,
      );
      expect(got.metadata.generation).toBe(1);
    },
  );

  // §2 item 6: with a status subresource, status written through the main resource is discarded.
  conformanceCase(
    'gen-cr-status-via-main-ignored',
    'with a status subresource, a status-only write to the main resource changes nothing',
    async () => {
      const c = await crd();
      const made = await create(t, c.path(t.ns), widget(c, 'g5', { replicas: 1 }));
      const got = expectOk(
        await t.client.put(c.path(t.ns, 'g5'), { ...made, status: { phase: 'Running' } }),
        200,
      );
      expect(got.status).toBeUndefined();
      expect(got.metadata.generation).toBe(1);
    },
  );

  // §2 item 6: without a status subresource, status changes do bump generation.
  conformanceCase(
    'gen-cr-no-subresource-status-bumps',
    'without a status subresource, a status change → generation 2',
    async () => {
      const c = await plainCrd();
      const made = await create(t, c.path(t.ns), widget(c, 'g6', { replicas: 1 }));
      const got = expectOk(
        await t.client.put(c.path(t.ns, 'g6'), { ...made, status: { phase: 'Running' } }),
        200,
      );
      expect(got.status).toEqual({ phase: 'Running' });
      expect(got.metadata.generation).toBe(2);
    },
  );

  // §2 item 6: a no-op update keeps generation and resourceVersion.
  conformanceCase(
    'gen-cr-noop-same',
    'a PUT of an unchanged CR keeps generation and resourceVersion',
    async () => {
      const c = await crd();
      const made = await create(t, c.path(t.ns), widget(c, 'g7', { replicas: 1 }));
      const got = expectOk(await t.client.put(c.path(t.ns, 'g7'), made), 200);
      expect(got.metadata.generation).toBe(1);
      expect(got.metadata.resourceVersion).toBe(made.metadata.resourceVersion);
    },
  );

  // §2 item 6: built-ins are type-specific; a Deployment starts at 1 and bumps on spec changes only.
  conformanceCase(
    'gen-deployment-spec-bumps',
    'a Deployment starts at generation 1, a spec change → 2, a label change stays 2',
    async () => {
      const made = await create(t, deployPath(t.ns), deployment('gd', 1));
      expect(made.metadata.generation).toBe(1);
      const scaled = expectOk(
        await t.client.patch(deployPath(t.ns, 'gd'), 'merge', { spec: { replicas: 3 } }),
        200,
      );
      expect(scaled.metadata.generation).toBe(2);
      const labelled = expectOk(
        await t.client.patch(deployPath(t.ns, 'gd'), 'merge', { metadata: { labels: { x: 'y' } } }),
        200,
      );
      expect(labelled.metadata.generation).toBe(2);
    },
  );

  // §2 item 6: kinds without a spec (ConfigMap) have no generation at all.
  conformanceCase('gen-configmap-absent', 'a ConfigMap has no metadata.generation', async () => {
    const made = await create(t, cmPath(t.ns), configMap('gc', { a: '1' }));
    expect(made.metadata.generation).toBeUndefined();
  });

  // §2 items 6 and 21: setting deletionTimestamp bumps generation.
  conformanceCase('gen-deletion-bumps', 'DELETE of a CR held by a finalizer → generation +1', async () => {
    const c = await crd();
    const made = await create(t, c.path(t.ns), {
      ...widget(c, 'g8', { replicas: 1 }),
      metadata: { name: 'g8', finalizers: ['conformance.steward.dev/hold'] },
    });
    const res = await t.client.delete(c.path(t.ns, 'g8'));
    const got = expectOk(res);
    expect(got.metadata.deletionTimestamp).toBeDefined();
    expect(got.metadata.generation).toBe(made.metadata.generation + 1);
    await t.client.patch(c.path(t.ns, 'g8'), 'merge', { metadata: { finalizers: null } });
  });
});
