// Conformance: finalizers, deletionTimestamp, graceful deletion, propagationPolicy and deletecollection
// (reference §2 items 21-23; registry/rest/delete.go, generic/registry/store.go, handlers/delete.go).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { cmPath, configMap, create, expectOk, expectStatus, names, pod, podPath } from './fixtures.js';
import { eventually, useTarget } from './target.js';

const t = useTarget('finalizers');
const HOLD = 'conformance.steward.dev/hold';

function held(name: string, finalizers = [HOLD]): any {
  return { ...configMap(name, { a: '1' }), metadata: { name, finalizers } };
}

async function release(ns: string, name: string): Promise<void> {
  await t.client.patch(cmPath(ns, name), 'merge', { metadata: { finalizers: null } });
}

describe('finalizers and deletion', () => {
  // §2 item 21: DELETE with finalizers marks the object and returns it with 200.
  conformanceCase(
    'fin-delete-marks-object',
    'DELETE of an object with finalizers → 200 with the object, deletionTimestamp set, deletionGracePeriodSeconds 0',
    async () => {
      await create(t, cmPath(t.ns), held('f1'));
      const res = await t.client.delete(cmPath(t.ns, 'f1'));
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        kind: 'ConfigMap',
        metadata: {
          name: 'f1',
          finalizers: [HOLD],
          deletionTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
          deletionGracePeriodSeconds: 0,
        },
      });
      const still = await t.client.get(cmPath(t.ns, 'f1'));
      expect(still.status).toBe(200);
      expect(still.json.metadata.deletionTimestamp).toBe(res.json.metadata.deletionTimestamp);
      await release(t.ns, 'f1');
    },
  );

  // §2 item 21: the update that empties finalizers deletes the object.
  conformanceCase(
    'fin-last-removal-deletes',
    'removing the last finalizer of a deleting object → the object is gone (404)',
    async () => {
      await create(t, cmPath(t.ns), held('f2'));
      expectOk(await t.client.delete(cmPath(t.ns, 'f2')), 200);
      const res = await t.client.patch(cmPath(t.ns, 'f2'), 'merge', { metadata: { finalizers: null } });
      expect(res.status).toBe(200);
      expect((await t.client.get(cmPath(t.ns, 'f2'))).status).toBe(404);
    },
  );

  // §2 item 21: removing one of two finalizers keeps the object.
  conformanceCase(
    'fin-partial-removal-keeps',
    'removing one of two finalizers of a deleting object → still present with the other',
    async () => {
      await create(t, cmPath(t.ns), held('f3', [HOLD, 'conformance.steward.dev/second']));
      expectOk(await t.client.delete(cmPath(t.ns, 'f3')), 200);
      const got = expectOk(
        await t.client.patch(cmPath(t.ns, 'f3'), 'merge', {
          metadata: { finalizers: ['conformance.steward.dev/second'] },
        }),
        200,
      );
      expect(got.metadata.finalizers).toEqual(['conformance.steward.dev/second']);
      expect((await t.client.get(cmPath(t.ns, 'f3'))).status).toBe(200);
      await release(t.ns, 'f3');
    },
  );

  // §2 item 21 (ValidateNoNewFinalizers): no new finalizers on a deleting object.
  conformanceCase(
    'fin-no-new-finalizers-422',
    'adding a finalizer to a deleting object → 422 "no new finalizers can be added if the object is being deleted"',
    async () => {
      await create(t, cmPath(t.ns), held('f4'));
      expectOk(await t.client.delete(cmPath(t.ns, 'f4')), 200);
      const res = await t.client.patch(cmPath(t.ns, 'f4'), 'merge', {
        metadata: { finalizers: [HOLD, 'example.com/b'] },
      });
      const msg =
        'Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/b"}';
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: `ConfigMap "f4" is invalid: metadata.finalizers: ${msg}`,
        details: {
          name: 'f4',
          kind: 'ConfigMap',
          causes: [{ reason: 'FieldValueForbidden', message: msg, field: 'metadata.finalizers' }],
        },
      });
      await release(t.ns, 'f4');
    },
  );

  // §2 item 21 (rest/update.go): updates cannot clear deletionTimestamp.
  conformanceCase(
    'fin-deletion-timestamp-sticky',
    'an update that clears deletionTimestamp → deletionTimestamp kept',
    async () => {
      await create(t, cmPath(t.ns), held('f5'));
      const marked = expectOk(await t.client.delete(cmPath(t.ns, 'f5')), 200);
      const { deletionTimestamp: _d, deletionGracePeriodSeconds: _g, ...meta } = marked.metadata;
      const got = expectOk(
        await t.client.put(cmPath(t.ns, 'f5'), { ...marked, metadata: meta, data: { b: '2' } }),
        200,
      );
      expect(got.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
      expect(got.data).toEqual({ b: '2' });
      await release(t.ns, 'f5');
    },
  );

  // §2 item 21: a repeated DELETE returns the object again without moving deletionTimestamp.
  conformanceCase(
    'fin-repeated-delete-same-timestamp',
    'a second DELETE of a deleting object → same deletionTimestamp',
    async () => {
      await create(t, cmPath(t.ns), held('f6'));
      const first = expectOk(await t.client.delete(cmPath(t.ns, 'f6')));
      await new Promise((r) => setTimeout(r, 1100));
      const second = expectOk(await t.client.delete(cmPath(t.ns, 'f6')));
      expect(second.metadata.deletionTimestamp).toBe(first.metadata.deletionTimestamp);
      await release(t.ns, 'f6');
    },
  );

  // §2 items 16, 21: watchers see MODIFIED (marked) and then DELETED (finalizers gone).
  conformanceCase(
    'fin-watch-modified-then-deleted',
    'a watch sees MODIFIED with deletionTimestamp, then DELETED when the finalizer goes',
    async () => {
      const made = await create(t, cmPath(t.ns), held('f7'));
      const w = await t.client.watch(cmPath(t.ns), {
        resourceVersion: made.metadata.resourceVersion,
        fieldSelector: 'metadata.name=f7',
        timeoutSeconds: 10,
      });
      try {
        await t.client.delete(cmPath(t.ns, 'f7'));
        const e1 = await w.next();
        expect(e1).toMatchObject({
          type: 'MODIFIED',
          object: { metadata: { name: 'f7', deletionTimestamp: expect.any(String) } },
        });
        await release(t.ns, 'f7');
        const e2 = await w.next();
        expect(e2).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'f7' } } });
        expect(Number(e2!.object.metadata.resourceVersion)).toBeGreaterThan(
          Number(e1!.object.metadata.resourceVersion),
        );
      } finally {
        w.close();
      }
    },
  );

  // §2 item 23: propagationPolicy=Orphan adds the orphan finalizer (the GC would remove it).
  conformanceCase(
    'prop-orphan-finalizer',
    'DELETE ?propagationPolicy=Orphan → object kept with finalizer "orphan" and deletionTimestamp',
    async () => {
      await create(t, cmPath(t.ns), configMap('p1'));
      const res = await t.client.delete(cmPath(t.ns, 'p1'), { propagationPolicy: 'Orphan' });
      expect(res.status).toBe(200);
      expect(res.json.metadata).toMatchObject({
        finalizers: ['orphan'],
        deletionTimestamp: expect.any(String),
      });
      await release(t.ns, 'p1');
    },
  );

  // §2 item 23: propagationPolicy=Foreground adds foregroundDeletion.
  conformanceCase(
    'prop-foreground-finalizer',
    'DELETE ?propagationPolicy=Foreground → object kept with finalizer "foregroundDeletion"',
    async () => {
      await create(t, cmPath(t.ns), configMap('p2'));
      const res = await t.client.delete(cmPath(t.ns, 'p2'), { propagationPolicy: 'Foreground' });
      expect(res.status).toBe(200);
      expect(res.json.metadata).toMatchObject({
        finalizers: ['foregroundDeletion'],
        deletionTimestamp: expect.any(String),
      });
      await release(t.ns, 'p2');
    },
  );

  // §2 item 23: Background adds nothing; the object goes at once.
  conformanceCase(
    'prop-background-immediate',
    'DELETE ?propagationPolicy=Background → deleted at once (Status Success)',
    async () => {
      await create(t, cmPath(t.ns), configMap('p3'));
      const res = await t.client.delete(cmPath(t.ns, 'p3'), { propagationPolicy: 'Background' });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ kind: 'Status', status: 'Success' });
      expect((await t.client.get(cmPath(t.ns, 'p3'))).status).toBe(404);
    },
  );

  // §2 item 23: DeleteOptions may come in the body.
  conformanceCase(
    'prop-options-in-body',
    'DELETE with body DeleteOptions {propagationPolicy: Orphan} → finalizer "orphan"',
    async () => {
      await create(t, cmPath(t.ns), configMap('p4'));
      const res = await t.client.delete(cmPath(t.ns, 'p4'), undefined, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        propagationPolicy: 'Orphan',
      });
      expect(res.status).toBe(200);
      expect(res.json.metadata.finalizers).toEqual(['orphan']);
      await release(t.ns, 'p4');
    },
  );

  // §2 item 23 (handlers/delete.go): 202 when not deleted at once and orphanDependents=false was asked.
  conformanceCase(
    'prop-orphan-dependents-false-202',
    'DELETE ?orphanDependents=false of an object with finalizers → 202 Accepted',
    async () => {
      await create(t, cmPath(t.ns), held('p5'));
      const res = await t.client.delete(cmPath(t.ns, 'p5'), { orphanDependents: 'false' });
      expect(res.status).toBe(202);
      await release(t.ns, 'p5');
    },
  );

  // An unknown propagationPolicy is invalid.
  conformanceCase(
    'prop-invalid-policy-422',
    'DELETE ?propagationPolicy=Sideways → 422 `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": ...`',
    async () => {
      await create(t, cmPath(t.ns), configMap('p6'));
      const res = await t.client.delete(cmPath(t.ns, 'p6'), { propagationPolicy: 'Sideways' });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message:
          'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"',
      });
    },
  );

  // §2 item 22 (pod strategy CheckGracefulDelete): an unscheduled Pod is deleted at once.
  conformanceCase(
    'grace-unscheduled-pod-immediate',
    'DELETE of a Pod without nodeName → gone at once; the response is the Pod',
    async () => {
      await create(t, podPath(t.ns), pod('gp1'));
      const res = await t.client.delete(podPath(t.ns, 'gp1'));
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ kind: 'Pod', metadata: { name: 'gp1' } });
      await eventually('pod gone', async () => (await t.client.get(podPath(t.ns, 'gp1'))).status === 404);
    },
  );

  // §2 item 22: a scheduled Pod gets deletionTimestamp = now + grace and deletionGracePeriodSeconds.
  conformanceCase(
    'grace-scheduled-pod-waits',
    'DELETE ?gracePeriodSeconds=30 of a scheduled Pod → stays with deletionGracePeriodSeconds 30',
    async () => {
      await create(t, podPath(t.ns), pod('gp2', { nodeName: 'conformance-node' }));
      const before = Date.now();
      const res = await t.client.delete(podPath(t.ns, 'gp2'), { gracePeriodSeconds: 30 });
      expect(res.status).toBe(200);
      expect(res.json.metadata.deletionGracePeriodSeconds).toBe(30);
      const at = Date.parse(res.json.metadata.deletionTimestamp);
      expect(at).toBeGreaterThanOrEqual(before + 28_000);
      expect(at).toBeLessThanOrEqual(Date.now() + 31_000);
      expect((await t.client.get(podPath(t.ns, 'gp2'))).status).toBe(200);
      await t.client.delete(podPath(t.ns, 'gp2'), { gracePeriodSeconds: 0 });
    },
  );

  // §2 item 22: the grace period can only be shortened, and 0 deletes a scheduled Pod at once.
  conformanceCase(
    'grace-zero-deletes',
    'DELETE ?gracePeriodSeconds=0 of a terminating scheduled Pod → gone',
    async () => {
      await create(t, podPath(t.ns), pod('gp3', { nodeName: 'conformance-node' }));
      expectOk(await t.client.delete(podPath(t.ns, 'gp3'), { gracePeriodSeconds: 60 }), 200);
      expectOk(await t.client.delete(podPath(t.ns, 'gp3'), { gracePeriodSeconds: 0 }));
      await eventually('pod gone', async () => (await t.client.get(podPath(t.ns, 'gp3'))).status === 404);
    },
  );

  // deletecollection honours the label selector and leaves the rest.
  conformanceCase(
    'deletecollection-by-label',
    'DELETE collection ?labelSelector=batch=x → only matching objects are deleted',
    async () => {
      const ns = await t.createNamespace('conf-delcoll');
      await create(t, cmPath(ns), configMap('d1', {}, { batch: 'x' }));
      await create(t, cmPath(ns), configMap('d2', {}, { batch: 'x' }));
      await create(t, cmPath(ns), configMap('keep', {}, { batch: 'y' }));
      const res = await t.client.delete(cmPath(ns), { labelSelector: 'batch=x' });
      expect(res.status).toBe(200);
      const left = names((await t.client.get(cmPath(ns))).json);
      expect(left).toEqual(['keep']);
    },
  );
});
