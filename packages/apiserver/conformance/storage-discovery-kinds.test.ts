// Conformance: built-in kinds operators and the cluster simulation rely on beyond the core set —
// storage.k8s.io/v1 StorageClass, apps/v1 ControllerRevision, discovery.k8s.io/v1 EndpointSlice — with
// their discovery entries, defaults, required fields, immutable fields and kubectl tables, as
// kube-apiserver v1.37.2 answers them (pkg/apis/storage/validation, pkg/apis/apps/validation,
// pkg/apis/discovery/validation, pkg/printers/internalversion).
/* oxlint-disable typescript/no-explicit-any -- cases read JSON answers field by field */
/* oxlint-disable unicorn/consistent-function-scoping -- builders stay next to the tests of the kind they build */
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { create, expectOk, expectStatus } from './fixtures.js';
import { suffix, useTarget } from './target.js';

const t = useTarget('more-kinds');

const SC = '/apis/storage.k8s.io/v1/storageclasses';

/** A StorageClass with a name unique to this run (the kind is cluster-scoped), deleted at the end. */
function storageClass(body: Record<string, unknown> = {}): any {
  const name = `conf-sc-${suffix()}`;
  t.defer(() => t.client.delete(`${SC}/${name}`));
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, ...body };
}

/** The words of kubectl's header line and of its first row. */
function table(stdout: string): { header: string[]; row: string[] } {
  const [header = '', row = ''] = stdout.split('\n');
  return { header: header.split(/\s{2,}/).filter(Boolean), row: row.split(/\s{2,}/).filter(Boolean) };
}

