// Conformance: dryRun=All (reference §2 item 26; apiserver registry/generic/registry/dryrun.go,
// apimachinery ValidateDryRun).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { nextReal, cmPath, configMap, create, expectOk, expectStatus } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('dryrun');
const DRY = { dryRun: 'All' };

describe('dry run', () => {
  // §2 item 26: dry-run create returns the object but persists nothing.
  conformanceCase(
    'dry-create-not-persisted',
    'POST ?dryRun=All → 201 with the object (uid set), then GET → 404',
    async () => {
      const res = await t.client.post(cmPath(t.ns), configMap('d1', { a: '1' }), DRY);
      const got = expectOk(res, 201);
      expect(got).toMatchObject({
        kind: 'ConfigMap',
        metadata: { name: 'd1', uid: expect.any(String) },
        data: { a: '1' },
      });
      expect((await t.client.get(cmPath(t.ns, 'd1'))).status).toBe(404);
    },
  );

  // §2 item 26 (dryrun.go): a dry-run create carries no resourceVersion.
  conformanceCase(
    'dry-create-no-rv',
    'POST ?dryRun=All → the returned object has no resourceVersion',
    async () => {
      const got = expectOk(await t.client.post(cmPath(t.ns), configMap('d2'), DRY), 201);
      expect(got.metadata.resourceVersion ?? '').toBe('');
    },
  );

  // §2 item 26: dry-run create still reports AlreadyExists.
  conformanceCase(
    'dry-create-already-exists-409',
    'POST ?dryRun=All of an existing name → 409 AlreadyExists',
    async () => {
      await create(t, cmPath(t.ns), configMap('d3'));
      const res = await t.client.post(cmPath(t.ns), configMap('d3'), DRY);
      expectStatus(res, { code: 409, reason: 'AlreadyExists', message: 'configmaps "d3" already exists' });
    },
  );

  // §2 item 26: full validation runs.
  conformanceCase(
    'dry-create-validated-422',
    'POST ?dryRun=All with an invalid name → 422 Invalid',
    async () => {
      const res = await t.client.post(cmPath(t.ns), configMap('Not_Valid'), DRY);
      expectStatus(res, { code: 422, reason: 'Invalid' });
    },
  );

  // §2 item 26: dry-run update returns the new state, keeps the stored one.
  conformanceCase(
    'dry-update-not-persisted',
    'PUT ?dryRun=All → 200 with the new data; stored object and resourceVersion unchanged',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('d4', { a: '1' }));
      const got = expectOk(await t.client.put(cmPath(t.ns, 'd4'), { ...made, data: { a: '2' } }, DRY), 200);
      expect(got.data).toEqual({ a: '2' });
      const stored = (await t.client.get(cmPath(t.ns, 'd4'))).json;
      expect(stored.data).toEqual({ a: '1' });
      expect(stored.metadata.resourceVersion).toBe(made.metadata.resourceVersion);
    },
  );

  // §2 item 26: dry-run patch.
  conformanceCase(
    'dry-patch-not-persisted',
    'merge PATCH ?dryRun=All → 200 with the patched data; stored object unchanged',
    async () => {
      await create(t, cmPath(t.ns), configMap('d5', { a: '1' }));
      const got = expectOk(await t.client.patch(cmPath(t.ns, 'd5'), 'merge', { data: { a: '2' } }, DRY), 200);
      expect(got.data).toEqual({ a: '2' });
      expect((await t.client.get(cmPath(t.ns, 'd5'))).json.data).toEqual({ a: '1' });
    },
  );

  // §2 item 26: dry-run delete.
  conformanceCase(
    'dry-delete-not-deleted',
    'DELETE ?dryRun=All → 200; the object is still there',
    async () => {
      await create(t, cmPath(t.ns), configMap('d6'));
      const res = await t.client.delete(cmPath(t.ns, 'd6'), DRY);
      expect(res.status).toBe(200);
      expect((await t.client.get(cmPath(t.ns, 'd6'))).status).toBe(200);
    },
  );

  // §2 item 26: dry-run apply does not create.
  conformanceCase(
    'dry-apply-not-persisted',
    'server-side apply ?dryRun=All of a missing object → 201; GET → 404',
    async () => {
      const res = await t.client.patch(cmPath(t.ns, 'd7'), 'apply', configMap('d7', { a: '1' }), {
        ...DRY,
        fieldManager: 'dry',
      });
      expectOk(res, 201);
      expect((await t.client.get(cmPath(t.ns, 'd7'))).status).toBe(404);
    },
  );

  // §2 item 26: only "All" is supported.
  conformanceCase(
    'dry-unsupported-value-422',
    'POST ?dryRun=Maybe → 422 `dryRun: Unsupported value`',
    async () => {
      const res = await t.client.post(cmPath(t.ns), configMap('d8'), { dryRun: 'Maybe' });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message:
          'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Maybe"]: supported values: "All"',
      });
    },
  );

  // §2 item 26: no watch events for dry-run writes.
  conformanceCase(
    'dry-no-watch-event',
    'a dry-run create produces no watch event; the next real create does',
    async () => {
      const list = await t.client.get(cmPath(t.ns));
      const query = { resourceVersion: list.json.metadata.resourceVersion, timeoutSeconds: 5 };
      await t.client.withWatch(cmPath(t.ns), query, async (w) => {
        expectOk(await t.client.post(cmPath(t.ns), configMap('d9-dry'), DRY), 201);
        await create(t, cmPath(t.ns), configMap('d9-real'));
        const e = await nextReal(w);
        expect(e).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'd9-real' } } });
      });
    },
  );

  // §2 item 26: dry-run of a delete on an object with finalizers does not mark it.
  conformanceCase(
    'dry-delete-finalizer-unmarked',
    'DELETE ?dryRun=All of an object with finalizers → stored object has no deletionTimestamp',
    async () => {
      await create(t, cmPath(t.ns), {
        ...configMap('d10'),
        metadata: { name: 'd10', finalizers: ['conformance.steward.dev/hold'] },
      });
      expectOk(await t.client.delete(cmPath(t.ns, 'd10'), DRY));
      expect((await t.client.get(cmPath(t.ns, 'd10'))).json.metadata.deletionTimestamp).toBeUndefined();
      await t.client.patch(cmPath(t.ns, 'd10'), 'merge', { metadata: { finalizers: null } });
    },
  );

  // §2 item 26: deletecollection honours dryRun too.
  conformanceCase(
    'dry-deletecollection',
    'DELETE collection ?dryRun=All&labelSelector=… → 200; the objects remain',
    async () => {
      await create(t, cmPath(t.ns), configMap('dc1', {}, { sweep: 'dry' }));
      await create(t, cmPath(t.ns), configMap('dc2', {}, { sweep: 'dry' }));
      expect(
        (await t.client.delete(cmPath(t.ns), { dryRun: 'All', labelSelector: 'sweep=dry' })).status,
      ).toBe(200);
      const left = expectOk(await t.client.get(cmPath(t.ns), { labelSelector: 'sweep=dry' }), 200);
      expect(left.items).toHaveLength(2);
    },
  );
});
