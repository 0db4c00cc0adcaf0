// Conformance through the real kubectl: discovery-driven commands and custom resources — api-resources,
// explain, printer columns, scale, wait --for=condition (issue 3 "kubectl cases").
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { create, expectOk, lazyWidgetCrd, widget } from './fixtures.js';
import { sleep, useTarget, type KubectlResult } from './target.js';

const t = useTarget('kubectl-crd');
const crd = lazyWidgetCrd(t);

/** Runs kubectl until it exits 0 or `ms` passes; returns the last result either way. */
async function kubectlUntilOk(args: string[], ms = 12_000): Promise<KubectlResult> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await t.client.kubectl(args);
    if (r.code === 0 || Date.now() > deadline) return r;
    await sleep(500);
  }
}

describe('kubectl with discovery and CRDs', () => {
  // kubectl api-resources reads discovery (aggregated or legacy).
  conformanceCase(
    'kubectl-api-resources',
    'kubectl api-resources lists configmaps (cm, v1, namespaced, ConfigMap), deployments, leases and CRDs',
    async () => {
      const r = await t.client.kubectl(['api-resources']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
      expect(r.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      expect(r.stdout).toMatch(/^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
      expect(r.stdout).toMatch(
        /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/m,
      );
      expect(r.stdout).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    },
  );

  // A CRD shows up in api-resources once established.
  conformanceCase(
    'kubectl-api-resources-crd',
    'kubectl api-resources --api-group=<group> lists widgets with its short name and kind',
    async () => {
      const c = await crd();
      const r = await t.client.kubectl(['api-resources', `--api-group=${c.group}`]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        new RegExp(`^widgets\\s+\\S+\\s+${c.group.replace(/\./g, '\\.')}/v1\\s+true\\s+Widget$`, 'm'),
      );
    },
  );

  // kubectl explain reads the CRD schema from OpenAPI.
  conformanceCase(
    'kubectl-explain-crd',
    'kubectl explain widgets.<group>.spec shows the schema fields (replicas <integer>, size <string>)',
    async () => {
      const c = await crd();
      // A new group's OpenAPI is published asynchronously (about 2 s on kube-apiserver v1.37.2): retry.
      const r = await kubectlUntilOk(['explain', `widgets.${c.group}.spec`]);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/KIND:\s+Widget/);
      expect(r.stdout).toMatch(/replicas\s+<integer>/);
      expect(r.stdout).toMatch(/size\s+<string>/);
    },
  );

  // kubectl explain on a built-in kind.
  conformanceCase(
    'kubectl-explain-builtin',
    'kubectl explain configmap.data → describes data as map[string]string',
    async () => {
      const r = await t.client.kubectl(['explain', 'configmap.data']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/FIELD:\s+data\s+<map\[string\]string>/);
    },
  );

  // kubectl get shows the CRD's printer columns.
  conformanceCase(
    'kubectl-get-printer-columns',
    'kubectl get widgets.<group> → header NAME REPLICAS PHASE AGE and the row values',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'pc', { replicas: 3 }));
      await t.client.patch(c.path(t.ns, 'pc', 'status'), 'merge', { status: { phase: 'Running' } });
      const r = await t.client.kubectl(['-n', t.ns, 'get', `widgets.${c.group}`, 'pc']);
      expect(r.code).toBe(0);
      const [header, row] = r.stdout.split('\n');
      expect(header!.split(/\s+/).filter(Boolean)).toEqual(['NAME', 'REPLICAS', 'PHASE', 'AGE']);
      expect(row!.split(/\s+/).slice(0, 3)).toEqual(['pc', '3', 'Running']);
    },
  );

  // kubectl get by category from discovery.
  conformanceCase(
    'kubectl-get-category',
    'kubectl get steward-conformance (a CRD category) lists the CR',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'cat', { replicas: 1 }));
      // kubectl resolves the category through discovery, which lags a new CRD briefly on a real server.
      const r = await kubectlUntilOk(['-n', t.ns, 'get', 'steward-conformance', '-o', 'name']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`widget.${c.group}/cat`);
    },
  );

  // kubectl scale uses the scale subresource.
  conformanceCase(
    'kubectl-scale-cr',
    'kubectl scale widgets.<group>/sc --replicas=4 → "scaled" and spec.replicas 4',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'sc', { replicas: 1 }));
      const r = await t.client.kubectl(['-n', t.ns, 'scale', `widgets.${c.group}/sc`, '--replicas=4']);
      expect(r).toMatchObject({ code: 0, stdout: `widget.${c.group}/sc scaled\n` });
      expect((await t.client.get(c.path(t.ns, 'sc'))).json.spec.replicas).toBe(4);
    },
  );

  // kubectl wait --for=condition watches status.conditions.
  conformanceCase(
    'kubectl-wait-for-condition',
    'kubectl wait --for=condition=Ready returns "condition met" once status.conditions has Ready=True',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'wc', { replicas: 1 }));
      await t.client.patch(c.path(t.ns, 'wc', 'status'), 'merge', {
        status: { conditions: [{ type: 'Ready', status: 'False' }] },
      });
      const pending = t.client.kubectl([
        '-n',
        t.ns,
        'wait',
        '--for=condition=Ready',
        `widgets.${c.group}/wc`,
        '--timeout=10s',
      ]);
      await sleep(800);
      expectOk(
        await t.client.patch(c.path(t.ns, 'wc', 'status'), 'merge', {
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        }),
        200,
      );
      const r = await pending;
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`widget.${c.group}/wc condition met`);
    },
  );

  // kubectl wait times out when the condition never comes.
  conformanceCase(
    'kubectl-wait-timeout',
    'kubectl wait --for=condition=Ready --timeout=1s on a CR that never gets Ready → exit 1 "timed out"',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'never', { replicas: 1 }));
      const r = await t.client.kubectl([
        '-n',
        t.ns,
        'wait',
        '--for=condition=Ready',
        `widgets.${c.group}/never`,
        '--timeout=1s',
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('timed out waiting for the condition');
    },
  );

  // kubectl apply of a CR (client-side) works through the CRD's OpenAPI.
  conformanceCase(
    'kubectl-apply-cr',
    'kubectl apply of a Widget → created, then configured; strategic patch is not used for CRs',
    async () => {
      const c = await crd();
      const doc = (replicas: number) =>
        `apiVersion: ${c.group}/v1\nkind: Widget\nmetadata:\n  name: ap\nspec:\n  replicas: ${replicas}\n`;
      expect(await t.client.kubectl(['-n', t.ns, 'apply', '-f', '-'], { stdin: doc(1) })).toMatchObject({
        code: 0,
        stdout: `widget.${c.group}/ap created\n`,
      });
      expect(await t.client.kubectl(['-n', t.ns, 'apply', '-f', '-'], { stdin: doc(2) })).toMatchObject({
        code: 0,
        stdout: `widget.${c.group}/ap configured\n`,
      });
      expect((await t.client.get(c.path(t.ns, 'ap'))).json.spec.replicas).toBe(2);
    },
  );

  // kubectl shows a CRD validation error from the server.
  conformanceCase(
    'kubectl-apply-cr-invalid',
    'kubectl apply of a Widget with replicas 0 → exit 1 with the schema message',
    async () => {
      const c = await crd();
      const doc = `apiVersion: ${c.group}/v1\nkind: Widget\nmetadata:\n  name: bad\nspec:\n  replicas: 0\n`;
      const r = await t.client.kubectl(['-n', t.ns, 'apply', '-f', '-'], { stdin: doc });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
      );
    },
  );
});