describe('storage.k8s.io/v1 StorageClass', () => {
  conformanceCase(
    'storageclass-discovery',
    'storageclasses are served cluster-scoped in storage.k8s.io/v1 with short name sc and every verb',
    async () => {
      const list = expectOk(await t.client.get('/apis/storage.k8s.io/v1'));
      const entry = list.resources.find((r: any) => r.name === 'storageclasses');
      expect(entry).toMatchObject({
        singularName: 'storageclass',
        namespaced: false,
        kind: 'StorageClass',
        shortNames: ['sc'],
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      });
      expect(entry.categories).toBeUndefined();
    },
  );

  conformanceCase(
    'storageclass-create-defaults',
    'a StorageClass gets reclaimPolicy Delete and volumeBindingMode Immediate, no generation; GET, LIST and DELETE (which returns the object) work',
    async () => {
      const body = storageClass({ provisioner: 'example.com/fast', parameters: { tier: 'gold' } });
      const name = body.metadata.name;
      const got = await create(t, SC, body);
      expect(got).toMatchObject({
        provisioner: 'example.com/fast',
        parameters: { tier: 'gold' },
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'Immediate',
      });
      expect(got.metadata.namespace).toBeUndefined();
      expect(got.metadata.generation).toBeUndefined();
      expect(expectOk(await t.client.get(`${SC}/${name}`)).metadata.uid).toBe(got.metadata.uid);
      const list = expectOk(await t.client.get(SC));
      expect(list.kind).toBe('StorageClassList');
      expect(list.items.map((i: any) => i.metadata.name)).toContain(name);
      const deleted = expectOk(await t.client.delete(`${SC}/${name}`));
      expect(deleted).toMatchObject({ kind: 'StorageClass', metadata: { name } });
    },
  );

  conformanceCase(
    'storageclass-provisioner-required-422',
    'a StorageClass without provisioner → 422 `provisioner: Required value`',
    async () => {
      const body = storageClass();
      const res = await t.client.post(SC, body);
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: `StorageClass.storage.k8s.io "${body.metadata.name}" is invalid: provisioner: Required value`,
        details: {
          name: body.metadata.name,
          group: 'storage.k8s.io',
          kind: 'StorageClass',
          causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'provisioner' }],
        },
      });
    },
  );

  conformanceCase(
    'storageclass-unsupported-values-422',
    'reclaimPolicy Recycle and volumeBindingMode Later → 422 Unsupported value with the supported lists',
    async () => {
      const body = storageClass({ provisioner: 'p', reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' });
      const res = await t.client.post(SC, body);
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: `StorageClass.storage.k8s.io "${body.metadata.name}" is invalid: [reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain", volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"]`,
      });
    },
  );

  conformanceCase(
    'storageclass-immutable-422',
    'changing provisioner, parameters, reclaimPolicy or volumeBindingMode → 422 `Invalid value: null: field is immutable` for each; allowVolumeExpansion may change',
    async () => {
      const body = storageClass({ provisioner: 'example.com/a', parameters: { tier: 'gold' } });
      const name = body.metadata.name;
      await create(t, SC, body);
      const res = await t.client.patch(`${SC}/${name}`, 'merge', {
        provisioner: 'example.com/b',
        parameters: { tier: 'silver' },
        reclaimPolicy: 'Retain',
        volumeBindingMode: 'WaitForFirstConsumer',
      });
      const causes = ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode'].map((field) => ({
        reason: 'FieldValueInvalid',
        message: 'Invalid value: null: field is immutable',
        field,
      }));
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: `StorageClass.storage.k8s.io "${name}" is invalid: [${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}]`,
        details: { name, group: 'storage.k8s.io', kind: 'StorageClass', causes },
      });
      const ok = expectOk(
        await t.client.patch(`${SC}/${name}`, 'merge', { allowVolumeExpansion: true, mountOptions: ['ro'] }),
      );
      expect(ok).toMatchObject({ allowVolumeExpansion: true, mountOptions: ['ro'], reclaimPolicy: 'Delete' });
    },
  );

  conformanceCase(
    'storageclass-kubectl-table',
    'kubectl get sc <name> → NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE',
    async () => {
      const body = storageClass({ provisioner: 'example.com/t', volumeBindingMode: 'WaitForFirstConsumer' });
      await create(t, SC, body);
      const r = await t.client.kubectl(['get', 'sc', body.metadata.name]);
      expect(r.code).toBe(0);
      const { header, row } = table(r.stdout);
      expect(header).toEqual([
        'NAME',
        'PROVISIONER',
        'RECLAIMPOLICY',
        'VOLUMEBINDINGMODE',
        'ALLOWVOLUMEEXPANSION',
        'AGE',
      ]);
      expect(row.slice(0, 5)).toEqual([
        body.metadata.name,
        'example.com/t',
        'Delete',
        'WaitForFirstConsumer',
        'false',
      ]);
    },
  );
});

