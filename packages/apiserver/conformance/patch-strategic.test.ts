// Conformance: strategic merge patch for built-in kinds (reference §2 item 24; apimachinery
// pkg/util/strategicpatch, patchMergeKey tags in core/v1 and apps/v1 types; customresource_handler.go).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import {
  IMAGE,
  create,
  deployPath,
  deployment,
  expectOk,
  expectStatus,
  lazyWidgetCrd,
  pod,
  podPath,
  widget,
} from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('patch-smp');
const crd = lazyWidgetCrd(t);

const containersOf = (d: any) => d.spec.template.spec.containers;

describe('strategic merge patch', () => {
  // containers merge by name: a new name is added, the old one kept.
  conformanceCase(
    'smp-containers-merge-by-name',
    'patching containers [{name: sidecar}] of a Deployment adds it beside main',
    async () => {
      await create(t, deployPath(t.ns), deployment('s1'));
      const patch = { spec: { template: { spec: { containers: [{ name: 'sidecar', image: IMAGE }] } } } };
      const got = expectOk(await t.client.patch(deployPath(t.ns, 's1'), 'strategic', patch), 200);
      expect(
        containersOf(got)
          .map((c: any) => c.name)
          .sort(),
      ).toEqual(['main', 'sidecar']);
    },
  );

  // containers merge by name: a matching name is updated in place.
  conformanceCase(
    'smp-container-update-in-place',
    "patching containers [{name: main, image: X}] changes only main's image",
    async () => {
      await create(t, deployPath(t.ns), deployment('s2'));
      const patch = {
        spec: { template: { spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.9' }] } } },
      };
      const got = expectOk(await t.client.patch(deployPath(t.ns, 's2'), 'strategic', patch), 200);
      expect(containersOf(got)).toHaveLength(1);
      expect(containersOf(got)[0]).toMatchObject({
        name: 'main',
        image: 'registry.k8s.io/pause:3.9',
        env: [{ name: 'A', value: '1' }],
      });
    },
  );

  // env merges by name.
  conformanceCase(
    'smp-env-merge-by-name',
    'patching env [{name: B}] of main keeps A and adds B',
    async () => {
      await create(t, deployPath(t.ns), deployment('s3'));
      const patch = {
        spec: { template: { spec: { containers: [{ name: 'main', env: [{ name: 'B', value: '2' }] }] } } },
      };
      const got = expectOk(await t.client.patch(deployPath(t.ns, 's3'), 'strategic', patch), 200);
      expect(
        containersOf(got)[0]
          .env.map((e: any) => e.name)
          .sort(),
      ).toEqual(['A', 'B']);
    },
  );

  // $patch: delete removes a list element by merge key.
  conformanceCase(
    'smp-patch-delete-directive',
    '{name: sidecar, $patch: delete} removes that container only',
    async () => {
      const d = deployment('s4');
      d.spec.template.spec.containers.push({ name: 'sidecar', image: IMAGE });
      await create(t, deployPath(t.ns), d);
      const patch = { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } };
      const got = expectOk(await t.client.patch(deployPath(t.ns, 's4'), 'strategic', patch), 200);
      expect(containersOf(got).map((c: any) => c.name)).toEqual(['main']);
    },
  );

  // volumes merge by name; volumeMounts merge by mountPath.
  conformanceCase(
    'smp-volumes-and-mounts',
    'volumes merge by name and volumeMounts by mountPath',
    async () => {
      const d = deployment('s5');
      d.spec.template.spec.volumes = [{ name: 'a', emptyDir: {} }];
      d.spec.template.spec.containers[0].volumeMounts = [{ name: 'a', mountPath: '/a' }];
      await create(t, deployPath(t.ns), d);
      const patch = {
        spec: {
          template: {
            spec: {
              volumes: [{ name: 'b', emptyDir: {} }],
              containers: [{ name: 'main', volumeMounts: [{ name: 'b', mountPath: '/b' }] }],
            },
          },
        },
      };
      const got = expectOk(await t.client.patch(deployPath(t.ns, 's5'), 'strategic', patch), 200);
      expect(got.spec.template.spec.volumes.map((v: any) => v.name).sort()).toEqual(['a', 'b']);
      expect(
        containersOf(got)[0]
          .volumeMounts.map((m: any) => m.mountPath)
          .sort(),
      ).toEqual(['/a', '/b']);
    },
  );

  // container ports merge by containerPort.
  conformanceCase('smp-container-ports', 'container ports merge by containerPort', async () => {
    const d = deployment('s6');
    d.spec.template.spec.containers[0].ports = [{ containerPort: 80, name: 'http' }];
    await create(t, deployPath(t.ns), d);
    const patch = {
      spec: {
        template: {
          spec: { containers: [{ name: 'main', ports: [{ containerPort: 443, name: 'https' }] }] },
        },
      },
    };
    const got = expectOk(await t.client.patch(deployPath(t.ns, 's6'), 'strategic', patch), 200);
    expect(
      containersOf(got)[0]
        .ports.map((p: any) => p.containerPort)
        .sort(),
    ).toEqual([443, 80]);
  });

  // Service ports merge by port.
  conformanceCase('smp-service-ports', 'Service spec.ports merge by port', async () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc' },
      spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 80 }] },
    };
    await create(t, `/api/v1/namespaces/${t.ns}/services`, svc);
    const got = expectOk(
      await t.client.patch(`/api/v1/namespaces/${t.ns}/services/svc`, 'strategic', {
        spec: { ports: [{ name: 'https', port: 443 }] },
      }),
      200,
    );
    expect(got.spec.ports.map((p: any) => p.port).sort()).toEqual([443, 80]);
  });

  // Pod status conditions merge by type.
  conformanceCase(
    'smp-status-conditions-by-type',
    'strategic patch of pods/status conditions merges by type',
    async () => {
      await create(t, podPath(t.ns), pod('sc'));
      const first = {
        status: {
          conditions: [
            { type: 'Ready', status: 'False' },
            { type: 'PodScheduled', status: 'True' },
          ],
        },
      };
      expectOk(await t.client.patch(`${podPath(t.ns, 'sc')}/status`, 'strategic', first), 200);
      const got = expectOk(
        await t.client.patch(`${podPath(t.ns, 'sc')}/status`, 'strategic', {
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        }),
        200,
      );
      const byType = Object.fromEntries(got.status.conditions.map((c: any) => [c.type, c.status]));
      expect(byType).toMatchObject({ Ready: 'True', PodScheduled: 'True' });
    },
  );

  // Lists without a merge key (container args) are replaced.
  conformanceCase(
    'smp-list-without-key-replaced',
    'container args (no merge key) are replaced by the patch',
    async () => {
      const d = deployment('s7');
      d.spec.template.spec.containers[0].args = ['--a', '--b'];
      await create(t, deployPath(t.ns), d);
      const patch = { spec: { template: { spec: { containers: [{ name: 'main', args: ['--c'] }] } } } };
      const got = expectOk(await t.client.patch(deployPath(t.ns, 's7'), 'strategic', patch), 200);
      expect(containersOf(got)[0].args).toEqual(['--c']);
    },
  );

  // Maps merge and null deletes, as in a merge patch.
  conformanceCase(
    'smp-map-null-deletes',
    'strategic patch of labels {a: null, c: "3"} → a removed, c added',
    async () => {
      const d = deployment('s8');
      d.metadata.labels = { a: '1', b: '2' };
      await create(t, deployPath(t.ns), d);
      const got = expectOk(
        await t.client.patch(deployPath(t.ns, 's8'), 'strategic', {
          metadata: { labels: { a: null, c: '3' } },
        }),
        200,
      );
      expect(got.metadata.labels).toEqual({ b: '2', c: '3' });
    },
  );

  // §2 item 24 (customresource_handler.go supportedTypes): CRs refuse strategic merge patch with 415.
  conformanceCase(
    'smp-custom-resource-415',
    'strategic merge patch on a CR → 415 UnsupportedMediaType listing json-patch, merge-patch, apply-patch',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'sw', { replicas: 1 }));
      const res = await t.client.patch(c.path(t.ns, 'sw'), 'strategic', { spec: { replicas: 2 } });
      expectStatus(res, {
        code: 415,
        reason: 'UnsupportedMediaType',
        message:
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      });
    },
  );

  // An unknown patch content type → 415. Verified against kube-apiserver v1.37.2: go-restful refuses the
  // content type before the patch handler, so there is no list of accepted patch types.
  conformanceCase(
    'smp-unknown-patch-type-415',
    'PATCH with Content-Type application/json → 415 UnsupportedMediaType `415: Unsupported Media Type`, details {}',
    async () => {
      await create(t, deployPath(t.ns), deployment('s9'));
      const res = await t.client.request('PATCH', deployPath(t.ns, 's9'), {
        body: { spec: {} },
        contentType: 'application/json',
      });
      expectStatus(res, {
        code: 415,
        reason: 'UnsupportedMediaType',
        message: '415: Unsupported Media Type',
        details: {},
      });
    },
  );
});
