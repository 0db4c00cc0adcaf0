// Conformance through the real kubectl: describe, categories ("get all"), namespace commands, raw GETs
// (issue 3 "kubectl cases"; discovery categories per kubernetes pkg/registry/*/storage).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { cmPath, configMap, create, pod, podPath } from './fixtures.js';
import { suffix, useTarget } from './target.js';

const t = useTarget('kubectl-misc');
const find = (list: any[], name: string) => list.find((r: any) => r.name === name);

describe('kubectl, more commands', () => {
  // Built-in workload resources are in the "all" category.
  conformanceCase(
    'discovery-categories-all',
    'pods, services and deployments carry the discovery category "all"; configmaps do not',
    async () => {
      const core = (await t.client.get('/api/v1')).json.resources;
      const apps = (await t.client.get('/apis/apps/v1')).json.resources;
      expect(find(core, 'pods').categories).toEqual(['all']);
      expect(find(core, 'services').categories).toEqual(['all']);
      expect(find(apps, 'deployments').categories).toEqual(['all']);
      expect(find(core, 'configmaps').categories ?? []).toEqual([]);
    },
  );

  // kubectl get all expands the category through discovery.
  conformanceCase(
    'kubectl-get-all',
    'kubectl get all -o name lists Pods and Services but not ConfigMaps',
    async () => {
      const ns = await t.createNamespace('conf-kmisc-all');
      await create(t, podPath(ns), pod('p'));
      await create(t, `/api/v1/namespaces/${ns}/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's' },
        spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
      });
      await create(t, cmPath(ns), configMap('c'));
      const r = await t.client.kubectl(['-n', ns, 'get', 'all', '-o', 'name']);
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n').filter(Boolean).sort();
      expect(lines).toEqual(['pod/p', 'service/s']);
    },
  );

  // kubectl describe reads the object and its events (field selector on involvedObject).
  conformanceCase(
    'kubectl-describe',
    'kubectl describe cm shows Name, Namespace, Labels and the Data keys',
    async () => {
      await create(t, cmPath(t.ns), configMap('desc', { greeting: 'hello' }, { app: 'demo' }));
      const r = await t.client.kubectl(['-n', t.ns, 'describe', 'cm', 'desc']);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^Name:\s+desc$/m);
      expect(r.stdout).toMatch(new RegExp(`^Namespace:\\s+${t.ns}$`, 'm'));
      expect(r.stdout).toMatch(/^Labels:\s+app=demo$/m);
      expect(r.stdout).toMatch(/^greeting:$/m);
      expect(r.stdout).toMatch(/^hello$/m);
    },
  );

  // kubectl create namespace / delete namespace --wait=false.
  conformanceCase(
    'kubectl-namespace-lifecycle',
    'kubectl create namespace → "namespace/<n> created"; delete --wait=false → deleted, phase Terminating or gone',
    async () => {
      const name = `conf-kns-${suffix()}`;
      const c = await t.client.kubectl(['create', 'namespace', name]);
      expect(c).toMatchObject({ code: 0, stdout: `namespace/${name} created\n` });
      const d = await t.client.kubectl(['delete', 'namespace', name, '--wait=false']);
      expect(d).toMatchObject({ code: 0, stdout: `namespace "${name}" deleted\n` });
      const got = await t.client.get(`/api/v1/namespaces/${name}`);
      if (got.status === 200) expect(got.json.status.phase).toBe('Terminating');
      else expect(got.status).toBe(404);
    },
  );

  // kubectl get --raw reads any path verbatim.
  conformanceCase(
    'kubectl-get-raw',
    'kubectl get --raw /api/v1/namespaces/default → the Namespace JSON',
    async () => {
      const r = await t.client.kubectl(['get', '--raw', '/api/v1/namespaces/default']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'Namespace', metadata: { name: 'default' } });
    },
  );

  // kubectl label with a selector updates every match.
  conformanceCase(
    'kubectl-label-by-selector',
    'kubectl label cm -l group=g tier=x → both matching ConfigMaps labelled',
    async () => {
      const ns = await t.createNamespace('conf-kmisc-lbl');
      await create(t, cmPath(ns), configMap('l1', {}, { group: 'g' }));
      await create(t, cmPath(ns), configMap('l2', {}, { group: 'g' }));
      await create(t, cmPath(ns), configMap('other'));
      const r = await t.client.kubectl(['-n', ns, 'label', 'cm', '-l', 'group=g', 'tier=x']);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('configmap/l1 labeled\nconfigmap/l2 labeled\n');
      expect((await t.client.get(cmPath(ns, 'other'))).json.metadata.labels).toBeUndefined();
    },
  );
});
