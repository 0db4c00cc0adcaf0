// Conformance: structural-schema features operators use — nullable with defaults, int-or-string,
// x-kubernetes-list-type map/set (apiextensions-apiserver schema/defaulting, schema/listtype/validation.go,
// and server-side apply merging list-type maps by key).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { create, expectOk, expectStatus, lazyWidgetCrd, widget } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('crd-schema');
const crd = lazyWidgetCrd(t);

describe('CRD schema features', () => {
  // Defaulting: a null for a non-nullable field is pruned, and then its default applies.
  conformanceCase(
    'cs-null-non-nullable-defaulted',
    'spec.size: null (not nullable, default "small") → stored as "small"',
    async () => {
      const c = await crd();
      const got = await create(t, c.path(t.ns), widget(c, 'n1', { replicas: 1, size: null }));
      expect(got.spec.size).toBe('small');
    },
  );

  // Defaulting: a nullable field keeps its explicit null.
  conformanceCase('cs-nullable-kept', 'spec.note: null (nullable: true) → stored as null', async () => {
    const c = await crd();
    const got = await create(t, c.path(t.ns), widget(c, 'n2', { replicas: 1, note: null }));
    expect(got.spec).toHaveProperty('note', null);
  });

  // x-kubernetes-int-or-string accepts both forms.
  conformanceCase(
    'cs-int-or-string-accepts',
    'spec.port 8080 and "http" are both accepted by x-kubernetes-int-or-string',
    async () => {
      const c = await crd();
      expect((await create(t, c.path(t.ns), widget(c, 'p1', { port: 8080 }))).spec.port).toBe(8080);
      expect((await create(t, c.path(t.ns), widget(c, 'p2', { port: 'http' }))).spec.port).toBe('http');
    },
  );

  // x-kubernetes-int-or-string refuses other types.
  conformanceCase(
    'cs-int-or-string-rejects-bool',
    'spec.port true → 422 with a cause on spec.port',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), widget(c, 'p3', { port: true }));
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.details.causes).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'spec.port' })]),
      );
    },
  );

  // listtype/validation.go: list-type map entries must have unique keys.
  conformanceCase(
    'cs-list-map-duplicate-422',
    'two spec.endpoints with name "a" (list-type map keyed by name) → 422 `spec.endpoints[1]: Duplicate value: {"name":"a"}`',
    async () => {
      const c = await crd();
      const res = await t.client.post(
        c.path(t.ns),
        widget(c, 'd1', { endpoints: [{ name: 'a' }, { name: 'a', url: 'x' }] }),
      );
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: `${c.kind}.${c.group} "d1" is invalid: spec.endpoints[1]: Duplicate value: {"name":"a"}`,
      });
      expect(res.json.details.causes).toEqual([
        {
          reason: 'FieldValueDuplicate',
          message: 'Duplicate value: {"name":"a"}',
          field: 'spec.endpoints[1]',
        },
      ]);
    },
  );

  // listtype/validation.go: list-type set entries must be unique.
  conformanceCase(
    'cs-list-set-duplicate-422',
    'spec.zones ["x","x"] (list-type set) → 422 `spec.zones[1]: Duplicate value: "x"`',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), widget(c, 'd2', { zones: ['x', 'x'] }));
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: `${c.kind}.${c.group} "d2" is invalid: spec.zones[1]: Duplicate value: "x"`,
      });
    },
  );

  // A list-type map entry without its key field is a Required error.
  conformanceCase(
    'cs-list-map-key-required-422',
    'an spec.endpoints entry without name → 422 with FieldValueRequired on spec.endpoints[0].name',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), widget(c, 'd3', { endpoints: [{ url: 'x' }] }));
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.details.causes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ reason: 'FieldValueRequired', field: 'spec.endpoints[0].name' }),
        ]),
      );
    },
  );

  // Server-side apply merges list-type map entries by key, so two managers can own different entries.
  conformanceCase(
    'cs-apply-list-map-merge',
    'two managers applying different spec.endpoints names → both entries kept',
    async () => {
      const c = await crd();
      const apply = (manager: string, name: string) =>
        t.client.patch(
          c.path(t.ns, 'm1'),
          'apply',
          widget(c, 'm1', { endpoints: [{ name, url: `${name}.example` }] }),
          { fieldManager: manager },
        );
      expectOk(await apply('a', 'first'), 201);
      const got = expectOk(await apply('b', 'second'), 200);
      expect(got.spec.endpoints.map((e: any) => e.name).sort()).toEqual(['first', 'second']);
    },
  );

  // Merge patch replaces a list-type map wholesale (merge patch knows no keys).
  conformanceCase(
    'cs-merge-patch-replaces-list-map',
    'a merge patch of spec.endpoints replaces the whole list',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'm2', { endpoints: [{ name: 'a' }, { name: 'b' }] }));
      const got = expectOk(
        await t.client.patch(c.path(t.ns, 'm2'), 'merge', { spec: { endpoints: [{ name: 'c' }] } }),
        200,
      );
      expect(got.spec.endpoints).toEqual([{ name: 'c' }]);
    },
  );
});
