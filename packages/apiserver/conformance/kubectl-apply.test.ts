// Conformance through the real kubectl: create, apply (client- and server-side), replace, dry run
// (issue 3 "kubectl cases"; kubectl 1.32 staging/src/k8s.io/kubectl/pkg/cmd/apply).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { cmPath, expectOk } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('kubectl-apply');

const cmYaml = (name: string, data: Record<string, string>) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${Object.entries(data)
    .map(([k, v]) => `  ${k}: "${v}"`)
    .join('\n')}\n`;

describe('kubectl apply and friends', () => {
  // kubectl create -f - prints "<kind>/<name> created".
  conformanceCase(
    'kubectl-create',
    'kubectl create -f - → exit 0, "configmap/kc1 created", object stored',
    async () => {
      const r = await t.client.kubectl(['-n', t.ns, 'create', '-f', '-'], {
        stdin: cmYaml('kc1', { a: '1' }),
      });
      expect(r).toMatchObject({ code: 0, stdout: 'configmap/kc1 created\n' });
      expect((await t.client.get(cmPath(t.ns, 'kc1'))).json.data).toEqual({ a: '1' });
    },
  );

  // kubectl create of an existing object shows the server's AlreadyExists message.
  conformanceCase(
    'kubectl-create-already-exists',
    'kubectl create of an existing name → exit 1, `Error from server (AlreadyExists): error when creating "STDIN": configmaps "kc2" already exists`',
    async () => {
      await t.client.kubectl(['-n', t.ns, 'create', '-f', '-'], { stdin: cmYaml('kc2', { a: '1' }) });
      const r = await t.client.kubectl(['-n', t.ns, 'create', '-f', '-'], {
        stdin: cmYaml('kc2', { a: '1' }),
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'Error from server (AlreadyExists): error when creating "STDIN": configmaps "kc2" already exists',
      );
    },
  );

  // Client-side apply: created, configured, unchanged; last-applied annotation recorded.
  conformanceCase(
    'kubectl-apply-client-side',
    'kubectl apply: "created", then "configured" on change, then "unchanged"; last-applied-configuration annotation set',
    async () => {
      const r1 = await t.client.kubectl(['-n', t.ns, 'apply', '-f', '-'], {
        stdin: cmYaml('ka1', { a: '1' }),
      });
      expect(r1).toMatchObject({ code: 0, stdout: 'configmap/ka1 created\n' });
      const r2 = await t.client.kubectl(['-n', t.ns, 'apply', '-f', '-'], {
        stdin: cmYaml('ka1', { a: '2' }),
      });
      expect(r2).toMatchObject({ code: 0, stdout: 'configmap/ka1 configured\n' });
      const r3 = await t.client.kubectl(['-n', t.ns, 'apply', '-f', '-'], {
        stdin: cmYaml('ka1', { a: '2' }),
      });
      expect(r3).toMatchObject({ code: 0, stdout: 'configmap/ka1 unchanged\n' });
      const got = (await t.client.get(cmPath(t.ns, 'ka1'))).json;
      expect(got.data).toEqual({ a: '2' });
      expect(
        JSON.parse(got.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']),
      ).toMatchObject({ data: { a: '2' } });
    },
  );

  // Client-side apply removes a key dropped from the manifest (three-way merge).
  conformanceCase(
    'kubectl-apply-prunes-removed-key',
    'kubectl apply of a manifest without key b → b removed from the object',
    async () => {
      await t.client.kubectl(['-n', t.ns, 'apply', '-f', '-'], { stdin: cmYaml('ka2', { a: '1', b: '2' }) });
      const r = await t.client.kubectl(['-n', t.ns, 'apply', '-f', '-'], {
        stdin: cmYaml('ka2', { a: '1' }),
      });
      expect(r.code).toBe(0);
      expect((await t.client.get(cmPath(t.ns, 'ka2'))).json.data).toEqual({ a: '1' });
    },
  );

  // Server-side apply through kubectl: "serverside-applied", manager "kubectl".
  conformanceCase(
    'kubectl-apply-server-side',
    'kubectl apply --server-side → "serverside-applied" and managedFields manager kubectl, operation Apply',
    async () => {
      const r = await t.client.kubectl(['-n', t.ns, 'apply', '--server-side', '-f', '-'], {
        stdin: cmYaml('ks1', { a: '1' }),
      });
      expect(r).toMatchObject({ code: 0, stdout: 'configmap/ks1 serverside-applied\n' });
      const got = (await t.client.get(cmPath(t.ns, 'ks1'))).json;
      expect(got.metadata.managedFields).toEqual([
        expect.objectContaining({ manager: 'kubectl', operation: 'Apply' }),
      ]);
    },
  );

  // Server-side apply conflict surfaces as kubectl's error with the server message.
  conformanceCase(
    'kubectl-apply-server-side-conflict',
    'kubectl apply --server-side over a field owned by another manager → exit 1 with `conflict with "other"`; --force-conflicts wins',
    async () => {
      expectOk(
        await t.client.patch(
          cmPath(t.ns, 'ks2'),
          'apply',
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ks2' }, data: { a: '1' } },
          { fieldManager: 'other' },
        ),
        201,
      );
      const r = await t.client.kubectl(['-n', t.ns, 'apply', '--server-side', '-f', '-'], {
        stdin: cmYaml('ks2', { a: '2' }),
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Apply failed with 1 conflict: conflict with "other": .data.a');
      const forced = await t.client.kubectl(
        ['-n', t.ns, 'apply', '--server-side', '--force-conflicts', '-f', '-'],
        { stdin: cmYaml('ks2', { a: '2' }) },
      );
      expect(forced.code).toBe(0);
      expect((await t.client.get(cmPath(t.ns, 'ks2'))).json.data).toEqual({ a: '2' });
    },
  );

  // kubectl replace -f - → PUT.
  conformanceCase(
    'kubectl-replace',
    'kubectl replace -f - → "configmap/kr1 replaced" and data replaced',
    async () => {
      await t.client.kubectl(['-n', t.ns, 'create', '-f', '-'], { stdin: cmYaml('kr1', { a: '1' }) });
      const r = await t.client.kubectl(['-n', t.ns, 'replace', '-f', '-'], {
        stdin: cmYaml('kr1', { b: '2' }),
      });
      expect(r).toMatchObject({ code: 0, stdout: 'configmap/kr1 replaced\n' });
      expect((await t.client.get(cmPath(t.ns, 'kr1'))).json.data).toEqual({ b: '2' });
    },
  );

  // kubectl apply --dry-run=server validates without writing.
  conformanceCase(
    'kubectl-apply-dry-run-server',
    'kubectl apply --dry-run=server → "configmap/kd1 created (server dry run)" and nothing stored',
    async () => {
      const r = await t.client.kubectl(['-n', t.ns, 'apply', '--dry-run=server', '-f', '-'], {
        stdin: cmYaml('kd1', { a: '1' }),
      });
      expect(r).toMatchObject({ code: 0, stdout: 'configmap/kd1 created (server dry run)\n' });
      expect((await t.client.get(cmPath(t.ns, 'kd1'))).status).toBe(404);
    },
  );

  // kubectl shows server validation errors.
  conformanceCase(
    'kubectl-create-invalid',
    'kubectl create of an invalid name → exit 1 with `The ConfigMap "Bad_Name" is invalid`',
    async () => {
      const r = await t.client.kubectl(['-n', t.ns, 'create', '-f', '-'], {
        stdin: cmYaml('Bad_Name', { a: '1' }),
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"',
      );
    },
  );

  // A multi-document apply creates every object.
  conformanceCase(
    'kubectl-apply-multi-doc',
    'kubectl apply of two YAML documents → both created',
    async () => {
      const r = await t.client.kubectl(['-n', t.ns, 'apply', '-f', '-'], {
        stdin: `${cmYaml('km1', { a: '1' })}---\n${cmYaml('km2', { b: '2' })}`,
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('configmap/km1 created\nconfigmap/km2 created\n');
    },
  );
});
