// Conformance: JSON patch, RFC 6902 (reference §2 item 24; apiserver handlers/patch.go jsonPatcher).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { cmPath, configMap, create, expectOk, expectStatus, lazyWidgetCrd, widget } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('patch-json');
const crd = lazyWidgetCrd(t);

describe('JSON patch', () => {
  // §2 item 24: add, replace and remove ops apply in order.
  conformanceCase(
    'jp-add-replace-remove',
    'ops add, replace, remove → 200 with all applied and a new resourceVersion',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('j1', { a: '1', b: '2' }));
      const res = await t.client.patch(cmPath(t.ns, 'j1'), 'json', [
        { op: 'add', path: '/data/c', value: '3' },
        { op: 'replace', path: '/data/a', value: '10' },
        { op: 'remove', path: '/data/b' },
      ]);
      const got = expectOk(res, 200);
      expect(got.data).toEqual({ a: '10', c: '3' });
      expect(got.metadata.resourceVersion).not.toBe(made.metadata.resourceVersion);
    },
  );

  // §2 item 24: a failing test op → 422.
  conformanceCase('jp-test-op-fails-422', 'a failing "test" op → 422 and nothing changes', async () => {
    await create(t, cmPath(t.ns), configMap('j2', { a: '1' }));
    const res = await t.client.patch(cmPath(t.ns, 'j2'), 'json', [
      { op: 'test', path: '/data/a', value: 'other' },
      { op: 'replace', path: '/data/a', value: '2' },
    ]);
    expectStatus(res, { code: 422, reason: 'Invalid' });
    expect((await t.client.get(cmPath(t.ns, 'j2'))).json.data).toEqual({ a: '1' });
  });

  // §2 item 24: a passing test op lets the patch proceed.
  conformanceCase('jp-test-op-passes', 'a passing "test" op followed by replace → 200', async () => {
    await create(t, cmPath(t.ns), configMap('j3', { a: '1' }));
    const res = await t.client.patch(cmPath(t.ns, 'j3'), 'json', [
      { op: 'test', path: '/data/a', value: '1' },
      { op: 'replace', path: '/data/a', value: '2' },
    ]);
    expect(expectOk(res, 200).data).toEqual({ a: '2' });
  });

  // §2 item 24: removing a missing path fails the patch → 422.
  conformanceCase('jp-remove-missing-422', 'remove of a path that does not exist → 422', async () => {
    await create(t, cmPath(t.ns), configMap('j4', { a: '1' }));
    const res = await t.client.patch(cmPath(t.ns, 'j4'), 'json', [{ op: 'remove', path: '/data/nope' }]);
    expectStatus(res, { code: 422, reason: 'Invalid' });
  });

  // §2 item 24: an undecodable JSON patch → 400.
  conformanceCase(
    'jp-not-an-array-400',
    'a JSON patch body that is an object, not an array → 400 BadRequest',
    async () => {
      await create(t, cmPath(t.ns), configMap('j5'));
      const res = await t.client.patch(cmPath(t.ns, 'j5'), 'json', {
        op: 'add',
        path: '/data/x',
        value: '1',
      });
      expectStatus(res, {
        code: 400,
        reason: 'BadRequest',
        message:
          'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
      });
    },
  );

  // RFC 6901 escaping: ~1 is "/" inside a key.
  conformanceCase(
    'jp-escaped-key',
    'add /metadata/labels/example.com~1tier → label "example.com/tier"',
    async () => {
      await create(t, cmPath(t.ns), configMap('j6', {}, { keep: 'yes' }));
      const res = await t.client.patch(cmPath(t.ns, 'j6'), 'json', [
        { op: 'add', path: '/metadata/labels/example.com~1tier', value: 'web' },
      ]);
      expect(expectOk(res, 200).metadata.labels).toEqual({ keep: 'yes', 'example.com/tier': 'web' });
    },
  );

  // §2 item 8: a replace of metadata.resourceVersion with a stale value is a precondition → 409.
  conformanceCase(
    'jp-stale-rv-409',
    'JSON patch replacing metadata.resourceVersion with a stale value → 409 Conflict',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('j7', { a: '1' }));
      await t.client.patch(cmPath(t.ns, 'j7'), 'merge', { data: { a: '2' } });
      const res = await t.client.patch(cmPath(t.ns, 'j7'), 'json', [
        { op: 'replace', path: '/metadata/resourceVersion', value: made.metadata.resourceVersion },
        { op: 'replace', path: '/data/a', value: '3' },
      ]);
      expectStatus(res, { code: 409, reason: 'Conflict' });
    },
  );

  // Patching a missing object → 404.
  conformanceCase('jp-missing-object-404', 'JSON patch of a missing object → 404 NotFound', async () => {
    const res = await t.client.patch(cmPath(t.ns, 'j-missing'), 'json', [
      { op: 'add', path: '/data', value: {} },
    ]);
    expectStatus(res, { code: 404, reason: 'NotFound', message: 'configmaps "j-missing" not found' });
  });

  // §2 item 24: CR endpoints accept JSON patch, and array ops work on CR lists.
  conformanceCase(
    'jp-custom-resource-array-ops',
    'JSON patch on a CR: add to /spec/tags/- and replace /spec/replicas',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'jw', { replicas: 1, tags: ['a'] }));
      const res = await t.client.patch(c.path(t.ns, 'jw'), 'json', [
        { op: 'add', path: '/spec/tags/-', value: 'b' },
        { op: 'replace', path: '/spec/replicas', value: 2 },
      ]);
      const got = expectOk(res, 200);
      expect(got.spec).toMatchObject({ replicas: 2, tags: ['a', 'b'] });
      expect(got.metadata.generation).toBe(2);
    },
  );

  // §2 item 29: the patched result is validated like any write.
  conformanceCase(
    'jp-result-validated-422',
    'a JSON patch that makes a CR invalid (replicas 0) → 422 with the schema message',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'jv', { replicas: 1 }));
      const res = await t.client.patch(c.path(t.ns, 'jv'), 'json', [
        { op: 'replace', path: '/spec/replicas', value: 0 },
      ]);
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: `${c.kind}.${c.group} "jv" is invalid: spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1`,
      });
    },
  );

  // Changing the name through a patch is refused.
  conformanceCase(
    'jp-name-change-rejected',
    'JSON patch replacing metadata.name → 4xx, object unchanged',
    async () => {
      await create(t, cmPath(t.ns), configMap('j8'));
      const res = await t.client.patch(cmPath(t.ns, 'j8'), 'json', [
        { op: 'replace', path: '/metadata/name', value: 'j8-renamed' },
      ]);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect((await t.client.get(cmPath(t.ns, 'j8'))).status).toBe(200);
      expect((await t.client.get(cmPath(t.ns, 'j8-renamed'))).status).toBe(404);
    },
  );
});
