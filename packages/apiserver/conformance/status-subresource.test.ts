// Conformance: the status subresource (reference §2 item 7; apiextensions customresource statusStrategy,
// core pod strategy with metav1.ResetObjectMetaForStatus).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { create, expectOk, expectStatus, lazyWidgetCrd, pod, podPath, widget } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('status');
const crd = lazyWidgetCrd(t);
const plainCrd = lazyWidgetCrd(t, { subresources: false, plural: 'gadgets', kind: 'Gadget' });

describe('status subresource', () => {
  // §2 items 5, 7: status is dropped on create when a status subresource exists.
  conformanceCase(
    'status-dropped-on-create',
    'POST of a CR carrying status → stored without status',
    async () => {
      const c = await crd();
      const got = await create(t, c.path(t.ns), {
        ...widget(c, 's1', { replicas: 1 }),
        status: { phase: 'Injected' },
      });
      expect(got.status).toBeUndefined();
    },
  );

  // §2 item 7: PUT /status keeps only .status from the request.
  conformanceCase(
    'status-put-keeps-only-status',
    'PUT /status with changed spec and labels → only status changes, generation unchanged',
    async () => {
      const c = await crd();
      const made = await create(t, c.path(t.ns), widget(c, 's2', { replicas: 1 }));
      const body = {
        ...made,
        metadata: { ...made.metadata, labels: { sneaky: 'yes' } },
        spec: { ...made.spec, replicas: 9 },
        status: { phase: 'Running', replicas: 1 },
      };
      const got = expectOk(await t.client.put(c.path(t.ns, 's2', 'status'), body), 200);
      expect(got.status).toEqual({ phase: 'Running', replicas: 1 });
      expect(got.spec.replicas).toBe(1);
      expect(got.metadata.labels).toBeUndefined();
      expect(got.metadata.generation).toBe(1);
      expect(Number(got.metadata.resourceVersion)).toBeGreaterThan(Number(made.metadata.resourceVersion));
    },
  );

  // §2 item 7: main-resource writes ignore .status.
  conformanceCase(
    'status-main-write-ignores-status',
    'PUT of the main resource never changes status',
    async () => {
      const c = await crd();
      const made = await create(t, c.path(t.ns), widget(c, 's3', { replicas: 1 }));
      const withStatus = expectOk(
        await t.client.put(c.path(t.ns, 's3', 'status'), { ...made, status: { phase: 'Running' } }),
        200,
      );
      const got = expectOk(
        await t.client.put(c.path(t.ns, 's3'), {
          ...withStatus,
          status: { phase: 'Hacked' },
          spec: { ...made.spec, replicas: 2 },
        }),
        200,
      );
      expect(got.status).toEqual({ phase: 'Running' });
      expect(got.spec.replicas).toBe(2);
    },
  );

  // §2 item 7: merge PATCH on /status.
  conformanceCase(
    'status-merge-patch',
    'merge PATCH /status {status:{phase}} → 200 and status stored',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 's4', { replicas: 1 }));
      const got = expectOk(
        await t.client.patch(c.path(t.ns, 's4', 'status'), 'merge', { status: { phase: 'Ready' } }),
        200,
      );
      expect(got.status.phase).toBe('Ready');
      const read = await t.client.get(c.path(t.ns, 's4'));
      expect(read.json.status.phase).toBe('Ready');
    },
  );

  // §2 item 7: merge PATCH of spec through /status is dropped.
  conformanceCase(
    'status-patch-spec-dropped',
    'merge PATCH /status touching spec → spec unchanged',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 's5', { replicas: 1 }));
      const got = expectOk(
        await t.client.patch(c.path(t.ns, 's5', 'status'), 'merge', {
          spec: { replicas: 5 },
          status: { phase: 'X' },
        }),
        200,
      );
      expect(got.spec.replicas).toBe(1);
      expect(got.status.phase).toBe('X');
    },
  );

  // §2 item 7: GET /status returns the whole object.
  conformanceCase(
    'status-get-whole-object',
    'GET /status returns the whole object (spec included)',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 's6', { replicas: 4 }));
      const res = await t.client.get(c.path(t.ns, 's6', 'status'));
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ kind: c.kind, metadata: { name: 's6' }, spec: { replicas: 4 } });
    },
  );

  // §2 item 8 applied to /status: a stale resourceVersion conflicts.
  conformanceCase(
    'status-put-stale-rv-409',
    'PUT /status with a stale resourceVersion → 409 Conflict',
    async () => {
      const c = await crd();
      const made = await create(t, c.path(t.ns), widget(c, 's7', { replicas: 1 }));
      expectOk(await t.client.put(c.path(t.ns, 's7', 'status'), { ...made, status: { phase: 'A' } }), 200);
      const res = await t.client.put(c.path(t.ns, 's7', 'status'), { ...made, status: { phase: 'B' } });
      expectStatus(res, { code: 409, reason: 'Conflict' });
    },
  );

  // §2 item 2: no status subresource declared → /status does not exist.
  conformanceCase(
    'status-absent-subresource-404',
    'a CRD without subresources has no /status endpoint (404)',
    async () => {
      const c = await plainCrd();
      await create(t, c.path(t.ns), widget(c, 's8', { replicas: 1 }));
      const res = await t.client.get(c.path(t.ns, 's8', 'status'));
      expect(res.status).toBe(404);
    },
  );

  // §2 item 7 as the Pod status strategy does it. Verified against kube-apiserver v1.37.2: a status PUT keeps
  // spec (and ownerReferences, deletionTimestamp) from storage, but label and annotation changes go through.
  conformanceCase(
    'status-pod-spec-kept',
    'PUT pods/<name>/status → status stored, spec changes dropped, label and annotation changes stored',
    async () => {
      const made = await create(t, podPath(t.ns), pod('sp'));
      const body = {
        ...made,
        metadata: { ...made.metadata, labels: { added: 'yes' }, annotations: { a: 'b' } },
        spec: { ...made.spec, activeDeadlineSeconds: 5 },
        status: { ...made.status, phase: 'Running', podIP: '10.0.0.7' },
      };
      const got = expectOk(await t.client.put(podPath(t.ns, 'sp') + '/status', body), 200);
      expect(got.status.phase).toBe('Running');
      expect(got.status.podIP).toBe('10.0.0.7');
      expect(got.spec.activeDeadlineSeconds).toBeUndefined();
      expect(got.metadata.labels).toEqual({ added: 'yes' });
      expect(got.metadata.annotations).toEqual({ a: 'b' });
    },
  );

  // §2 item 7: main-resource writes of a built-in ignore status too.
  conformanceCase(
    'status-pod-main-ignores-status',
    'PUT of a Pod with a new status.phase → phase stays Pending',
    async () => {
      const made = await create(t, podPath(t.ns), pod('sp2'));
      const got = expectOk(
        await t.client.put(podPath(t.ns, 'sp2'), { ...made, status: { phase: 'Succeeded' } }),
        200,
      );
      expect(got.status.phase).toBe('Pending');
    },
  );

  // §2 item 29 applied to status: the status schema is validated.
  conformanceCase(
    'status-validated',
    'PUT /status with a condition missing required "status" → 422 on status.conditions[0].status',
    async () => {
      const c = await crd();
      const made = await create(t, c.path(t.ns), widget(c, 's9', { replicas: 1 }));
      const res = await t.client.put(c.path(t.ns, 's9', 'status'), {
        ...made,
        status: { conditions: [{ type: 'Ready' }] },
      });
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.details.causes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ reason: 'FieldValueRequired', field: 'status.conditions[0].status' }),
        ]),
      );
    },
  );
});
