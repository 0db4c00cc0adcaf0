// Conformance: CR schema validation, defaulting, pruning and CEL rules (reference §2 items 29, 30;
// apiextensions-apiserver pkg/apiserver/validation, schema/defaulting, schema/pruning, schema/cel/validation.go).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { create, expectOk, expectStatus, lazyWidgetCrd, widget, type Crd } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('crd-val');
const crd = lazyWidgetCrd(t);

const NOT_CHECKED =
  'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';
const invalid = (c: Crd, name: string, fieldErrors: string) =>
  `${c.kind}.${c.group} "${name}" is invalid: ${fieldErrors}`;

describe('CRD validation', () => {
  // §2 item 29 / issue 3: the exact minimum message and one cause per field.
  conformanceCase(
    'cv-minimum-422',
    'spec.replicas 0 with minimum 1 → 422 `spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1`',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), widget(c, 'min', { replicas: 0 }));
      const msg = 'Invalid value: 0: spec.replicas in body should be greater than or equal to 1';
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: invalid(c, 'min', `spec.replicas: ${msg}`),
        details: {
          name: 'min',
          group: c.group,
          kind: c.kind,
          causes: [{ reason: 'FieldValueInvalid', message: msg, field: 'spec.replicas' }],
        },
      });
    },
  );

  // §2 item 29: maximum.
  conformanceCase(
    'cv-maximum-422',
    'spec.replicas 101 with maximum 100 → 422 `... should be less than or equal to 100`',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), widget(c, 'max', { replicas: 101 }));
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: invalid(
          c,
          'max',
          'spec.replicas: Invalid value: 101: spec.replicas in body should be less than or equal to 100',
        ),
      });
    },
  );

  // §2 item 29: enum → Unsupported value; with CEL rules on the CRD, this blocking error also adds the
  // field-less "some validation rules were not checked" cause (apiextensions validation hasBlockingErr).
  conformanceCase(
    'cv-enum-422',
    'spec.size "medium" outside the enum → 422 with cause `Unsupported value: "medium": supported values: "small", "large"` and the rules-not-checked note',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), widget(c, 'enum', { size: 'medium' }));
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(
        res.json.message.startsWith(
          invalid(
            c,
            'enum',
            '[spec.size: Unsupported value: "medium": supported values: "small", "large", <nil>: Invalid value:',
          ),
        ),
      ).toBe(true);
      expect(res.json.message).toContain(NOT_CHECKED);
      expect(res.json.details.causes[0]).toEqual({
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: "medium": supported values: "small", "large"',
        field: 'spec.size',
      });
      expect(res.json.details.causes[1]).toMatchObject({
        reason: 'FieldValueInvalid',
        field: '<nil>',
        message: expect.stringContaining(NOT_CHECKED),
      });
    },
  );

  // §2 item 29: wrong type (also a blocking error, so CEL rules are reported as not checked).
  conformanceCase(
    'cv-type-422',
    'spec.replicas "three" → 422 cause `Invalid value: "string": spec.replicas in body must be of type integer: "string"` (FieldValueTypeInvalid)',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), widget(c, 'type', { replicas: 'three' }));
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(
        res.json.message.startsWith(
          invalid(
            c,
            'type',
            '[spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string", ',
          ),
        ),
      ).toBe(true);
      expect(res.json.details.causes[0]).toEqual({
        reason: 'FieldValueTypeInvalid',
        message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
        field: 'spec.replicas',
      });
    },
  );

  // §2 item 29: maxLength.
  conformanceCase(
    'cv-max-length-422',
    'spec.color longer than maxLength 12 → 422 with a FieldValueTooLong cause on spec.color',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), widget(c, 'long', { color: 'x'.repeat(13) }));
      // Exact text verified on kube-apiserver v1.37.2 (TooLong blocks CEL, hence the second cause).
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: invalid(
          c,
          'long',
          `[spec.color: Too long: may not be more than 12 bytes, <nil>: Invalid value: null: ${NOT_CHECKED}]`,
        ),
      });
      expect(res.json.details.causes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ reason: 'FieldValueTooLong', field: 'spec.color' }),
        ]),
      );
    },
  );

  // §2 item 9: one cause per failing field (schema and CEL together), aggregated in the message as [a, b].
  conformanceCase(
    'cv-multiple-causes',
    'replicas 0 plus a failing CEL rule → 422 with causes on spec.replicas and spec, both in a bracketed message',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), widget(c, 'two', { replicas: 0, color: 'forbidden' }));
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.details.causes.map((x: any) => x.field).sort()).toEqual(['spec', 'spec.replicas']);
      expect(res.json.message).toMatch(/^Widget\..* "two" is invalid: \[.*spec\.replicas.*, .*spec: .*\]$/);
    },
  );

  // §2 item 29: defaults from the schema are applied on create.
  conformanceCase(
    'cv-defaulting',
    'a CR without spec.size gets the default "small" and the default min/max replicas',
    async () => {
      const c = await crd();
      const got = await create(t, c.path(t.ns), widget(c, 'dflt', { replicas: 1 }));
      expect(got.spec).toMatchObject({ size: 'small', minReplicas: 1, maxReplicas: 10 });
    },
  );

  // §2 item 29: defaults are applied on update too.
  conformanceCase(
    'cv-defaulting-on-update',
    'a PUT that drops spec.size → the default "small" comes back',
    async () => {
      const c = await crd();
      const made = await create(t, c.path(t.ns), widget(c, 'dflt2', { replicas: 1, size: 'large' }));
      const { size: _s, ...spec } = made.spec;
      const got = expectOk(await t.client.put(c.path(t.ns, 'dflt2'), { ...made, spec }), 200);
      expect(got.spec.size).toBe('small');
    },
  );

  // §2 item 29: unknown fields are pruned.
  conformanceCase(
    'cv-pruning',
    'unknown spec.bogus and top-level junk are pruned from the stored CR',
    async () => {
      const c = await crd();
      const got = await create(t, c.path(t.ns), {
        ...widget(c, 'prune', { replicas: 1, bogus: 1 }),
        junk: true,
      });
      expect(got.spec.bogus).toBeUndefined();
      expect(got.junk).toBeUndefined();
      const read = (await t.client.get(c.path(t.ns, 'prune'))).json;
      expect(read.spec.bogus).toBeUndefined();
    },
  );

  // §2 item 29: x-kubernetes-preserve-unknown-fields keeps a subtree.
  conformanceCase(
    'cv-preserve-unknown-fields',
    'fields under spec.extra (x-kubernetes-preserve-unknown-fields) are kept',
    async () => {
      const c = await crd();
      const got = await create(
        t,
        c.path(t.ns),
        widget(c, 'keep', { replicas: 1, extra: { anything: { deep: [1, 2] } } }),
      );
      expect(got.spec.extra).toEqual({ anything: { deep: [1, 2] } });
    },
  );

  // §2 item 29: unknown metadata fields are dropped but metadata is kept.
  conformanceCase('cv-metadata-kept', 'labels and annotations of a CR are kept through pruning', async () => {
    const c = await crd();
    const got = await create(t, c.path(t.ns), {
      ...widget(c, 'meta', { replicas: 1 }),
      metadata: { name: 'meta', labels: { a: 'b' }, annotations: { c: 'd' } },
    });
    expect(got.metadata).toMatchObject({ labels: { a: 'b' }, annotations: { c: 'd' } });
  });

  // §2 item 30: a CEL rule with a message. schema/cel/validation.go omits the value for object and array
  // schemas (field.OmitValueType) and prints it for scalars; older releases printed the type ("object").
  conformanceCase(
    'cv-cel-message-422',
    'CEL rule failing (minReplicas > maxReplicas) → 422 `spec: Invalid value: minReplicas must not exceed maxReplicas` (no value printed for an object)',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), widget(c, 'cel1', { minReplicas: 5, maxReplicas: 2 }));
      const msg = 'Invalid value: minReplicas must not exceed maxReplicas';
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: invalid(c, 'cel1', `spec: ${msg}`),
        details: {
          name: 'cel1',
          group: c.group,
          kind: c.kind,
          causes: [{ reason: 'FieldValueInvalid', message: msg, field: 'spec' }],
        },
      });
    },
  );

  // §2 item 30: without a message, the default is "failed rule: <rule>".
  conformanceCase(
    'cv-cel-default-message-422',
    'CEL rule without message → 422 `spec: Invalid value: failed rule: <rule>`',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), widget(c, 'cel2', { color: 'forbidden' }));
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: invalid(
          c,
          'cel2',
          `spec: Invalid value: failed rule: !has(self.color) || self.color != 'forbidden'`,
        ),
      });
    },
  );

  // §2 item 30: a CEL rule that passes lets the write through.
  conformanceCase('cv-cel-passes', 'minReplicas 2, maxReplicas 3 → 201', async () => {
    const c = await crd();
    expectOk(await t.client.post(c.path(t.ns), widget(c, 'cel3', { minReplicas: 2, maxReplicas: 3 })), 201);
  });

  // §2 item 30: transition rules (oldSelf) are not evaluated on create.
  conformanceCase(
    'cv-cel-transition-create-ok',
    'a transition rule (self == oldSelf) does not block create',
    async () => {
      const c = await crd();
      expectOk(await t.client.post(c.path(t.ns), widget(c, 'cel4', { immutableName: 'first' })), 201);
    },
  );

  // §2 item 30: transition rules are evaluated on update.
  conformanceCase(
    'cv-cel-transition-update-422',
    'changing spec.immutableName (self == oldSelf) → 422 `spec.immutableName: Invalid value: "second": immutableName is immutable`',
    async () => {
      const c = await crd();
      const made = await create(t, c.path(t.ns), widget(c, 'cel5', { immutableName: 'first' }));
      const res = await t.client.put(c.path(t.ns, 'cel5'), {
        ...made,
        spec: { ...made.spec, immutableName: 'second' },
      });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: invalid(
          c,
          'cel5',
          'spec.immutableName: Invalid value: "second": immutableName is immutable',
        ),
      });
    },
  );

  // §2 item 29: validation runs on update as on create.
  conformanceCase('cv-update-validated-422', 'a PUT that sets replicas 0 → 422 Invalid', async () => {
    const c = await crd();
    const made = await create(t, c.path(t.ns), widget(c, 'upd', { replicas: 1 }));
    const res = await t.client.put(c.path(t.ns, 'upd'), { ...made, spec: { ...made.spec, replicas: 0 } });
    expectStatus(res, {
      code: 422,
      reason: 'Invalid',
      message: invalid(
        c,
        'upd',
        'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
      ),
    });
  });

  // §2 item 29: CR names follow the DNS-1123 subdomain rule.
  conformanceCase(
    'cv-cr-name-invalid-422',
    'a CR named "Bad_Name" → 422 with a cause on metadata.name',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), widget(c, 'Bad_Name', { replicas: 1 }));
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.details.causes).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'metadata.name' })]),
      );
    },
  );

  // The CR validator checks the kind against the endpoint. Verified against kube-apiserver v1.37.2: a 422
  // (built-in endpoints answer 400 from the decoder instead).
  conformanceCase(
    'cv-cr-kind-mismatch-422',
    'a CR body with kind Gizmo on the widgets endpoint → 422 `Gizmo.<group> "wk" is invalid: kind: Invalid value: "Gizmo": must be Widget`',
    async () => {
      const c = await crd();
      const res = await t.client.post(c.path(t.ns), {
        ...widget(c, 'wk', { replicas: 1, minReplicas: 1, maxReplicas: 2 }),
        kind: 'Gizmo',
      });
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.message.startsWith(`Gizmo.${c.group} "wk" is invalid: `)).toBe(true);
      expect(res.json.details).toMatchObject({ name: 'wk', group: c.group, kind: 'Gizmo' });
      expect(res.json.details.causes).toEqual(
        expect.arrayContaining([
          { reason: 'FieldValueInvalid', message: 'Invalid value: "Gizmo": must be Widget', field: 'kind' },
        ]),
      );
    },
  );
});
