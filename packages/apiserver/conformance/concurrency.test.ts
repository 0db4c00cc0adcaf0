// Conformance: optimistic concurrency (reference §2 item 8; registry/rest/update.go,
// apiextensions-apiserver customresource strategy AllowUnconditionalUpdate=false).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { cmPath, configMap, create, expectOk, expectStatus, lazyWidgetCrd, widget } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('concurrency');
const crd = lazyWidgetCrd(t);
const MODIFIED =
  'the object has been modified; please apply your changes to the latest version and try again';

describe('optimistic concurrency', () => {
  // §2 item 8: a stale resourceVersion on PUT → 409 Conflict with the exact message.
  conformanceCase(
    'conflict-stale-put-409',
    'PUT with a stale resourceVersion → 409 Conflict with the exact message',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('stale', { a: '1' }));
      expectOk(await t.client.put(cmPath(t.ns, 'stale'), { ...made, data: { a: '2' } }), 200);
      const res = await t.client.put(cmPath(t.ns, 'stale'), { ...made, data: { a: '3' } });
      expectStatus(res, {
        code: 409,
        reason: 'Conflict',
        message: `Operation cannot be fulfilled on configmaps "stale": ${MODIFIED}`,
        details: { name: 'stale', kind: 'configmaps' },
      });
    },
  );

  // §2 item 8: for a group resource the message names <plural>.<group> and details carry the group.
  conformanceCase(
    'conflict-stale-put-cr-409',
    'PUT of a CR with a stale resourceVersion → 409 naming widgets.<group>',
    async () => {
      const c = await crd();
      const made = await create(t, c.path(t.ns), widget(c, 'w1', { replicas: 1 }));
      expectOk(await t.client.put(c.path(t.ns, 'w1'), { ...made, spec: { ...made.spec, replicas: 2 } }), 200);
      const res = await t.client.put(c.path(t.ns, 'w1'), { ...made, spec: { ...made.spec, replicas: 3 } });
      expectStatus(res, {
        code: 409,
        reason: 'Conflict',
        message: `Operation cannot be fulfilled on widgets.${c.group} "w1": ${MODIFIED}`,
        details: { name: 'w1', group: c.group, kind: 'widgets' },
      });
    },
  );

  // §2 item 8: built-ins allow unconditional update (no resourceVersion → last write wins).
  conformanceCase(
    'conflict-put-empty-rv-builtin-ok',
    'PUT of a ConfigMap without resourceVersion → 200 (unconditional update)',
    async () => {
      await create(t, cmPath(t.ns), configMap('uncond', { a: '1' }));
      const got = expectOk(await t.client.put(cmPath(t.ns, 'uncond'), configMap('uncond', { a: '9' })), 200);
      expect(got.data).toEqual({ a: '9' });
    },
  );

  // §2 item 8: custom resources refuse unconditional update with 422. registry/generic/registry/store.go
  // builds this error from the resource (not the kind) and the uint64 0, which the current field-error
  // printer renders as JSON `0` (older releases printed `0x0`).
  conformanceCase(
    'conflict-put-empty-rv-cr-422',
    'PUT of a CR without resourceVersion → 422 `widgets.<group> "norv" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update`',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'norv', { replicas: 1 }));
      const res = await t.client.put(c.path(t.ns, 'norv'), widget(c, 'norv', { replicas: 2 }));
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: `widgets.${c.group} "norv" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update`,
        details: {
          name: 'norv',
          group: c.group,
          kind: 'widgets',
          causes: [
            {
              reason: 'FieldValueInvalid',
              message: 'Invalid value: 0: must be specified for an update',
              field: 'metadata.resourceVersion',
            },
          ],
        },
      });
    },
  );

  // §2 item 8: PUT never creates a CR (AllowCreateOnUpdate false).
  conformanceCase(
    'conflict-put-missing-cr-404',
    'PUT of a missing CR → 404 `widgets.<group> "x" not found`',
    async () => {
      const c = await crd();
      const res = await t.client.put(c.path(t.ns, 'absent'), {
        ...widget(c, 'absent'),
        metadata: { name: 'absent', resourceVersion: '1' },
      });
      expectStatus(res, {
        code: 404,
        reason: 'NotFound',
        message: `widgets.${c.group} "absent" not found`,
        details: { name: 'absent', group: c.group, kind: 'widgets' },
      });
    },
  );

  // §2 item 8: PATCH needs no resourceVersion.
  conformanceCase('conflict-patch-without-rv-ok', 'merge PATCH without resourceVersion → 200', async () => {
    await create(t, cmPath(t.ns), configMap('patch-free', { a: '1' }));
    const got = expectOk(
      await t.client.patch(cmPath(t.ns, 'patch-free'), 'merge', { data: { b: '2' } }),
      200,
    );
    expect(got.data).toEqual({ a: '1', b: '2' });
  });

  // §2 item 8: a resourceVersion inside a patch is a precondition.
  conformanceCase(
    'conflict-patch-stale-rv-409',
    'merge PATCH carrying a stale metadata.resourceVersion → 409 Conflict',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('patch-pre', { a: '1' }));
      expectOk(await t.client.patch(cmPath(t.ns, 'patch-pre'), 'merge', { data: { a: '2' } }), 200);
      const res = await t.client.patch(cmPath(t.ns, 'patch-pre'), 'merge', {
        metadata: { resourceVersion: made.metadata.resourceVersion },
        data: { a: '3' },
      });
      expectStatus(res, {
        code: 409,
        reason: 'Conflict',
        message: `Operation cannot be fulfilled on configmaps "patch-pre": ${MODIFIED}`,
      });
    },
  );

  // §2 item 8: a current resourceVersion inside a patch passes.
  conformanceCase(
    'conflict-patch-current-rv-ok',
    'merge PATCH carrying the current resourceVersion → 200',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('patch-cur', { a: '1' }));
      const res = await t.client.patch(cmPath(t.ns, 'patch-cur'), 'merge', {
        metadata: { resourceVersion: made.metadata.resourceVersion },
        data: { a: '2' },
      });
      expect(expectOk(res, 200).data).toEqual({ a: '2' });
    },
  );

  // §2 item 8: of two writers racing from the same version exactly one wins.
  conformanceCase(
    'conflict-race-one-wins',
    'two PUTs from the same resourceVersion at once → one 200 and one 409',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('race', { a: '0' }));
      const [r1, r2] = await Promise.all([
        t.client.put(cmPath(t.ns, 'race'), { ...made, data: { a: '1' } }),
        t.client.put(cmPath(t.ns, 'race'), { ...made, data: { a: '2' } }),
      ]);
      expect([r1.status, r2.status].sort((a, b) => a - b)).toEqual([200, 409]);
    },
  );

  // §2 item 8: a PUT with a resourceVersion newer than stored also conflicts (only equality passes).
  conformanceCase(
    'conflict-future-rv-409',
    'PUT with a resourceVersion different from the stored one (even higher) → 409',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('future'));
      const future = String(Number(made.metadata.resourceVersion) + 100000);
      const res = await t.client.put(cmPath(t.ns, 'future'), {
        ...made,
        metadata: { ...made.metadata, resourceVersion: future },
        data: { z: '1' },
      });
      expectStatus(res, { code: 409, reason: 'Conflict' });
    },
  );
});
