// Conformance: fieldValidation=Strict|Warn|Ignore (reference §2 item 27; apiserver handlers/rest.go
// fieldValidation, serializer strict decoding, apiextensions pruning warnings).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { cmPath, configMap, expectOk, expectStatus, lazyWidgetCrd, widget } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('fieldval');
const crd = lazyWidgetCrd(t);

const withUnknown = (name: string) => ({ ...configMap(name, { a: '1' }), bogus: 'x' });
const warnings = (h: string | string[] | undefined) => (Array.isArray(h) ? h.join('\n') : (h ?? ''));

describe('field validation', () => {
  // §2 item 27: Strict → unknown fields fail the request with 400.
  conformanceCase(
    'fv-strict-unknown-400',
    'fieldValidation=Strict with an unknown top-level field → 400 `strict decoding error: unknown field "bogus"`',
    async () => {
      const res = await t.client.post(cmPath(t.ns), withUnknown('v1'), { fieldValidation: 'Strict' });
      expectStatus(res, {
        code: 400,
        reason: 'BadRequest',
        message:
          'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"',
      });
    },
  );

  // §2 item 27: the default (Warn) accepts and sends a Warning header.
  conformanceCase(
    'fv-default-warn-header',
    'no fieldValidation (Warn) with an unknown field → 201 and a `Warning: 299 - "unknown field \\"bogus\\""` header',
    async () => {
      const res = await t.client.post(cmPath(t.ns), withUnknown('v2'));
      const got = expectOk(res, 201);
      expect(got.bogus).toBeUndefined();
      expect(warnings(res.headers['warning'])).toContain('299 - "unknown field \\"bogus\\""');
    },
  );

  // §2 item 27: Ignore drops unknown fields silently.
  conformanceCase(
    'fv-ignore-no-warning',
    'fieldValidation=Ignore with an unknown field → 201 and no Warning header',
    async () => {
      const res = await t.client.post(cmPath(t.ns), withUnknown('v3'), { fieldValidation: 'Ignore' });
      expectOk(res, 201);
      expect(res.headers['warning']).toBeUndefined();
    },
  );

  // §2 item 27: Strict also applies to update.
  conformanceCase(
    'fv-strict-update-400',
    'PUT with fieldValidation=Strict and an unknown nested field → 400 naming metadata.bogus',
    async () => {
      const made = expectOk(await t.client.post(cmPath(t.ns), configMap('v4')), 201);
      const res = await t.client.put(
        cmPath(t.ns, 'v4'),
        { ...made, metadata: { ...made.metadata, bogus: 1 } },
        { fieldValidation: 'Strict' },
      );
      expectStatus(res, { code: 400, reason: 'BadRequest', message: /unknown field "metadata\.bogus"/ });
    },
  );

  // §2 item 27: Strict rejects duplicate fields.
  conformanceCase(
    'fv-strict-duplicate-400',
    'fieldValidation=Strict with a duplicated JSON key → 400 `duplicate field "data"`',
    async () => {
      const body =
        '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"v5"},"data":{"a":"1"},"data":{"b":"2"}}';
      const res = await t.client.request('POST', cmPath(t.ns), {
        body,
        query: { fieldValidation: 'Strict' },
      });
      expectStatus(res, { code: 400, reason: 'BadRequest', message: /duplicate field "data"/ });
    },
  );

  // §2 items 27, 29: CR unknown fields under Strict → 400 naming the path.
  conformanceCase(
    'fv-cr-strict-unknown-400',
    'a CR with spec.bogus under fieldValidation=Strict → 400 `unknown field "spec.bogus"`',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), widget(c, 'fv1', { replicas: 1, bogus: true }), {
        fieldValidation: 'Strict',
      });
      expectStatus(res, { code: 400, reason: 'BadRequest', message: /unknown field "spec\.bogus"/ });
    },
  );

  // §2 items 27, 29: CR unknown fields under Warn → pruned with a warning.
  conformanceCase(
    'fv-cr-warn-pruned',
    'a CR with spec.bogus and default validation → 201, field pruned, Warning names spec.bogus',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), widget(c, 'fv2', { replicas: 1, bogus: true }));
      const got = expectOk(res, 201);
      expect(got.spec.bogus).toBeUndefined();
      expect(warnings(res.headers['warning'])).toContain('unknown field \\"spec.bogus\\"');
    },
  );

  // Strict accepts a clean body.
  conformanceCase('fv-strict-clean-ok', 'fieldValidation=Strict with only known fields → 201', async () => {
    expectOk(
      await t.client.post(cmPath(t.ns), configMap('v6', { a: '1' }), { fieldValidation: 'Strict' }),
      201,
    );
  });

  // apimachinery ValidateCreateOptions: only "", Ignore, Strict and Warn are directives.
  conformanceCase(
    'fv-unknown-directive-422',
    'fieldValidation=Bogus → 422 `CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Bogus": supported values: "", "Ignore", "Strict", "Warn"`',
    async () => {
      const res = await t.client.post(cmPath(t.ns), configMap('v7'), { fieldValidation: 'Bogus' });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message:
          'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Bogus": supported values: "", "Ignore", "Strict", "Warn"',
      });
    },
  );

  // handlers/patch.go: with Strict, unknown fields in a patch's result fail with 422 naming "patch".
  conformanceCase(
    'fv-strict-merge-patch-422',
    'a merge patch adding an unknown top-level field with fieldValidation=Strict → 422 `... strict decoding error: unknown field "bogus"`',
    async () => {
      expectOk(await t.client.post(cmPath(t.ns), configMap('v8')), 201);
      const res = await t.client.patch(
        cmPath(t.ns, 'v8'),
        'merge',
        { bogus: 1 },
        { fieldValidation: 'Strict' },
      );
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: /strict decoding error: unknown field "bogus"/,
      });
    },
  );

  // handlers/patch.go: with the default (Warn), the same patch succeeds with a Warning header.
  conformanceCase(
    'fv-warn-merge-patch-header',
    'the same merge patch with default validation → 200, field dropped, Warning names "bogus"',
    async () => {
      expectOk(await t.client.post(cmPath(t.ns), configMap('v9')), 201);
      const res = await t.client.patch(cmPath(t.ns, 'v9'), 'merge', { bogus: 1 });
      expect(expectOk(res, 200).bogus).toBeUndefined();
      expect(warnings(res.headers['warning'])).toContain('unknown field \\"bogus\\"');
    },
  );
});
