/**
 * Checks that the control plane started by `scripts/control-plane/start.sh` is a working cluster:
 * kubectl reaches it, RBAC is enforced, and the real controllers (Deployment, ReplicaSet, StatefulSet,
 * namespace, garbage collector, service-account, ClusterIP allocation) act on what we create.
 *
 * Run through `scripts/control-plane/test-integration.sh`, which exports STEWARD_CONTROL_PLANE_KUBECONFIG.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

const kubeconfig = process.env['STEWARD_CONTROL_PLANE_KUBECONFIG'];

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl against the plane; never throws, so a test can assert on failures too. */
function kubectl(args: string[], input?: string): Promise<Result> {
  return new Promise((resolve) => {
    if (!kubeconfig)
      throw new Error(
        'STEWARD_CONTROL_PLANE_KUBECONFIG is not set: run scripts/control-plane/test-integration.sh',
      );
    const child = execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, ...args],
      { timeout: 90_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function ok(args: string[], input?: string): Promise<string> {
  const r = await kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

interface OwnerReference {
  kind: string;
  name: string;
  controller?: boolean;
}

/** The few fields these checks read from the objects kubectl prints. */
interface KubeObject {
  metadata: { name: string; uid: string; ownerReferences?: OwnerReference[] };
  spec?: { clusterIP?: string };
  items?: KubeObject[];
}

async function json(args: string[]): Promise<KubeObject> {
  return JSON.parse(await ok([...args, '-o', 'json'])) as KubeObject;
}

async function list(args: string[]): Promise<KubeObject[]> {
  return (await json(args)).items ?? [];
}

/** Polls until `check` returns a value other than undefined; controllers act asynchronously. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const ns = `cp-it-${Math.random().toString(36).slice(2, 8)}`;

describe('real control plane', () => {
  beforeAll(async () => {
    if (!kubeconfig)
      throw new Error(
        'STEWARD_CONTROL_PLANE_KUBECONFIG is not set: run scripts/control-plane/test-integration.sh',
      );
    await ok(['create', 'namespace', ns]);
  });
  afterAll(async () => {
    if (kubeconfig) await kubectl(['delete', 'namespace', ns, '--wait=false']);
  });

  test('kubectl lists the built-in namespaces and the server reports v1.37', async () => {
    const names = (await list(['get', 'namespaces'])).map((n) => n.metadata.name);
    expect(names).toEqual(
      expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']),
    );
    const version = JSON.parse(await ok(['get', '--raw', '/version']));
    expect(version.gitVersion).toMatch(/^v1\.37\./);
  });

  test('RBAC is on: an unbound user is forbidden, the admin is allowed', async () => {
    const denied = await kubectl(['get', 'pods', '-n', ns, '--as', 'nobody']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('pods is forbidden: User "nobody" cannot list resource "pods"');
    expect((await ok(['auth', 'can-i', 'create', 'pods', '-n', ns])).trim()).toBe('yes');
  });

  test('the service-account controller creates the default ServiceAccount in a new namespace', async () => {
    const sa = await eventually('default ServiceAccount', async () => {
      const r = await kubectl(['get', 'serviceaccount', 'default', '-n', ns, '-o', 'json']);
      return r.code === 0 ? JSON.parse(r.stdout) : undefined;
    });
    expect(sa.metadata.name).toBe('default');
  });

  test('a Service gets a ClusterIP from the plane service range', async () => {
    await ok(['create', 'service', 'clusterip', 'web', '--tcp', '80:8080', '-n', ns]);
    const svc = await json(['get', 'service', 'web', '-n', ns]);
    expect(svc.spec?.clusterIP).toMatch(/^10\.0\.0\.\d+$/);
  });

  test('a Deployment gets a ReplicaSet and its Pods from the real controllers', async () => {
    await ok([
      'create',
      'deployment',
      'web',
      '--image',
      'registry.invalid/web:1',
      '--replicas',
      '2',
      '-n',
      ns,
    ]);
    const rs = await eventually('ReplicaSet of web', async () => {
      const items = await list(['get', 'replicasets', '-n', ns, '-l', 'app=web']);
      return items.length === 1 ? items[0] : undefined;
    });
    expect(rs.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      controller: true,
    });
    const pods = await eventually('2 pods of web', async () => {
      const items = await list(['get', 'pods', '-n', ns, '-l', 'app=web']);
      return items.length === 2 ? items : undefined;
    });
    for (const p of pods)
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: rs.metadata.name });
  });

  test('foreground deletion of the Deployment: the garbage collector removes its ReplicaSet and Pods', async () => {
    await ok(['create', 'deployment', 'gc', '--image', 'registry.invalid/gc:1', '-n', ns]);
    await eventually('pod of gc', async () => {
      const items = await list(['get', 'pods', '-n', ns, '-l', 'app=gc']);
      return items.length === 1 ? true : undefined;
    });
    await ok([
      'delete',
      'deployment',
      'gc',
      '-n',
      ns,
      '--cascade=foreground',
      '--wait=true',
      '--timeout=30s',
    ]);
    const left = await list(['get', 'replicasets,pods', '-n', ns, '-l', 'app=gc']);
    expect(left).toEqual([]);
  }, 60_000);

  test('an owner reference alone is enough for the garbage collector', async () => {
    const owner = await json(['create', 'configmap', 'owner', '-n', ns]);
    const owned = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'owned',
        namespace: ns,
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid }],
      },
    };
    await ok(['create', '-f', '-'], JSON.stringify(owned));
    await ok(['delete', 'configmap', 'owner', '-n', ns]);
    const gone = await eventually('owned ConfigMap collected', async () => {
      const r = await kubectl(['get', 'configmap', 'owned', '-n', ns]);
      return r.code !== 0 ? r.stderr : undefined;
    });
    expect(gone).toContain('configmaps "owned" not found');
  });

  test('a StatefulSet gets its first ordinal Pod (and only it, while that Pod is not Ready)', async () => {
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: ns },
      spec: {
        serviceName: 'db',
        replicas: 3,
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: { containers: [{ name: 'db', image: 'registry.invalid/db:1' }] },
        },
      },
    };
    await ok(['create', '-f', '-'], JSON.stringify(sts));
    await eventually('pod db-0', async () => {
      const r = await kubectl(['get', 'pod', 'db-0', '-n', ns]);
      return r.code === 0 ? true : undefined;
    });
    // OrderedReady: no kubelet runs here, so db-0 never becomes Ready and db-1 must not appear.
    await new Promise((r) => setTimeout(r, 2_000));
    const names = (await list(['get', 'pods', '-n', ns, '-l', 'app=db'])).map((p) => p.metadata.name);
    expect(names).toEqual(['db-0']);
  });

  test('deleting a namespace empties it and removes it (namespace controller)', async () => {
    const doomed = `${ns}-doomed`;
    await ok(['create', 'namespace', doomed]);
    await ok(['create', 'configmap', 'x', '-n', doomed, '--from-literal', 'a=b']);
    await ok(['delete', 'namespace', doomed, '--wait=true', '--timeout=60s']);
    const r = await kubectl(['get', 'namespace', doomed]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`namespaces "${doomed}" not found`);
  }, 90_000);
});