describe('apps/v1 ControllerRevision', () => {
  const path = (name?: string) =>
    `/apis/apps/v1/namespaces/${t.ns}/controllerrevisions${name ? `/${name}` : ''}`;
  const revision = (name: string, body: Record<string, unknown>) => ({
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name },
    ...body,
  });

  conformanceCase(
    'controllerrevision-discovery',
    'controllerrevisions are served namespaced in apps/v1, no short name and no category',
    async () => {
      const list = expectOk(await t.client.get('/apis/apps/v1'));
      const entry = list.resources.find((r: any) => r.name === 'controllerrevisions');
      expect(entry).toMatchObject({
        singularName: 'controllerrevision',
        namespaced: true,
        kind: 'ControllerRevision',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      });
      expect(entry.shortNames).toBeUndefined();
      expect(entry.categories).toBeUndefined();
    },
  );

  conformanceCase(
    'controllerrevision-create-get-list',
    'a ControllerRevision keeps data and revision as sent, has no generation, lists, and DELETE answers a Success Status',
    async () => {
      const data = { spec: { template: { metadata: { labels: { app: 'db' } } } } };
      const got = await create(t, path(), revision('rev-a', { data, revision: 3 }));
      expect(got).toMatchObject({ kind: 'ControllerRevision', data, revision: 3 });
      expect(got.metadata.generation).toBeUndefined();
      expect(expectOk(await t.client.get(path('rev-a'))).data).toEqual(data);
      const list = expectOk(await t.client.get(path()));
      expect(list.kind).toBe('ControllerRevisionList');
      expect(list.items.map((i: any) => i.metadata.name)).toContain('rev-a');
      const deleted = expectOk(await t.client.delete(path('rev-a')));
      expect(deleted).toMatchObject({ kind: 'Status', status: 'Success' });
    },
  );

  conformanceCase(
    'controllerrevision-data-required-422',
    'a ControllerRevision without data → 422 `data: Required value: data is mandatory`; a negative revision is refused first',
    async () => {
      const res = await t.client.post(path(), revision('rev-nodata', { revision: -1 }));
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message:
          'ControllerRevision.apps "rev-nodata" is invalid: [revision: Invalid value: -1: must be greater than or equal to 0, data: Required value: data is mandatory]',
      });
      const notObject = await t.client.post(path(), revision('rev-list', { data: [1, 2] }));
      expectStatus(notObject, {
        code: 422,
        message:
          'ControllerRevision.apps "rev-list" is invalid: data: Required value: data must be a valid JSON object',
      });
    },
  );

  conformanceCase(
    'controllerrevision-data-immutable-422',
    'changing a ControllerRevision’s data → 422 `data: Invalid value: <new data>: field is immutable`; revision may change',
    async () => {
      await create(t, path(), revision('rev-imm', { data: { spec: { a: 1 } }, revision: 1 }));
      const res = await t.client.patch(path('rev-imm'), 'merge', { data: { spec: { a: 2 } } });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message:
          'ControllerRevision.apps "rev-imm" is invalid: data: Invalid value: {"spec":{"a":2}}: field is immutable',
        details: {
          name: 'rev-imm',
          group: 'apps',
          kind: 'ControllerRevision',
          causes: [
            {
              reason: 'FieldValueInvalid',
              message: 'Invalid value: {"spec":{"a":2}}: field is immutable',
              field: 'data',
            },
          ],
        },
      });
      const ok = expectOk(await t.client.patch(path('rev-imm'), 'merge', { revision: 2 }));
      expect(ok).toMatchObject({ revision: 2, data: { spec: { a: 1 } } });
    },
  );

  conformanceCase(
    'controllerrevision-kubectl-table',
    'kubectl get controllerrevisions → NAME CONTROLLER REVISION AGE, the controller as <kind>/<name>',
    async () => {
      const owner = await create(t, `/api/v1/namespaces/${t.ns}/configmaps`, {
        metadata: { name: 'rev-owner' },
      });
      await create(t, path(), {
        ...revision('rev-tbl', { data: {}, revision: 7 }),
        metadata: {
          name: 'rev-tbl',
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              name: 'rev-owner',
              uid: owner.metadata.uid,
              controller: true,
            },
          ],
        },
      });
      const r = await t.client.kubectl(['-n', t.ns, 'get', 'controllerrevisions', 'rev-tbl']);
      expect(r.code).toBe(0);
      const { header, row } = table(r.stdout);
      expect(header).toEqual(['NAME', 'CONTROLLER', 'REVISION', 'AGE']);
      expect(row.slice(0, 3)).toEqual(['rev-tbl', 'configmap/rev-owner', '7']);
      const bare = await create(t, path(), revision('rev-bare', { data: {} }));
      expect(bare.revision).toBe(0);
      const r2 = await t.client.kubectl(['-n', t.ns, 'get', 'controllerrevisions', 'rev-bare']);
      expect(table(r2.stdout).row.slice(0, 3)).toEqual(['rev-bare', '<none>', '0']);
    },
  );
});

