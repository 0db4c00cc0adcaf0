// Conformance through the real kubectl: get with selectors, chunking, watch, output formats, errors
// (issue 3 "kubectl cases"; kubectl 1.32 pkg/cmd/get).
import { describe, expect } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { conformanceCase } from './case.js';
import { cmPath, configMap, create, pod } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('kubectl-get');

const lines = (s: string) => s.split('\n').filter((l) => l !== '' && !l.includes('kube-root-ca.crt'));

describe('kubectl get', () => {
  // -l with equality and set-based selectors.
  conformanceCase(
    'kubectl-get-label-selector',
    'kubectl get cm -l env=prod -o name and -l "env in (dev)" → only the matching objects',
    async () => {
      const ns = await t.createNamespace('conf-kget-sel');
      await create(t, cmPath(ns), configMap('a', {}, { env: 'prod' }));
      await create(t, cmPath(ns), configMap('b', {}, { env: 'dev' }));
      await create(t, cmPath(ns), configMap('c', {}, { env: 'prod' }));
      const r = await t.client.kubectl(['-n', ns, 'get', 'cm', '-l', 'env=prod', '-o', 'name']);
      expect(r.code).toBe(0);
      expect(lines(r.stdout)).toEqual(['configmap/a', 'configmap/c']);
      const s = await t.client.kubectl(['-n', ns, 'get', 'cm', '-l', 'env in (dev)', '-o', 'name']);
      expect(lines(s.stdout)).toEqual(['configmap/b']);
    },
  );

  // --field-selector through kubectl.
  conformanceCase(
    'kubectl-get-field-selector',
    'kubectl get cm --field-selector metadata.name=b -o name → configmap/b',
    async () => {
      const ns = await t.createNamespace('conf-kget-fs');
      await create(t, cmPath(ns), configMap('a'));
      await create(t, cmPath(ns), configMap('b'));
      const r = await t.client.kubectl([
        '-n',
        ns,
        'get',
        'cm',
        '--field-selector',
        'metadata.name=b',
        '-o',
        'name',
      ]);
      expect(lines(r.stdout)).toEqual(['configmap/b']);
    },
  );

  // --chunk-size pages through limit/continue and still prints everything once.
  conformanceCase(
    'kubectl-get-chunk-size',
    'kubectl get cm --chunk-size=2 over 5 objects → all 5 names once, in order',
    async () => {
      const ns = await t.createNamespace('conf-kget-chunk');
      for (let i = 0; i < 5; i++) await create(t, cmPath(ns), configMap(`c${i}`));
      const r = await t.client.kubectl(['-n', ns, 'get', 'cm', '--chunk-size=2', '-o', 'name']);
      expect(r.code).toBe(0);
      expect(lines(r.stdout)).toEqual([
        'configmap/c0',
        'configmap/c1',
        'configmap/c2',
        'configmap/c3',
        'configmap/c4',
      ]);
    },
  );

  // Default table output (server-side Table).
  conformanceCase(
    'kubectl-get-table',
    'kubectl get cm <name> → header NAME DATA AGE and a row with the key count',
    async () => {
      await create(t, cmPath(t.ns), configMap('tbl', { a: '1', b: '2' }));
      const r = await t.client.kubectl(['-n', t.ns, 'get', 'cm', 'tbl']);
      expect(r.code).toBe(0);
      const [header, row] = r.stdout.split('\n');
      expect(header!.split(/\s+/).filter(Boolean)).toEqual(['NAME', 'DATA', 'AGE']);
      expect(row!.split(/\s+/).slice(0, 2)).toEqual(['tbl', '2']);
    },
  );

  // -o yaml/json round-trip the stored object.
  conformanceCase(
    'kubectl-get-yaml',
    'kubectl get cm <name> -o yaml → the stored object (same uid)',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('yml', { k: 'v' }));
      const r = await t.client.kubectl(['-n', t.ns, 'get', 'cm', 'yml', '-o', 'yaml']);
      expect(r.code).toBe(0);
      const got = parseYaml(r.stdout);
      expect(got).toMatchObject({
        kind: 'ConfigMap',
        metadata: { name: 'yml', uid: made.metadata.uid },
        data: { k: 'v' },
      });
    },
  );

  // jsonpath output.
  conformanceCase(
    'kubectl-get-jsonpath',
    'kubectl get ns default -o jsonpath={.status.phase} → Active',
    async () => {
      const r = await t.client.kubectl(['get', 'ns', 'default', '-o', 'jsonpath={.status.phase}']);
      expect(r).toMatchObject({ code: 0, stdout: 'Active' });
    },
  );

  // NotFound through kubectl.
  conformanceCase(
    'kubectl-get-not-found',
    'kubectl get cm nope → exit 1, `Error from server (NotFound): configmaps "nope" not found`',
    async () => {
      const r = await t.client.kubectl(['-n', t.ns, 'get', 'cm', 'nope']);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe('Error from server (NotFound): configmaps "nope" not found');
    },
  );

  // -A lists across namespaces with a NAMESPACE column.
  conformanceCase(
    'kubectl-get-all-namespaces',
    'kubectl get cm -A → NAMESPACE column and objects of several namespaces',
    async () => {
      const other = await t.createNamespace('conf-kget-all');
      await create(t, cmPath(t.ns), configMap('everywhere1'));
      await create(t, cmPath(other), configMap('everywhere2'));
      const r = await t.client.kubectl(['get', 'cm', '-A']);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+DATA\s+AGE/);
      expect(r.stdout).toMatch(new RegExp(`${t.ns}\\s+everywhere1`));
      expect(r.stdout).toMatch(new RegExp(`${other}\\s+everywhere2`));
    },
  );

  // get -w: start it, make a change, see the line, stop it.
  conformanceCase(
    'kubectl-get-watch',
    'kubectl get cm -w -o name prints existing objects, then a line for a new one',
    async () => {
      const ns = await t.createNamespace('conf-kget-watch');
      await create(t, cmPath(ns), configMap('before'));
      const proc = t.client.spawnKubectl(['-n', ns, 'get', 'cm', '-w', '-o', 'name']);
      try {
        await proc.waitFor(/configmap\/before/);
        await create(t, cmPath(ns), configMap('after'));
        await proc.waitFor(/configmap\/after/);
      } finally {
        proc.child.kill('SIGTERM');
      }
    },
  );

  // get -w --output-watch-events shows event types.
  conformanceCase(
    'kubectl-get-watch-events',
    'kubectl get cm -w --output-watch-events shows ADDED, MODIFIED and DELETED',
    async () => {
      const ns = await t.createNamespace('conf-kget-wev');
      const proc = t.client.spawnKubectl([
        '-n',
        ns,
        'get',
        'cm',
        '-w',
        '--output-watch-events',
        '--field-selector',
        'metadata.name=ev',
      ]);
      try {
        await new Promise((r) => setTimeout(r, 700));
        await create(t, cmPath(ns), configMap('ev'));
        await proc.waitFor(/ADDED\s+ev/);
        await t.client.patch(cmPath(ns, 'ev'), 'merge', { data: { x: '1' } });
        await proc.waitFor(/MODIFIED\s+ev/);
        await t.client.delete(cmPath(ns, 'ev'));
        await proc.waitFor(/DELETED\s+ev/);
      } finally {
        proc.child.kill('SIGTERM');
      }
    },
  );

  // kubectl version reads /version.
  conformanceCase(
    'kubectl-version',
    'kubectl version -o json → serverVersion with major and minor',
    async () => {
      const r = await t.client.kubectl(['version', '-o', 'json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).serverVersion).toMatchObject({
        major: expect.any(String),
        minor: expect.any(String),
      });
    },
  );

  // Short names from discovery resolve.
  conformanceCase(
    'kubectl-get-short-name',
    'kubectl get cm and kubectl get configmaps print the same names',
    async () => {
      await create(t, cmPath(t.ns), configMap('short'));
      const a = await t.client.kubectl(['-n', t.ns, 'get', 'cm', '-o', 'name']);
      const b = await t.client.kubectl(['-n', t.ns, 'get', 'configmaps', '-o', 'name']);
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
      expect(a.stdout).toContain('configmap/short');
    },
  );

  // -o wide shows the priority-1 columns the server sends in the Table.
  conformanceCase(
    'kubectl-get-wide-pods',
    'kubectl get pods -o wide → header NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES',
    async () => {
      await create(t, `/api/v1/namespaces/${t.ns}/pods`, pod('wide', { nodeName: 'conformance-node' }));
      const r = await t.client.kubectl(['-n', t.ns, 'get', 'pods', 'wide', '-o', 'wide']);
      expect(r.code).toBe(0);
      expect(
        r.stdout
          .split('\n')[0]!
          .trim()
          .split(/\s{2,}/),
      ).toEqual([
        'NAME',
        'READY',
        'STATUS',
        'RESTARTS',
        'AGE',
        'IP',
        'NODE',
        'NOMINATED NODE',
        'READINESS GATES',
      ]);
      expect(r.stdout).toMatch(/wide\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+conformance-node/);
      await t.client.delete(`/api/v1/namespaces/${t.ns}/pods/wide`, { gracePeriodSeconds: 0 });
    },
  );

  // kubectl delete -l deletes by selector.
  conformanceCase(
    'kubectl-delete-by-label',
    'kubectl delete cm -l sweep=yes → deletes exactly the labelled ConfigMaps',
    async () => {
      const ns = await t.createNamespace('conf-kget-del');
      await create(t, cmPath(ns), configMap('s1', {}, { sweep: 'yes' }));
      await create(t, cmPath(ns), configMap('s2', {}, { sweep: 'yes' }));
      await create(t, cmPath(ns), configMap('stay'));
      const r = await t.client.kubectl(['-n', ns, 'delete', 'cm', '-l', 'sweep=yes']);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('configmap "s1" deleted\nconfigmap "s2" deleted\n');
      const left = await t.client.kubectl(['-n', ns, 'get', 'cm', '-o', 'name']);
      expect(lines(left.stdout)).toEqual(['configmap/stay']);
    },
  );

  // kubectl create configmap --from-literal (a client-side generator, then POST).
  conformanceCase(
    'kubectl-create-configmap-from-literal',
    'kubectl create configmap --from-literal=k=v → "configmap/lit created" with data {k: v}',
    async () => {
      const r = await t.client.kubectl(['-n', t.ns, 'create', 'configmap', 'lit', '--from-literal=k=v']);
      expect(r).toMatchObject({ code: 0, stdout: 'configmap/lit created\n' });
      expect((await t.client.get(cmPath(t.ns, 'lit'))).json.data).toEqual({ k: 'v' });
    },
  );

  // kubectl diff uses a server-side dry-run apply; exit 1 when there is a difference.
  conformanceCase(
    'kubectl-diff',
    'kubectl diff after kubectl apply: a changed manifest → exit 1 with the changed line; the applied manifest → exit 0, no output',
    async () => {
      const same = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: df\ndata:\n  a: "1"\n';
      // Created by apply, so the live object carries the last-applied annotation the diff's dry-run writes.
      expect((await t.client.kubectl(['-n', t.ns, 'apply', '-f', '-'], { stdin: same })).code).toBe(0);
      const changed = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: df\ndata:\n  a: "2"\n';
      const r = await t.client.kubectl(['-n', t.ns, 'diff', '-f', '-'], { stdin: changed });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^\+\s+a: "2"$/m);
      const unchanged = await t.client.kubectl(['-n', t.ns, 'diff', '-f', '-'], { stdin: same });
      expect({ code: unchanged.code, stdout: unchanged.stdout }).toEqual({ code: 0, stdout: '' });
    },
  );
});
