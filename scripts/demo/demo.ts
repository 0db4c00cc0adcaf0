/**
 * `pnpm demo`: until the operators land, a tour of the embedded API server — the piece everything else
 * is tested on. It starts the server, registers a CRD, creates resources, shows validation, watch
 * resume, a compaction (410) and a server restart, and checks each step. Exits 0 when every step
 * behaved as a real kube-apiserver would, non-zero with the failing step otherwise.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApiServer } from '@steward/apiserver';

const run = promisify(execFile);
const steps: { name: string; ms: number; ok: boolean; detail: string }[] = [];

async function step(name: string, fn: () => Promise<string>): Promise<void> {
  const t0 = performance.now();
  try {
    const detail = await fn();
    steps.push({ name, ms: performance.now() - t0, ok: true, detail });
    console.log(`  ✓ ${name}${detail ? ` — ${detail}` : ''}`);
  } catch (e) {
    steps.push({
      name,
      ms: performance.now() - t0,
      ok: false,
      detail: e instanceof Error ? e.message : String(e),
    });
    console.log(`  ✗ ${name} — ${e instanceof Error ? e.message : String(e)}`);
  }
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'postgresclusters.postgres.steward.dev' },
  spec: {
    group: 'postgres.steward.dev',
    scope: 'Namespaced',
    names: {
      plural: 'postgresclusters',
      singular: 'postgrescluster',
      kind: 'PostgresCluster',
      shortNames: ['pgc'],
    },
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Instances', type: 'integer', jsonPath: '.spec.instances' },
          { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['storage'],
                properties: {
                  instances: { type: 'integer', minimum: 1, maximum: 9, default: 1 },
                  version: { type: 'string', default: '16' },
                  storage: { type: 'object', properties: { size: { type: 'string' } }, required: ['size'] },
                },
                'x-kubernetes-validations': [
                  { rule: 'self.instances % 2 == 1', message: 'instances must be odd, so a quorum exists' },
                ],
              },
              status: { type: 'object', properties: { phase: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

async function api(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const dir = await mkdtemp(join(tmpdir(), 'steward-demo-'));
const kubeconfig = join(dir, 'kubeconfig');
const server = await startApiServer({ port: 0 });
const base = server.url;
await writeFile(kubeconfig, JSON.stringify(server.kubeConfig));
const hasKubectl = await run('kubectl', ['version', '--client']).then(
  () => true,
  () => false,
);
console.log(`Steward embedded API server at ${base} (kubeconfig: ${kubeconfig})\n`);

try {
  await step('register the PostgresCluster CRD and wait until it is Established', async () => {
    const created = await api(base, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    check(created.status === 201, `create CRD: HTTP ${created.status} ${JSON.stringify(created.json)}`);
    for (let i = 0; i < 100; i++) {
      const got = await api(
        base,
        'GET',
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/postgresclusters.postgres.steward.dev',
      );
      const conds =
        (got.json['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ??
        [];
      if (conds.some((c) => c.type === 'Established' && c.status === 'True'))
        return 'served at /apis/postgres.steward.dev/v1alpha1';
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('CRD never became Established');
  });

  const path = '/apis/postgres.steward.dev/v1alpha1/namespaces/default/postgresclusters';
  await step('create a cluster: defaults from the schema are applied', async () => {
    const r = await api(base, 'POST', path, {
      apiVersion: 'postgres.steward.dev/v1alpha1',
      kind: 'PostgresCluster',
      metadata: { name: 'orders' },
      spec: { instances: 3, storage: { size: '10Gi' } },
    });
    check(r.status === 201, `HTTP ${r.status}: ${JSON.stringify(r.json)}`);
    const spec = r.json['spec'] as { version?: string };
    check(spec.version === '16', `expected defaulted version "16", got ${JSON.stringify(spec)}`);
    return `generation ${(r.json['metadata'] as { generation: number }).generation}, spec.version defaulted to "16"`;
  });

  await step('an invalid cluster is refused with 422 and per-field causes', async () => {
    const r = await api(base, 'POST', path, {
      apiVersion: 'postgres.steward.dev/v1alpha1',
      kind: 'PostgresCluster',
      metadata: { name: 'bad' },
      spec: { instances: 2, storage: {} },
    });
    check(r.status === 422, `expected 422, got ${r.status}`);
    return String(r.json['message']);
  });

  await step('a stale update gets 409 Conflict (optimistic concurrency)', async () => {
    const got = await api(base, 'GET', `${path}/orders`);
    const stale = structuredClone(got.json) as {
      metadata: { resourceVersion: string };
      spec: { instances: number };
    };
    stale.spec.instances = 5;
    const first = await api(base, 'PUT', `${path}/orders`, stale);
    check(first.status === 200, `first update: HTTP ${first.status}`);
    const second = await api(base, 'PUT', `${path}/orders`, stale);
    check(second.status === 409, `expected 409, got ${second.status}`);
    return String(second.json['message']);
  });

  if (hasKubectl) {
    await step('kubectl get shows the CRD printer columns', async () => {
      const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pgc']);
      check(/INSTANCES/.test(stdout) && /orders\s+5/.test(stdout), `unexpected kubectl output:\n${stdout}`);
      return `\n${stdout.trimEnd().replace(/^/gm, '      ')}`;
    });
  } else {
    console.log('  - kubectl not found: skipping the kubectl step');
  }

  await step('a watch resumes from a resourceVersion; after compaction the server answers 410', async () => {
    const list = await api(base, 'GET', path);
    const rv = (list.json['metadata'] as { resourceVersion: string }).resourceVersion;
    server.faults.compact();
    const res = await fetch(`${base}${path}?watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
    const text = await res.text();
    const event = JSON.parse(text.split('\n')[0] ?? '{}') as {
      type?: string;
      object?: { code?: number; message?: string };
    };
    check(
      event.type === 'ERROR' && event.object?.code === 410,
      `expected ERROR 410, got ${text.slice(0, 200)}`,
    );
    return String(event.object.message);
  });

  await step('the server restarts on the same port and keeps its data', async () => {
    await server.restart(50);
    const got = await api(base, 'GET', `${path}/orders`);
    check(got.status === 200, `after restart: HTTP ${got.status}`);
    return `orders still has spec.instances=${(got.json['spec'] as { instances: number }).instances}`;
  });
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}

const failed = steps.filter((s) => !s.ok);
console.log(`\n${'step'.padEnd(84)} ms`);
for (const s of steps)
  console.log(`${(s.ok ? '✓ ' : '✗ ') + s.name.padEnd(82)} ${s.ms.toFixed(0).padStart(4)}`);
console.log(
  failed.length === 0
    ? '\nall steps behaved as a real API server would'
    : `\n${failed.length} step(s) failed`,
);
process.exit(failed.length === 0 ? 0 : 1);