describe('discovery.k8s.io/v1 EndpointSlice', () => {
  const path = (name?: string) =>
    `/apis/discovery.k8s.io/v1/namespaces/${t.ns}/endpointslices${name ? `/${name}` : ''}`;
  const slice = (name: string, body: Record<string, unknown>) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, labels: { 'kubernetes.io/service-name': 'db' } },
    ...body,
  });

  conformanceCase(
    'endpointslice-discovery',
    'endpointslices are served namespaced in discovery.k8s.io/v1, no short name and no category',
    async () => {
      const list = expectOk(await t.client.get('/apis/discovery.k8s.io/v1'));
      const entry = list.resources.find((r: any) => r.name === 'endpointslices');
      expect(entry).toMatchObject({
        singularName: 'endpointslice',
        namespaced: true,
        kind: 'EndpointSlice',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      });
      expect(entry.shortNames).toBeUndefined();
      expect(entry.categories).toBeUndefined();
    },
  );

  conformanceCase(
    'endpointslice-create-defaults',
    'an EndpointSlice gets port name "" and protocol TCP, endpoint conditions {}, generation 1; lists by label; absent lists read back null',
    async () => {
      const got = await create(
        t,
        path(),
        slice('es-a', {
          addressType: 'IPv4',
          endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'], conditions: { ready: true } }],
          ports: [
            { name: 'http', port: 80 },
            { port: 8080, protocol: 'UDP' },
          ],
        }),
      );
      expect(got.metadata.generation).toBe(1);
      expect(got.endpoints).toEqual([
        { addresses: ['10.0.0.1'], conditions: {} },
        { addresses: ['10.0.0.2'], conditions: { ready: true } },
      ]);
      expect(got.ports).toEqual([
        { name: 'http', protocol: 'TCP', port: 80 },
        { name: '', protocol: 'UDP', port: 8080 },
      ]);
      const list = expectOk(await t.client.get(path(), { labelSelector: 'kubernetes.io/service-name=db' }));
      expect(list.kind).toBe('EndpointSliceList');
      expect(list.items.map((i: any) => i.metadata.name)).toContain('es-a');
      const bare = await create(t, path(), slice('es-bare', { addressType: 'FQDN' }));
      expect(bare).toMatchObject({ addressType: 'FQDN', endpoints: null, ports: null });
      const updated = expectOk(
        await t.client.patch(path('es-a'), 'merge', { endpoints: [{ addresses: ['10.0.0.9'] }] }),
      );
      expect(updated.metadata.generation).toBe(2);
    },
  );

  conformanceCase(
    'endpointslice-address-type-required-422',
    'an EndpointSlice without addressType → 422 `addressType: Required value`; an unknown one → Unsupported value',
    async () => {
      const res = await t.client.post(path(), slice('es-notype', {}));
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: 'EndpointSlice.discovery.k8s.io "es-notype" is invalid: addressType: Required value',
        details: {
          name: 'es-notype',
          group: 'discovery.k8s.io',
          kind: 'EndpointSlice',
          causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'addressType' }],
        },
      });
      const bad = await t.client.post(path(), slice('es-ipv5', { addressType: 'IPv5' }));
      expectStatus(bad, {
        code: 422,
        message:
          'EndpointSlice.discovery.k8s.io "es-ipv5" is invalid: addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"',
      });
    },
  );

  conformanceCase(
    'endpointslice-invalid-endpoints-422',
    'bad port names and protocols, bad or wrong-family addresses and empty address lists → 422 in the real order',
    async () => {
      const res = await t.client.post(
        path(),
        slice('es-bad', {
          addressType: 'IPv6',
          endpoints: [{ addresses: [] }, { addresses: ['bad'] }, { addresses: ['10.0.0.1'] }],
          ports: [
            { name: 'Bad_Name', port: 1, protocol: 'XX' },
            { name: 'a', port: 2 },
            { name: 'a', port: 3 },
          ],
        }),
      );
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.details.causes.map((c: any) => [c.field, c.reason])).toEqual([
        ['ports[0].name', 'FieldValueInvalid'],
        ['ports[0].protocol', 'FieldValueNotSupported'],
        ['ports[2].name', 'FieldValueDuplicate'],
        ['endpoints[1].addresses[0]', 'FieldValueInvalid'],
        ['endpoints[2].addresses', 'FieldValueInvalid'],
        ['endpoints[0].addresses', 'FieldValueRequired'],
      ]);
      expect(res.json.details.causes[3].message).toBe(
        'Invalid value: "bad": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      );
      expect(res.json.details.causes[4].message).toBe('Invalid value: "10.0.0.1": must be an IPv6 address');
    },
  );

  conformanceCase(
    'endpointslice-address-type-immutable-422',
    'changing an EndpointSlice’s addressType → 422 `addressType: Invalid value: null: field is immutable`',
    async () => {
      await create(t, path(), slice('es-imm', { addressType: 'IPv4' }));
      const res = await t.client.patch(path('es-imm'), 'merge', { addressType: 'IPv6' });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message:
          'EndpointSlice.discovery.k8s.io "es-imm" is invalid: addressType: Invalid value: null: field is immutable',
        details: {
          name: 'es-imm',
          group: 'discovery.k8s.io',
          kind: 'EndpointSlice',
          causes: [
            {
              reason: 'FieldValueInvalid',
              message: 'Invalid value: null: field is immutable',
              field: 'addressType',
            },
          ],
        },
      });
    },
  );

  conformanceCase(
    'endpointslice-kubectl-table',
    'kubectl get endpointslices → NAME ADDRESSTYPE PORTS ENDPOINTS AGE, three addresses then `+ N more...`, `<unset>` when empty',
    async () => {
      await create(
        t,
        path(),
        slice('es-tbl', {
          addressType: 'IPv4',
          endpoints: [
            { addresses: ['10.0.0.1'] },
            { addresses: ['10.0.0.2'] },
            { addresses: ['10.0.0.3'] },
            { addresses: ['10.0.0.4', '10.0.0.5'] },
          ],
          ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81, protocol: 'UDP' }, { name: 'c' }],
        }),
      );
      await create(t, path(), slice('es-tbl-empty', { addressType: 'IPv4' }));
      const r = await t.client.kubectl(['-n', t.ns, 'get', 'endpointslices', 'es-tbl']);
      expect(r.code).toBe(0);
      const { header, row } = table(r.stdout);
      expect(header).toEqual(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
      expect(row.slice(0, 4)).toEqual([
        'es-tbl',
        'IPv4',
        '80,81,c',
        '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...',
      ]);
      const empty = await t.client.kubectl(['-n', t.ns, 'get', 'endpointslices', 'es-tbl-empty']);
      expect(table(empty.stdout).row.slice(0, 4)).toEqual(['es-tbl-empty', 'IPv4', '<unset>', '<unset>']);
    },
  );
});

