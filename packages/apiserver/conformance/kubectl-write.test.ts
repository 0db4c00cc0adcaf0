// Conformance through the real kubectl: patch of every type, label/annotate, delete with finalizers, wait
// (issue 3 "kubectl cases"; kubectl 1.32 pkg/cmd/{patch,label,annotate,delete,wait}).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { IMAGE, cmPath, configMap, create, deployPath, deployment, expectOk } from './fixtures.js';
import { sleep, useTarget } from './target.js';

const t = useTarget('kubectl-write');
const HOLD = 'conformance.steward.dev/hold';

describe('kubectl writes', () => {
  conformanceCase(
    'kubectl-patch-merge',
    'kubectl patch --type merge → "configmap/p1 patched" and key added',
    async () => {
      await create(t, cmPath(t.ns), configMap('p1', { a: '1' }));
      const r = await t.client.kubectl([
        '-n',
        t.ns,
        'patch',
        'cm',
        'p1',
        '--type',
        'merge',
        '-p',
        '{"data":{"b":"2"}}',
      ]);
      expect(r).toMatchObject({ code: 0, stdout: 'configmap/p1 patched\n' });
      expect((await t.client.get(cmPath(t.ns, 'p1'))).json.data).toEqual({ a: '1', b: '2' });
    },
  );

  conformanceCase('kubectl-patch-json', 'kubectl patch --type json → key replaced', async () => {
    await create(t, cmPath(t.ns), configMap('p2', { a: '1' }));
    const r = await t.client.kubectl([
      '-n',
      t.ns,
      'patch',
      'cm',
      'p2',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/data/a","value":"9"}]',
    ]);
    expect(r.code).toBe(0);
    expect((await t.client.get(cmPath(t.ns, 'p2'))).json.data).toEqual({ a: '9' });
  });

  conformanceCase(
    'kubectl-patch-strategic',
    'kubectl patch --type strategic of a Deployment adds a container by name',
    async () => {
      await create(t, deployPath(t.ns), deployment('p3'));
      const patch = JSON.stringify({
        spec: {
          template: { spec: { containers: [{ name: 'sidecar', image: IMAGE }] } },
        },
      });
      const r = await t.client.kubectl([
        '-n',
        t.ns,
        'patch',
        'deployment',
        'p3',
        '--type',
        'strategic',
        '-p',
        patch,
      ]);
      expect(r).toMatchObject({ code: 0, stdout: 'deployment.apps/p3 patched\n' });
      const got = (await t.client.get(deployPath(t.ns, 'p3'))).json;
      expect(got.spec.template.spec.containers.map((c: any) => c.name).sort()).toEqual(['main', 'sidecar']);
    },
  );

  conformanceCase(
    'kubectl-patch-no-change',
    'kubectl patch that changes nothing → "configmap/p4 patched (no change)"',
    async () => {
      await create(t, cmPath(t.ns), configMap('p4', { a: '1' }));
      const r = await t.client.kubectl([
        '-n',
        t.ns,
        'patch',
        'cm',
        'p4',
        '--type',
        'merge',
        '-p',
        '{"data":{"a":"1"}}',
      ]);
      expect(r).toMatchObject({ code: 0, stdout: 'configmap/p4 patched (no change)\n' });
    },
  );

  conformanceCase(
    'kubectl-label',
    'kubectl label → "configmap/l1 labeled"; --overwrite needed to change; "key-" removes',
    async () => {
      await create(t, cmPath(t.ns), configMap('l1'));
      expect(await t.client.kubectl(['-n', t.ns, 'label', 'cm', 'l1', 'env=prod'])).toMatchObject({
        code: 0,
        stdout: 'configmap/l1 labeled\n',
      });
      const clash = await t.client.kubectl(['-n', t.ns, 'label', 'cm', 'l1', 'env=dev']);
      expect(clash.code).toBe(1);
      expect((await t.client.kubectl(['-n', t.ns, 'label', 'cm', 'l1', 'env=dev', '--overwrite'])).code).toBe(
        0,
      );
      expect((await t.client.get(cmPath(t.ns, 'l1'))).json.metadata.labels).toEqual({ env: 'dev' });
      expect((await t.client.kubectl(['-n', t.ns, 'label', 'cm', 'l1', 'env-'])).code).toBe(0);
      expect((await t.client.get(cmPath(t.ns, 'l1'))).json.metadata.labels ?? {}).toEqual({});
    },
  );

  conformanceCase(
    'kubectl-annotate',
    'kubectl annotate → "configmap/n1 annotated" and the annotation stored',
    async () => {
      await create(t, cmPath(t.ns), configMap('n1'));
      const r = await t.client.kubectl(['-n', t.ns, 'annotate', 'cm', 'n1', 'steward.dev/note=hello']);
      expect(r).toMatchObject({ code: 0, stdout: 'configmap/n1 annotated\n' });
      expect((await t.client.get(cmPath(t.ns, 'n1'))).json.metadata.annotations).toEqual({
        'steward.dev/note': 'hello',
      });
    },
  );

  conformanceCase(
    'kubectl-delete',
    'kubectl delete cm → `configmap "d1" deleted` and the object gone',
    async () => {
      await create(t, cmPath(t.ns), configMap('d1'));
      const r = await t.client.kubectl(['-n', t.ns, 'delete', 'cm', 'd1']);
      expect(r).toMatchObject({ code: 0, stdout: 'configmap "d1" deleted\n' });
      expect((await t.client.get(cmPath(t.ns, 'd1'))).status).toBe(404);
    },
  );

  // Deleting an object held by a finalizer returns at once with --wait=false; it stays, marked.
  conformanceCase(
    'kubectl-delete-finalizer-no-wait',
    'kubectl delete --wait=false of an object with finalizers → exit 0 at once; object remains with deletionTimestamp',
    async () => {
      await create(t, cmPath(t.ns), { ...configMap('d2'), metadata: { name: 'd2', finalizers: [HOLD] } });
      const started = Date.now();
      const r = await t.client.kubectl(['-n', t.ns, 'delete', 'cm', 'd2', '--wait=false']);
      expect(r).toMatchObject({ code: 0, stdout: 'configmap "d2" deleted\n' });
      expect(Date.now() - started).toBeLessThan(5000);
      const got = (await t.client.get(cmPath(t.ns, 'd2'))).json;
      expect(got.metadata.deletionTimestamp).toEqual(expect.any(String));
      await t.client.patch(cmPath(t.ns, 'd2'), 'merge', { metadata: { finalizers: null } });
    },
  );

  // kubectl delete waits (by default) until a finalizer is released.
  conformanceCase(
    'kubectl-delete-waits-for-finalizer',
    'kubectl delete (waiting) returns once the finalizer is removed by someone else',
    async () => {
      await create(t, cmPath(t.ns), { ...configMap('d3'), metadata: { name: 'd3', finalizers: [HOLD] } });
      const pending = t.client.kubectl(['-n', t.ns, 'delete', 'cm', 'd3', '--timeout=10s']);
      await sleep(800);
      expectOk(await t.client.patch(cmPath(t.ns, 'd3'), 'merge', { metadata: { finalizers: null } }), 200);
      const r = await pending;
      expect(r.code).toBe(0);
      expect((await t.client.get(cmPath(t.ns, 'd3'))).status).toBe(404);
    },
  );

  // --cascade=orphan → propagationPolicy Orphan → the orphan finalizer. Seen through a watch, because a
  // cluster's garbage collector removes the finalizer (and the object) right after.
  conformanceCase(
    'kubectl-delete-cascade-orphan',
    'kubectl delete --cascade=orphan --wait=false → a MODIFIED event with finalizer "orphan" and deletionTimestamp',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('d4'));
      const w = await t.client.watch(cmPath(t.ns), {
        resourceVersion: made.metadata.resourceVersion,
        fieldSelector: 'metadata.name=d4',
        timeoutSeconds: 10,
      });
      try {
        const r = await t.client.kubectl([
          '-n',
          t.ns,
          'delete',
          'cm',
          'd4',
          '--cascade=orphan',
          '--wait=false',
        ]);
        expect(r.code).toBe(0);
        expect(await w.next()).toMatchObject({
          type: 'MODIFIED',
          object: { metadata: { finalizers: ['orphan'], deletionTimestamp: expect.any(String) } },
        });
      } finally {
        w.close();
        await t.client.patch(cmPath(t.ns, 'd4'), 'merge', { metadata: { finalizers: null } });
      }
    },
  );

  // kubectl wait --for=delete returns when the object goes.
  conformanceCase(
    'kubectl-wait-for-delete',
    'kubectl wait --for=delete returns "condition met" once the finalizer is released',
    async () => {
      await create(t, cmPath(t.ns), { ...configMap('w1'), metadata: { name: 'w1', finalizers: [HOLD] } });
      await t.client.delete(cmPath(t.ns, 'w1'));
      const pending = t.client.kubectl(['-n', t.ns, 'wait', '--for=delete', 'cm/w1', '--timeout=10s']);
      await sleep(800);
      await t.client.patch(cmPath(t.ns, 'w1'), 'merge', { metadata: { finalizers: null } });
      const r = await pending;
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('configmap/w1 condition met');
    },
  );

  // kubectl wait --for=delete on an absent object succeeds at once.
  conformanceCase(
    'kubectl-wait-for-delete-absent',
    'kubectl wait --for=delete of an object that is already gone → exit 0',
    async () => {
      await create(t, cmPath(t.ns), configMap('w2'));
      await t.client.delete(cmPath(t.ns, 'w2'));
      const r = await t.client.kubectl(['-n', t.ns, 'wait', '--for=delete', 'cm/w2', '--timeout=5s']);
      expect(r.code).toBe(0);
    },
  );

  // kubectl wait --for=jsonpath watches a field.
  conformanceCase(
    'kubectl-wait-for-jsonpath',
    'kubectl wait --for=jsonpath={.data.ready}=yes returns once the field is set',
    async () => {
      await create(t, cmPath(t.ns), configMap('w3', { ready: 'no' }));
      const pending = t.client.kubectl([
        '-n',
        t.ns,
        'wait',
        '--for=jsonpath={.data.ready}=yes',
        'cm/w3',
        '--timeout=10s',
      ]);
      await sleep(800);
      await t.client.patch(cmPath(t.ns, 'w3'), 'merge', { data: { ready: 'yes' } });
      const r = await pending;
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('configmap/w3 condition met');
    },
  );

  // kubectl rollout restart patches a restartedAt annotation into the pod template.
  conformanceCase(
    'kubectl-rollout-restart',
    'kubectl rollout restart deployment/<name> → "restarted" and template annotation kubectl.kubernetes.io/restartedAt set',
    async () => {
      await create(t, deployPath(t.ns), deployment('rr'));
      const r = await t.client.kubectl(['-n', t.ns, 'rollout', 'restart', 'deployment/rr']);
      expect(r).toMatchObject({ code: 0, stdout: 'deployment.apps/rr restarted\n' });
      const got = (await t.client.get(deployPath(t.ns, 'rr'))).json;
      expect(got.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toEqual(
        expect.any(String),
      );
      expect(got.metadata.generation).toBe(2);
    },
  );
});
