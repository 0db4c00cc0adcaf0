// Conformance: JSON merge patch, RFC 7386 (reference §2 item 24; handlers/patch.go jsonPatcher with MergePatchType).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import {
  IMAGE,
  cmPath,
  configMap,
  create,
  deployPath,
  deployment,
  expectOk,
  expectStatus,
  lazyWidgetCrd,
  widget,
} from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('patch-merge');
const crd = lazyWidgetCrd(t);

describe('merge patch', () => {
  // RFC 7386: keys merge, null deletes.
  conformanceCase(
    'mp-merge-and-null-deletes',
    '{data:{b:null,c:"3"}} → b removed, c added, a kept',
    async () => {
      await create(t, cmPath(t.ns), configMap('m1', { a: '1', b: '2' }));
      const got = expectOk(
        await t.client.patch(cmPath(t.ns, 'm1'), 'merge', { data: { b: null, c: '3' } }),
        200,
      );
      expect(got.data).toEqual({ a: '1', c: '3' });
    },
  );

  // RFC 7386: arrays are replaced whole (no merge keys), even for built-in lists.
  conformanceCase(
    'mp-replaces-lists',
    'a merge patch of spec.template.spec.containers replaces the whole list',
    async () => {
      await create(t, deployPath(t.ns), deployment('md'));
      const patch = {
        spec: {
          template: { spec: { containers: [{ name: 'other', image: IMAGE }] } },
        },
      };
      const got = expectOk(await t.client.patch(deployPath(t.ns, 'md'), 'merge', patch), 200);
      expect(got.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['other']);
    },
  );

  // RFC 7386: nested objects merge recursively.
  conformanceCase(
    'mp-nested-merge',
    'a nested merge patch of metadata.labels adds one label and keeps the rest',
    async () => {
      await create(t, cmPath(t.ns), configMap('m2', {}, { a: '1', b: '2' }));
      const got = expectOk(
        await t.client.patch(cmPath(t.ns, 'm2'), 'merge', { metadata: { labels: { c: '3' } } }),
        200,
      );
      expect(got.metadata.labels).toEqual({ a: '1', b: '2', c: '3' });
    },
  );

  // §2 item 24: CR endpoints accept merge patch; CR arrays are replaced.
  conformanceCase(
    'mp-custom-resource',
    'merge patch on a CR replaces spec.tags and bumps generation',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'mw', { replicas: 1, tags: ['a', 'b'] }));
      const got = expectOk(await t.client.patch(c.path(t.ns, 'mw'), 'merge', { spec: { tags: ['z'] } }), 200);
      expect(got.spec.tags).toEqual(['z']);
      expect(got.metadata.generation).toBe(2);
    },
  );

  // Patching a missing object → 404.
  conformanceCase('mp-missing-object-404', 'merge patch of a missing object → 404 NotFound', async () => {
    const res = await t.client.patch(cmPath(t.ns, 'm-missing'), 'merge', { data: { a: '1' } });
    expectStatus(res, { code: 404, reason: 'NotFound', message: 'configmaps "m-missing" not found' });
  });

  // An undecodable merge patch → 400.
  conformanceCase('mp-malformed-400', 'a merge patch body that is not JSON → 400 BadRequest', async () => {
    await create(t, cmPath(t.ns), configMap('m3'));
    const res = await t.client.request('PATCH', cmPath(t.ns, 'm3'), {
      body: '{"data": ',
      contentType: 'application/merge-patch+json',
    });
    expectStatus(res, { code: 400, reason: 'BadRequest', message: 'invalid JSON patch' });
  });

  // §2 item 29: the merged result is validated.
  conformanceCase(
    'mp-result-validated-422',
    'a merge patch setting replicas 0 on a CR → 422 Invalid on spec.replicas',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'mv', { replicas: 1 }));
      const res = await t.client.patch(c.path(t.ns, 'mv'), 'merge', { spec: { replicas: 0 } });
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.details.causes).toEqual([expect.objectContaining({ field: 'spec.replicas' })]);
    },
  );

  // A merge patch that changes nothing keeps the resourceVersion.
  conformanceCase(
    'mp-noop-keeps-rv',
    'a merge patch that changes nothing → 200 with the same resourceVersion',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('m4', { a: '1' }));
      const got = expectOk(await t.client.patch(cmPath(t.ns, 'm4'), 'merge', { data: { a: '1' } }), 200);
      expect(got.metadata.resourceVersion).toBe(made.metadata.resourceVersion);
    },
  );

  // A merge patch that sets data to null removes the whole map.
  conformanceCase('mp-null-whole-map', '{data:null} → the ConfigMap has no data', async () => {
    await create(t, cmPath(t.ns), configMap('m5', { a: '1' }));
    const got = expectOk(await t.client.patch(cmPath(t.ns, 'm5'), 'merge', { data: null }), 200);
    expect(got.data).toBeUndefined();
  });
});