describe('policy/v1 PodDisruptionBudget', () => {
  const path = (name?: string) =>
    `/apis/policy/v1/namespaces/${t.ns}/poddisruptionbudgets${name ? `/${name}` : ''}`;
  const pdb = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name },
    spec,
  });

  conformanceCase(
    'pdb-create-status-zeroed',
    'a PodDisruptionBudget is created with generation 1 and a zeroed status (sent status dropped), int-or-string kept as sent',
    async () => {
      const got = await create(t, path(), {
        ...pdb('pdb-z', { minAvailable: '50%', selector: { matchLabels: { app: 'db' } } }),
        status: { currentHealthy: 5, disruptionsAllowed: 3 },
      });
      expect(got.metadata.generation).toBe(1);
      expect(got.spec).toEqual({ minAvailable: '50%', selector: { matchLabels: { app: 'db' } } });
      expect(got.status).toEqual({
        disruptionsAllowed: 0,
        currentHealthy: 0,
        desiredHealthy: 0,
        expectedPods: 0,
      });
      const other = await create(t, path(), pdb('pdb-int', { maxUnavailable: 1 }));
      expect(other.spec.maxUnavailable).toBe(1);
    },
  );

  conformanceCase(
    'pdb-invalid-spec-422',
    'both bounds, a bound over 100%, a non-percent string, a bad selector label and an unknown eviction policy → 422 with every cause in order',
    async () => {
      const res = await t.client.post(
        path(),
        pdb('pdb-bad', {
          minAvailable: '150%',
          maxUnavailable: 'x',
          unhealthyPodEvictionPolicy: 'Never',
          selector: { matchLabels: { a: 'b!' } },
        }),
      );
      expectStatus(res, { code: 422, reason: 'Invalid' });
      expect(res.json.details.causes.map((c: any) => c.field)).toEqual([
        'spec',
        'spec.minAvailable',
        'spec.maxUnavailable',
        'spec.selector.matchLabels',
        'spec.unhealthyPodEvictionPolicy',
      ]);
      expect(res.json.details.causes[0].message).toBe(
        'Invalid value: {"MinAvailable":"150%","Selector":{"matchLabels":{"a":"b!"}},"MaxUnavailable":"x","UnhealthyPodEvictionPolicy":"Never"}: minAvailable and maxUnavailable cannot be both set',
      );
      expect(res.json.details.causes[4].message).toBe(
        'Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
      );
      const negative = await t.client.post(path(), pdb('pdb-neg', { minAvailable: -1 }));
      expectStatus(negative, {
        code: 422,
        message:
          'PodDisruptionBudget.policy "pdb-neg" is invalid: spec.minAvailable: Invalid value: -1: must be greater than or equal to 0',
      });
      const noValues = await t.client.post(
        path(),
        pdb('pdb-expr', {
          maxUnavailable: '10%',
          selector: { matchExpressions: [{ key: 'a', operator: 'In' }] },
        }),
      );
      expectStatus(noValues, {
        code: 422,
        message:
          "PodDisruptionBudget.policy \"pdb-expr\" is invalid: spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      });
    },
  );

  conformanceCase(
    'pdb-kubectl-table',
    'kubectl get pdb → NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE, N/A for the unset bound',
    async () => {
      await create(
        t,
        path(),
        pdb('pdb-tbl', { minAvailable: '50%', selector: { matchLabels: { app: 'none' } } }),
      );
      const r = await t.client.kubectl(['-n', t.ns, 'get', 'pdb', 'pdb-tbl']);
      expect(r.code).toBe(0);
      const { header, row } = table(r.stdout);
      expect(header).toEqual(['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
      expect(row.slice(0, 4)).toEqual(['pdb-tbl', '50%', 'N/A', '0']);
    },
  );
});

describe('discovery of the added groups', () => {
  conformanceCase(
    'more-kinds-group-order',
    'GET /apis lists storage.k8s.io after rbac and before apiextensions, discovery.k8s.io after coordination',
    async () => {
      const res = expectOk(await t.client.get('/apis'));
      const order = [
        'apps',
        'events.k8s.io',
        'batch',
        'policy',
        'rbac.authorization.k8s.io',
        'storage.k8s.io',
        'apiextensions.k8s.io',
        'coordination.k8s.io',
        'discovery.k8s.io',
      ];
      const names: string[] = res.groups.map((g: any) => g.name).filter((n: string) => order.includes(n));
      expect(names).toEqual(order);
      const storage = res.groups.find((g: any) => g.name === 'storage.k8s.io');
      expect(storage.preferredVersion).toEqual({ groupVersion: 'storage.k8s.io/v1', version: 'v1' });
    },
  );

  conformanceCase(
    'more-kinds-kubectl-resources',
    'kubectl api-resources lists storageclasses (sc, cluster-scoped), controllerrevisions and endpointslices',
    async () => {
      const r = await t.client.kubectl(['api-resources', '--api-group=storage.k8s.io', '-o', 'name']);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')).toContain('storageclasses.storage.k8s.io');
      const wide = await t.client.kubectl([
        'api-resources',
        '--namespaced=false',
        '--api-group=storage.k8s.io',
      ]);
      const line = wide.stdout.split('\n').find((l) => l.startsWith('storageclasses '));
      expect(line?.split(/\s+/)).toEqual([
        'storageclasses',
        'sc',
        'storage.k8s.io/v1',
        'false',
        'StorageClass',
      ]);
      const names = await t.client.kubectl(['api-resources', '--namespaced=true', '-o', 'name']);
      const list = names.stdout.split('\n');
      expect(list).toContain('controllerrevisions.apps');
      expect(list).toContain('endpointslices.discovery.k8s.io');
    },
  );
});
