// Conformance: server-side apply (reference §2 item 25; apiserver handlers/patch.go applyPatcher,
// managedfields/internal/conflict.go, structured-merge-diff).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import {
  IMAGE,
  cmPath,
  configMap,
  create,
  deployPath,
  deployment,
  expectOk,
  expectStatus,
  lazyWidgetCrd,
  widget,
} from './fixtures.js';
import { isRealCluster, useTarget } from './target.js';

const t = useTarget('apply');
const crd = lazyWidgetCrd(t);

/** A StatefulSet with no replicas whose container port leaves `protocol` to its default. */
function statefulSet(name: string): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      serviceName: name,
      replicas: 0,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'c', image: IMAGE, ports: [{ containerPort: 80, name: 'http' }] }],
        },
      },
    },
  };
}

/**
 * On a real cluster the StatefulSet controller writes the status once after a create; waits for that
 * write so that a later resourceVersion comparison sees only the apply. Returns the settled object.
 */
async function settledStatefulSet(path: string): Promise<any> {
  for (let i = 0; ; i++) {
    const got = expectOk(await t.client.get(path), 200);
    if (!isRealCluster || got.status?.observedGeneration === got.metadata.generation || i >= 50) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const apply = (path: string, body: unknown, manager: string, extra: Record<string, string> = {}) =>
  t.client.patch(path, 'apply', body, { fieldManager: manager, ...extra });

describe('server-side apply', () => {
  // §2 item 25: apply creates a missing object (201) and records an Apply manager.
  conformanceCase(
    'ssa-creates-201',
    'apply of a missing object → 201 with managedFields [{manager, operation Apply, fieldsType FieldsV1}]',
    async () => {
      const res = await apply(cmPath(t.ns, 'a1'), configMap('a1', { x: '1' }), 'conf-a');
      const got = expectOk(res, 201);
      expect(got.data).toEqual({ x: '1' });
      expect(got.metadata.managedFields).toEqual([
        expect.objectContaining({
          manager: 'conf-a',
          operation: 'Apply',
          apiVersion: 'v1',
          fieldsType: 'FieldsV1',
          time: expect.any(String),
          fieldsV1: expect.objectContaining({ 'f:data': { 'f:x': {} } }),
        }),
      ]);
    },
  );

  // §2 item 25: fieldManager is required for apply.
  conformanceCase(
    'ssa-field-manager-required-422',
    'apply without fieldManager → 422 `PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch`',
    async () => {
      const res = await t.client.patch(cmPath(t.ns, 'a2'), 'apply', configMap('a2'));
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message:
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      });
    },
  );

  // §2 item 25: force is only for apply.
  conformanceCase(
    'ssa-force-non-apply-422',
    'force=true on a merge patch → 422 `force: Forbidden: may not be specified for non-apply patch`',
    async () => {
      await create(t, cmPath(t.ns), configMap('a3'));
      const res = await t.client.patch(cmPath(t.ns, 'a3'), 'merge', { data: { a: '1' } }, { force: 'true' });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message:
          'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
      });
    },
  );

  // §2 item 25: a second manager changing an owned field → 409 with the exact message and causes.
  conformanceCase(
    'ssa-conflict-409',
    'apply by "b" of a field owned by "a" → 409 `Apply failed with 1 conflict: conflict with "a": .data.x`',
    async () => {
      expectOk(await apply(cmPath(t.ns, 'a4'), configMap('a4', { x: '1' }), 'a'), 201);
      const res = await apply(cmPath(t.ns, 'a4'), configMap('a4', { x: '2' }), 'b');
      expectStatus(res, {
        code: 409,
        reason: 'Conflict',
        message: 'Apply failed with 1 conflict: conflict with "a": .data.x',
        details: {
          causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "a"', field: '.data.x' }],
        },
      });
    },
  );

  // conflict.go: several conflicts are listed one per line under the manager.
  conformanceCase(
    'ssa-conflict-two-fields-409',
    'two conflicting fields → `Apply failed with 2 conflicts: conflicts with "a":\\n- .data.x\\n- .data.y`',
    async () => {
      expectOk(await apply(cmPath(t.ns, 'a5'), configMap('a5', { x: '1', y: '1' }), 'a'), 201);
      const res = await apply(cmPath(t.ns, 'a5'), configMap('a5', { x: '2', y: '2' }), 'b');
      expectStatus(res, {
        code: 409,
        reason: 'Conflict',
        message: 'Apply failed with 2 conflicts: conflicts with "a":\n- .data.x\n- .data.y',
      });
      expect(res.json.details.causes).toHaveLength(2);
    },
  );

  // §2 item 25: force=true takes ownership.
  conformanceCase(
    'ssa-force-takes-ownership',
    'apply by "b" with force=true → 200, value changed, "b" owns .data.x and "a" no longer does',
    async () => {
      expectOk(await apply(cmPath(t.ns, 'a6'), configMap('a6', { x: '1' }), 'a'), 201);
      const got = expectOk(
        await apply(cmPath(t.ns, 'a6'), configMap('a6', { x: '2' }), 'b', { force: 'true' }),
        200,
      );
      expect(got.data).toEqual({ x: '2' });
      const owners = got.metadata.managedFields
        .filter((m: any) => m.fieldsV1?.['f:data']?.['f:x'])
        .map((m: any) => m.manager);
      expect(owners).toEqual(['b']);
    },
  );

  // Applying the same value as another manager is not a conflict: ownership is shared.
  conformanceCase(
    'ssa-same-value-shared',
    'apply by "b" of the same value "a" applied → 200, both own .data.x',
    async () => {
      expectOk(await apply(cmPath(t.ns, 'a7'), configMap('a7', { x: '1' }), 'a'), 201);
      const got = expectOk(await apply(cmPath(t.ns, 'a7'), configMap('a7', { x: '1' }), 'b'), 200);
      const owners = got.metadata.managedFields
        .filter((m: any) => m.fieldsV1?.['f:data']?.['f:x'])
        .map((m: any) => m.manager)
        .sort();
      expect(owners).toEqual(['a', 'b']);
    },
  );

  // A manager that stops applying a field it solely owns removes it.
  conformanceCase(
    'ssa-drops-unapplied-field',
    'apply {x,y} then {x} by the same manager → y removed',
    async () => {
      expectOk(await apply(cmPath(t.ns, 'a8'), configMap('a8', { x: '1', y: '2' }), 'a'), 201);
      const got = expectOk(await apply(cmPath(t.ns, 'a8'), configMap('a8', { x: '1' }), 'a'), 200);
      expect(got.data).toEqual({ x: '1' });
    },
  );

  // §2 item 25: non-apply writes are recorded as Update under their fieldManager.
  conformanceCase(
    'ssa-update-manager-recorded',
    'a PUT with fieldManager=editor → managedFields entry {manager: editor, operation: Update}',
    async () => {
      const made = expectOk(await apply(cmPath(t.ns, 'a9'), configMap('a9', { x: '1' }), 'a'), 201);
      const got = expectOk(
        await t.client.put(
          cmPath(t.ns, 'a9'),
          { ...made, data: { x: '1', z: '9' } },
          { fieldManager: 'editor' },
        ),
        200,
      );
      expect(got.metadata.managedFields).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ manager: 'editor', operation: 'Update', apiVersion: 'v1' }),
        ]),
      );
    },
  );

  // §2 item 25: a conflict with an Update manager names it "using v1".
  conformanceCase(
    'ssa-conflict-with-updater-409',
    'apply over a field last set by an Update manager → 409 `conflict with "editor" using v1: .data.x`',
    async () => {
      await t.client.post(cmPath(t.ns), configMap('a10', { x: '1' }), { fieldManager: 'editor' });
      const res = await apply(cmPath(t.ns, 'a10'), configMap('a10', { x: '2' }), 'applier');
      expectStatus(res, {
        code: 409,
        reason: 'Conflict',
        message: 'Apply failed with 1 conflict: conflict with "editor" using v1: .data.x',
      });
    },
  );

  // §2 item 25: apply bodies are YAML (JSON is valid YAML too).
  conformanceCase('ssa-yaml-body', 'apply with a YAML body → 201', async () => {
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a11\ndata:\n  k: v\n`;
    const res = await t.client.request('PATCH', cmPath(t.ns, 'a11'), {
      body: yaml,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: 'yaml' },
    });
    expect(expectOk(res, 201).data).toEqual({ k: 'v' });
  });

  // §2 item 25: apply works on custom resources (their schema gives the structure).
  conformanceCase(
    'ssa-custom-resource',
    'apply of a CR creates it; a second manager conflicting on spec.replicas → 409 naming .spec.replicas',
    async () => {
      const c = await crd();
      expectOk(await apply(c.path(t.ns, 'aw'), widget(c, 'aw', { replicas: 2 }), 'a'), 201);
      const res = await apply(c.path(t.ns, 'aw'), widget(c, 'aw', { replicas: 3 }), 'b');
      expectStatus(res, {
        code: 409,
        reason: 'Conflict',
        message: 'Apply failed with 1 conflict: conflict with "a": .spec.replicas',
      });
    },
  );

  // Associative lists: two managers may own different containers of one Deployment.
  conformanceCase(
    'ssa-associative-list',
    'managers applying different containers (merge key name) both keep theirs',
    async () => {
      const base = deployment('ad');
      expectOk(await apply(deployPath(t.ns, 'ad'), base, 'a'), 201);
      const sidecar = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'ad' },
        spec: {
          template: { spec: { containers: [{ name: 'sidecar', image: IMAGE }] } },
        },
      };
      const got = expectOk(await apply(deployPath(t.ns, 'ad'), sidecar, 'b'), 200);
      expect(got.spec.template.spec.containers.map((c: any) => c.name).sort()).toEqual(['main', 'sidecar']);
    },
  );

  // Apply with a body whose name differs from the URL → 400.
  conformanceCase(
    'ssa-name-mismatch-400',
    'apply body naming another object than the URL → 400 BadRequest',
    async () => {
      const res = await apply(cmPath(t.ns, 'a12'), configMap('other-name'), 'a');
      expectStatus(res, { code: 400, reason: 'BadRequest' });
    },
  );

  // handlers/create.go managerOrUserAgent: without fieldManager, the User-Agent prefix (before "/") names the manager.
  conformanceCase(
    'ssa-manager-from-user-agent',
    'a POST without fieldManager and User-Agent "conformance-agent/1.0 (linux)" → managedFields manager "conformance-agent", operation Update',
    async () => {
      const res = await t.client.request('POST', cmPath(t.ns), {
        body: configMap('ua', { x: '1' }),
        headers: { 'User-Agent': 'conformance-agent/1.0 (linux)' },
      });
      const got = expectOk(res, 201);
      expect(got.metadata.managedFields).toEqual([
        expect.objectContaining({
          manager: 'conformance-agent',
          operation: 'Update',
          apiVersion: 'v1',
          fieldsType: 'FieldsV1',
        }),
      ]);
    },
  );

  // Writes through a subresource are recorded with `subresource` in their managedFields entry.
  conformanceCase(
    'ssa-status-subresource-manager',
    'a merge patch of pods/<name>/status with fieldManager=kubelet-like → entry {manager, operation Update, subresource: status}',
    async () => {
      await create(t, `/api/v1/namespaces/${t.ns}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'st' },
        spec: { containers: [{ name: 'main', image: IMAGE }] },
      });
      const res = await t.client.patch(
        `/api/v1/namespaces/${t.ns}/pods/st/status`,
        'merge',
        { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
        { fieldManager: 'kubelet-like' },
      );
      const got = expectOk(res, 200);
      expect(got.metadata.managedFields).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ manager: 'kubelet-like', operation: 'Update', subresource: 'status' }),
        ]),
      );
    },
  );

  // structured-merge-diff keys a list-map item by its key fields with the schema's defaults filled in
  // (container ports: containerPort + protocol, protocol defaulting to TCP), so an applied port without
  // protocol is the stored TCP port. Verified on kube-apiserver v1.37.2: the second apply answers the same
  // resourceVersion and generation, and the manager owns `k:{"containerPort":80,"protocol":"TCP"}`.
  conformanceCase(
    'ssa-defaulted-list-map-key-noop',
    'applying a StatefulSet twice with a container port without protocol → one TCP port, same generation and resourceVersion',
    async () => {
      const path = `/apis/apps/v1/namespaces/${t.ns}/statefulsets/ports`;
      expectOk(await apply(path, statefulSet('ports'), 'conf-ports'), 201);
      const first = await settledStatefulSet(path);
      const second = expectOk(await apply(path, statefulSet('ports'), 'conf-ports'), 200);
      const ports = second.spec.template.spec.containers[0].ports;
      expect(ports).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }]);
      expect(second.metadata.generation).toBe(1);
      expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
      const mine = second.metadata.managedFields.find((m: any) => m.manager === 'conf-ports');
      const container = mine.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"c"}'];
      expect(container['f:ports']).toEqual({
        'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:name': {} },
      });
    },
  );

  // Service ports are keyed by port + protocol (protocol defaults to TCP). Verified on v1.37.2.
  conformanceCase(
    'ssa-service-port-default-protocol-noop',
    'applying a Service twice with a port without protocol → one TCP port, same resourceVersion',
    async () => {
      const path = `/api/v1/namespaces/${t.ns}/services/svcports`;
      const svc = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'svcports' },
        spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 80 }] },
      };
      const first = expectOk(await apply(path, svc, 'conf-svc'), 201);
      const second = expectOk(await apply(path, svc, 'conf-svc'), 200);
      expect(second.spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }]);
      expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    },
  );

  // The typed object omits an empty map (`omitempty`), so `annotations: {}` in an apply is not stored, but
  // the manager owns it as a leaf (`f:annotations: {}`); applying it again changes nothing. Verified on
  // kube-apiserver v1.37.2.
  conformanceCase(
    'ssa-empty-map-dropped-noop',
    'an apply with pod template `annotations: {}` stores no annotations, owns `f:annotations`, and a second apply keeps generation and resourceVersion',
    async () => {
      const path = `/apis/apps/v1/namespaces/${t.ns}/statefulsets/emptyann`;
      const body = statefulSet('emptyann');
      body.spec.template.metadata.annotations = {};
      const first = expectOk(await apply(path, body, 'conf-ann'), 201);
      expect(first.spec.template.metadata).toEqual({ labels: { app: 'emptyann' } });
      const mine = first.metadata.managedFields.find((m: any) => m.manager === 'conf-ann');
      expect(mine.fieldsV1['f:spec']['f:template']['f:metadata']).toEqual({
        'f:annotations': {},
        'f:labels': { 'f:app': {} },
      });
      const settled = await settledStatefulSet(path);
      const second = expectOk(await apply(path, body, 'conf-ann'), 200);
      expect(second.spec.template.metadata).toEqual({ labels: { app: 'emptyann' } });
      expect(second.metadata.generation).toBe(1);
      expect(second.metadata.resourceVersion).toBe(settled.metadata.resourceVersion);
    },
  );

  // A custom resource's metadata is ObjectMeta too: an applied `labels: {}` / `annotations: {}` is not stored
  // but is owned. Verified on kube-apiserver v1.37.2 (which also moves the resourceVersion on each such
  // apply, rewriting managedFields; not asserted here).
  conformanceCase(
    'ssa-cr-empty-metadata-maps-dropped',
    'an apply of a CR with `metadata.labels: {}` and `annotations: {}` stores neither and owns both; a second apply keeps generation 1',
    async () => {
      const c = await crd();
      const body = widget(c, 'emptymeta', { replicas: 1 });
      body.metadata.labels = {};
      body.metadata.annotations = {};
      const first = expectOk(await apply(c.path(t.ns, 'emptymeta'), body, 'conf-meta'), 201);
      expect(first.metadata.labels).toBeUndefined();
      expect(first.metadata.annotations).toBeUndefined();
      const mine = first.metadata.managedFields.find((m: any) => m.manager === 'conf-meta');
      expect(mine.fieldsV1['f:metadata']).toEqual({ 'f:annotations': {}, 'f:labels': {} });
      const second = expectOk(await apply(c.path(t.ns, 'emptymeta'), body, 'conf-meta'), 200);
      expect(second.metadata.annotations).toBeUndefined();
      expect(second.metadata.generation).toBe(1);
    },
  );

  // apimachinery ValidateFieldManager: at most 128 bytes.
  conformanceCase(
    'ssa-field-manager-too-long-422',
    'a 129-byte fieldManager → 422 `CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes`',
    async () => {
      const res = await t.client.post(cmPath(t.ns), configMap('longmgr'), { fieldManager: 'm'.repeat(129) });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message:
          'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
      });
    },
  );

  // Without fieldManager and without a User-Agent, the write is recorded under manager "unknown".
  // Verified on kube-apiserver v1.37.2 (the suite's client sends no User-Agent).
  conformanceCase(
    'ssa-manager-unknown',
    'a POST without fieldManager or User-Agent → managedFields manager "unknown"',
    async () => {
      const got = expectOk(await t.client.post(cmPath(t.ns), configMap('anon', { x: '1' })), 201);
      expect(got.metadata.managedFields).toEqual([
        expect.objectContaining({ manager: 'unknown', operation: 'Update' }),
      ]);
    },
  );
});
