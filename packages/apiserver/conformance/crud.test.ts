// Conformance: create/get/update/delete of built-in objects (reference §2 items 1, 3, 4, 5, 9;
// staging/src/k8s.io/apiserver/pkg/registry/rest/{create,update,delete}.go).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { IMAGE, cmPath, configMap, create, expectOk, expectStatus, names } from './fixtures.js';
import { suffix, useTarget } from './target.js';

const t = useTarget('crud');

describe('crud', () => {
  // §2 item 5: the server fills uid, creationTimestamp (seconds), resourceVersion; the answer is 201.
  conformanceCase(
    'crud-create-201-server-fields',
    'POST → 201 with uid, second-precision creationTimestamp, resourceVersion, kind and apiVersion',
    async () => {
      const res = await t.client.post(cmPath(t.ns), configMap('a', { k: 'v' }));
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json).toMatchObject({
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: {
          name: 'a',
          namespace: t.ns,
          uid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
          resourceVersion: expect.stringMatching(/^\d+$/),
          creationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        },
        data: { k: 'v' },
      });
    },
  );

  // §2 item 1: GET returns the stored object as written by the create.
  conformanceCase(
    'crud-get-returns-stored',
    'GET after POST returns the same object (same uid and resourceVersion)',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('get-me', { a: '1' }));
      const res = await t.client.get(cmPath(t.ns, 'get-me'));
      expect(res.status).toBe(200);
      expect(res.json).toEqual(made);
    },
  );

  // §2 item 9: NotFound names the resource plural; details.kind is the plural too.
  conformanceCase(
    'crud-get-404-not-found',
    'GET of a missing object → 404 NotFound `configmaps "nope" not found`',
    async () => {
      const res = await t.client.get(cmPath(t.ns, 'nope'));
      expectStatus(res, {
        code: 404,
        reason: 'NotFound',
        message: 'configmaps "nope" not found',
        details: { name: 'nope', kind: 'configmaps' },
      });
    },
  );

  // §2 items 5 and 9: a second create of the same name → 409 AlreadyExists.
  conformanceCase(
    'crud-create-409-already-exists',
    'POST of an existing name → 409 AlreadyExists `configmaps "dup" already exists`',
    async () => {
      await create(t, cmPath(t.ns), configMap('dup'));
      const res = await t.client.post(cmPath(t.ns), configMap('dup'));
      expectStatus(res, {
        code: 409,
        reason: 'AlreadyExists',
        message: 'configmaps "dup" already exists',
        details: { name: 'dup', kind: 'configmaps' },
      });
    },
  );

  // §2 items 4, 8: PUT replaces the object, keeps uid and creationTimestamp, and returns a new resourceVersion.
  conformanceCase(
    'crud-put-replaces',
    'PUT with the current resourceVersion → 200, data replaced, new resourceVersion, same uid',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('put-me', { a: '1', b: '2' }));
      const res = await t.client.put(cmPath(t.ns, 'put-me'), { ...made, data: { c: '3' } });
      const got = expectOk(res, 200);
      expect(got.data).toEqual({ c: '3' });
      expect(got.metadata.uid).toBe(made.metadata.uid);
      expect(got.metadata.creationTimestamp).toBe(made.metadata.creationTimestamp);
      expect(Number(got.metadata.resourceVersion)).toBeGreaterThan(Number(made.metadata.resourceVersion));
    },
  );

  // §2 item 8: ConfigMaps do not allow create-on-update, so PUT of a missing one is 404.
  conformanceCase(
    'crud-put-missing-404',
    'PUT of a missing ConfigMap → 404 NotFound (no create on update)',
    async () => {
      const res = await t.client.put(cmPath(t.ns, 'ghost'), configMap('ghost'));
      expectStatus(res, { code: 404, reason: 'NotFound', message: 'configmaps "ghost" not found' });
    },
  );

  // rest/update.go BeforeUpdate: "ignore changes to timestamp".
  conformanceCase(
    'crud-put-creation-timestamp-ignored',
    'PUT that changes creationTimestamp → the stored creationTimestamp is kept',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('ts'));
      const body = { ...made, metadata: { ...made.metadata, creationTimestamp: '2000-01-01T00:00:00Z' } };
      const got = expectOk(await t.client.put(cmPath(t.ns, 'ts'), body), 200);
      expect(got.metadata.creationTimestamp).toBe(made.metadata.creationTimestamp);
    },
  );

  // rest/update.go BeforeUpdate: "Use the existing UID if none is provided".
  conformanceCase(
    'crud-put-empty-uid-kept',
    'PUT without metadata.uid → the stored uid is kept',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('nouid'));
      const { uid: _uid, ...meta } = made.metadata;
      const got = expectOk(
        await t.client.put(cmPath(t.ns, 'nouid'), { ...made, metadata: meta, data: { x: 'y' } }),
        200,
      );
      expect(got.metadata.uid).toBe(made.metadata.uid);
    },
  );

  // A uid in a PUT body acts as a storage precondition. Verified against kube-apiserver v1.37.2: the answer is
  // a 409 carrying the storage error text (the key prefix depends on the server's etcd prefix).
  conformanceCase(
    'crud-put-uid-change-409',
    'PUT with a different uid → 409 Conflict `... StorageError: invalid object, Code: 4, ... Precondition failed: UID in precondition: ...`',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('uidchg'));
      const other = '00000000-0000-0000-0000-000000000001';
      const res = await t.client.put(cmPath(t.ns, 'uidchg'), {
        ...made,
        metadata: { ...made.metadata, uid: other },
      });
      const key = `\\S*/configmaps/${t.ns}/uidchg`;
      expectStatus(res, {
        code: 409,
        reason: 'Conflict',
        message: new RegExp(
          `^Operation cannot be fulfilled on configmaps "uidchg": StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${other}, UID in object meta: ${made.metadata.uid}$`,
        ),
        details: { name: 'uidchg', kind: 'configmaps' },
      });
    },
  );

  // Storage skips writes that change nothing: a no-op PUT keeps the resourceVersion.
  conformanceCase(
    'crud-put-noop-keeps-rv',
    'PUT of an unchanged object → 200 with the same resourceVersion',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('noop', { a: '1' }));
      const got = expectOk(await t.client.put(cmPath(t.ns, 'noop'), made), 200);
      expect(got.metadata.resourceVersion).toBe(made.metadata.resourceVersion);
    },
  );

  // §2 item 9: delete without a returned object answers a Success Status naming the object.
  conformanceCase(
    'crud-delete-success-status',
    'DELETE of a ConfigMap → 200 Status Success with details {name, kind, uid}',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('del'));
      const res = await t.client.delete(cmPath(t.ns, 'del'));
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Success',
        details: { name: 'del', kind: 'configmaps', uid: made.metadata.uid },
      });
      expect((await t.client.get(cmPath(t.ns, 'del'))).status).toBe(404);
    },
  );

  // §2 item 9: deleting a missing object is a 404 NotFound.
  conformanceCase('crud-delete-404', 'DELETE of a missing object → 404 NotFound', async () => {
    const res = await t.client.delete(cmPath(t.ns, 'never'));
    expectStatus(res, {
      code: 404,
      reason: 'NotFound',
      message: 'configmaps "never" not found',
      details: { name: 'never', kind: 'configmaps' },
    });
  });

  // §2 item 3: <Kind>List with metadata.resourceVersion; built-in list items omit kind/apiVersion.
  conformanceCase(
    'crud-list-shape',
    'GET collection → ConfigMapList {apiVersion v1, metadata.resourceVersion, items}',
    async () => {
      const ns = await t.createNamespace('conf-crud-list');
      await create(t, cmPath(ns), configMap('one'));
      await create(t, cmPath(ns), configMap('two'));
      const res = await t.client.get(cmPath(ns));
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        kind: 'ConfigMapList',
        apiVersion: 'v1',
        metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
      });
      expect(names(res.json)).toEqual(['one', 'two']);
    },
  );

  // §2 item 3 (unverified in the reference, true of the real server's JSON): items of built-in lists carry no kind.
  conformanceCase(
    'crud-list-items-no-kind',
    'items of a built-in list have no kind or apiVersion',
    async () => {
      const ns = await t.createNamespace('conf-crud-items');
      await create(t, cmPath(ns), configMap('one'));
      const res = await t.client.get(cmPath(ns));
      expect(res.json.items[0].kind).toBeUndefined();
      expect(res.json.items[0].apiVersion).toBeUndefined();
    },
  );

  // §2 item 1: /api/v1/<plural> lists across namespaces.
  conformanceCase(
    'crud-list-all-namespaces',
    'GET /api/v1/configmaps lists objects of every namespace',
    async () => {
      const other = await t.createNamespace('conf-crud-other');
      await create(t, cmPath(t.ns), configMap('here'));
      await create(t, cmPath(other), configMap('there'));
      const res = await t.client.get('/api/v1/configmaps');
      expect(res.status).toBe(200);
      const keys = res.json.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`);
      expect(keys).toEqual(expect.arrayContaining([`${t.ns}/here`, `${other}/there`]));
    },
  );

  // §2 item 1: NamespaceLifecycle refuses creates into a namespace that does not exist.
  conformanceCase(
    'crud-create-missing-namespace-404',
    'POST into a missing namespace → 404 `namespaces "x" not found`',
    async () => {
      const ns = `conf-missing-${suffix()}`;
      const res = await t.client.post(cmPath(ns), configMap('x'));
      expectStatus(res, {
        code: 404,
        reason: 'NotFound',
        message: `namespaces "${ns}" not found`,
        details: { name: ns, kind: 'namespaces' },
      });
    },
  );

  // §2 item 1: EnsureObjectNamespaceMatchesRequestNamespace.
  conformanceCase(
    'crud-namespace-mismatch-400',
    'POST with metadata.namespace ≠ the URL namespace → 400 BadRequest',
    async () => {
      const body = { ...configMap('mismatch'), metadata: { name: 'mismatch', namespace: 'somewhere-else' } };
      const res = await t.client.post(cmPath(t.ns), body);
      expectStatus(res, {
        code: 400,
        reason: 'BadRequest',
        message: 'the namespace of the provided object does not match the namespace sent on the request',
      });
    },
  );

  // §2 item 1: an empty metadata.namespace is filled from the URL.
  conformanceCase(
    'crud-namespace-filled-from-url',
    'POST without metadata.namespace → stored in the URL namespace',
    async () => {
      const got = await create(t, cmPath(t.ns), configMap('filled'));
      expect(got.metadata.namespace).toBe(t.ns);
    },
  );

  // handlers/update.go: the name in the body must match the URL.
  conformanceCase(
    'crud-put-name-mismatch-400',
    'PUT whose body names another object → 400 `the name of the object (b) does not match the name on the URL (a)`',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('url-name'));
      const res = await t.client.put(cmPath(t.ns, 'url-name'), {
        ...made,
        metadata: { ...made.metadata, name: 'body-name' },
      });
      expectStatus(res, {
        code: 400,
        reason: 'BadRequest',
        message: 'the name of the object (body-name) does not match the name on the URL (url-name)',
      });
    },
  );

  // §2 item 5 (pkg/storage/names/generate.go): generateName + 5 random characters.
  conformanceCase(
    'crud-generate-name',
    'POST with generateName "gen-" → name "gen-" + 5 lowercase alphanumerics',
    async () => {
      const res = await t.client.post(cmPath(t.ns), {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { generateName: 'gen-' },
      });
      const got = expectOk(res, 201);
      expect(got.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
      expect(got.metadata.generateName).toBe('gen-');
    },
  );

  // §2 item 5: the generateName base is truncated to 58 characters so the name fits 63.
  conformanceCase(
    'crud-generate-name-truncated',
    'a 62-character generateName is cut to 58 before the 5 random characters',
    async () => {
      const base = `g${'a'.repeat(60)}-`;
      const got = expectOk(
        await t.client.post(cmPath(t.ns), {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { generateName: base },
        }),
        201,
      );
      expect(got.metadata.name).toHaveLength(63);
      expect(got.metadata.name.startsWith(base.slice(0, 58))).toBe(true);
    },
  );

  // §2 item 5: storage refuses a create that carries a resourceVersion (a plain storage error → 500).
  conformanceCase(
    'crud-create-with-rv-500',
    'POST with metadata.resourceVersion → 500 "resourceVersion should not be set on objects to be created"',
    async () => {
      const res = await t.client.post(cmPath(t.ns), {
        ...configMap('with-rv'),
        metadata: { name: 'with-rv', resourceVersion: '5' },
      });
      expectStatus(res, { code: 500, message: 'resourceVersion should not be set on objects to be created' });
    },
  );

  // §2 item 4: one counter for the whole cluster, increasing on every write of any kind.
  conformanceCase(
    'crud-rv-cluster-wide-increasing',
    'resourceVersions increase across kinds and namespaces (one cluster-wide counter)',
    async () => {
      const a = await create(t, cmPath(t.ns), configMap('rv-a'));
      const b = await create(t, `/api/v1/namespaces/${t.ns}/secrets`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'rv-b' },
      });
      const c = await create(t, cmPath(t.ns), configMap('rv-c'));
      expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
      expect(Number(c.metadata.resourceVersion)).toBeGreaterThan(Number(b.metadata.resourceVersion));
      const list = await t.client.get(cmPath(t.ns));
      expect(Number(list.json.metadata.resourceVersion)).toBeGreaterThanOrEqual(
        Number(c.metadata.resourceVersion),
      );
    },
  );

  // core validation ValidateConfigMapUpdate: immutable ConfigMaps refuse data changes.
  conformanceCase(
    'crud-immutable-configmap-422',
    'PUT changing data of an immutable ConfigMap → 422 `data: Forbidden: field is immutable when `immutable` is set`',
    async () => {
      const made = await create(t, cmPath(t.ns), { ...configMap('frozen', { a: '1' }), immutable: true });
      const res = await t.client.put(cmPath(t.ns, 'frozen'), { ...made, data: { a: '2' } });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: 'ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set',
      });
    },
  );

  // Request bodies may be YAML (application/yaml is among the accepted media types).
  conformanceCase('crud-create-yaml-body', 'POST with Content-Type application/yaml → 201', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n';
    const res = await t.client.request('POST', cmPath(t.ns), { body: yaml, contentType: 'application/yaml' });
    const got = expectOk(res, 201);
    expect(got.data).toEqual({ k: 'v' });
  });

  // registry/rest/delete.go BeforeDelete checks preconditions first and names the object by its Kind
  // (GroupResource{Resource: kind}), so the message says `ConfigMap`, not `configmaps`.
  conformanceCase(
    'crud-delete-precondition-uid-409',
    'DELETE with a wrong uid precondition → 409 `Operation cannot be fulfilled on ConfigMap "precond": the UID in the precondition (…) does not match the UID in record (…). …`',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('precond'));
      const wrong = '00000000-0000-0000-0000-000000000002';
      const res = await t.client.delete(cmPath(t.ns, 'precond'), undefined, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        preconditions: { uid: wrong },
      });
      expectStatus(res, {
        code: 409,
        reason: 'Conflict',
        message: `Operation cannot be fulfilled on ConfigMap "precond": the UID in the precondition (${wrong}) does not match the UID in record (${made.metadata.uid}). The object might have been deleted and then recreated`,
        details: { name: 'precond', kind: 'ConfigMap' },
      });
      expect((await t.client.get(cmPath(t.ns, 'precond'))).status).toBe(200);
    },
  );

  // registry/rest/delete.go BeforeDelete: the same check for a resourceVersion precondition.
  conformanceCase(
    'crud-delete-precondition-rv-409',
    'DELETE with a stale resourceVersion precondition → 409 `... the ResourceVersion in the precondition (…) does not match the ResourceVersion in record (…). The object might have been modified`',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('precond-rv'));
      const changed = expectOk(
        await t.client.put(cmPath(t.ns, 'precond-rv'), { ...made, data: { changed: 'yes' } }),
        200,
      );
      const res = await t.client.delete(cmPath(t.ns, 'precond-rv'), undefined, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        preconditions: { resourceVersion: made.metadata.resourceVersion },
      });
      expectStatus(res, {
        code: 409,
        reason: 'Conflict',
        message: `Operation cannot be fulfilled on ConfigMap "precond-rv": the ResourceVersion in the precondition (${made.metadata.resourceVersion}) does not match the ResourceVersion in record (${changed.metadata.resourceVersion}). The object might have been modified`,
        details: { name: 'precond-rv', kind: 'ConfigMap' },
      });
    },
  );

  // §2 item 1: cluster-scoped objects live at /…/{plural}/{name}.
  conformanceCase(
    'crud-cluster-scoped-object',
    'a PersistentVolume is created and read at /api/v1/persistentvolumes/<name>',
    async () => {
      const name = `conf-pv-${suffix()}`;
      t.defer(() => t.client.delete(`/api/v1/persistentvolumes/${name}`));
      const body = {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          hostPath: { path: '/tmp/conf' },
        },
      };
      const got = await create(t, '/api/v1/persistentvolumes', body);
      expect(got.metadata.namespace).toBeUndefined();
      const res = await t.client.get(`/api/v1/persistentvolumes/${name}`);
      expect(res.status).toBe(200);
      expect(res.json.metadata.uid).toBe(got.metadata.uid);
    },
  );

  // core strategy: a new Pod's status.phase is Pending, and the server defaults spec fields.
  conformanceCase(
    'crud-pod-defaults',
    'a created Pod has status.phase Pending and defaulted restartPolicy, dnsPolicy, terminationGracePeriodSeconds',
    async () => {
      const body = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'defaults' },
        spec: { containers: [{ name: 'main', image: IMAGE }] },
      };
      const got = await create(t, `/api/v1/namespaces/${t.ns}/pods`, body);
      expect(got.status.phase).toBe('Pending');
      expect(got.spec).toMatchObject({
        restartPolicy: 'Always',
        dnsPolicy: 'ClusterFirst',
        terminationGracePeriodSeconds: 30,
        schedulerName: 'default-scheduler',
      });
      expect(got.spec.containers[0]).toMatchObject({
        terminationMessagePath: '/dev/termination-log',
        imagePullPolicy: 'IfNotPresent',
      });
    },
  );

  // registry/rest/meta.go EnsureObjectNamespaceMatchesRequestNamespace applies to updates as well.
  conformanceCase(
    'crud-put-namespace-mismatch-400',
    'PUT whose body names another namespace → 400 `the namespace of the provided object does not match the namespace sent on the request`',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('ns-put'));
      const res = await t.client.put(cmPath(t.ns, 'ns-put'), {
        ...made,
        metadata: { ...made.metadata, namespace: 'elsewhere' },
      });
      expectStatus(res, {
        code: 400,
        reason: 'BadRequest',
        message: 'the namespace of the provided object does not match the namespace sent on the request',
      });
    },
  );

  // registry/rest/meta.go: for cluster-scoped resources a namespace in the body is cleared, not refused.
  conformanceCase(
    'crud-cluster-scoped-namespace-cleared',
    'POST of a PersistentVolume whose body carries metadata.namespace → 201 without a namespace',
    async () => {
      const name = `conf-pvns-${suffix()}`;
      t.defer(() => t.client.delete(`/api/v1/persistentvolumes/${name}`));
      const got = await create(t, '/api/v1/persistentvolumes', {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name, namespace: 'ignored' },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          hostPath: { path: '/tmp/conf' },
        },
      });
      expect(got.metadata.namespace).toBeUndefined();
    },
  );

  // §2 item 10: a GET with resourceVersion=0 may be served from the cache; it still answers the object.
  conformanceCase(
    'crud-get-rv-0',
    'GET ?resourceVersion=0 of an existing object → 200 with the object',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('rv0', { a: '1' }));
      const res = await t.client.get(cmPath(t.ns, 'rv0'), { resourceVersion: '0' });
      expect(expectOk(res, 200).metadata.uid).toBe(made.metadata.uid);
    },
  );
});
