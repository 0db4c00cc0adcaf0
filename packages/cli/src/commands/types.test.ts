import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from '@jest/globals';
import { stringify } from 'yaml';
import { run } from '../program.js';
import { generateTypes } from './types.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixtures = join(root, 'packages/cli/test/fixtures/crds');
const golden = join(root, 'packages/cli/test/golden/types');
const tmp = mkdtempSync(join(tmpdir(), 'steward-types-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

/** A made-up CRD with the extensions the third-party fixtures do not use. */
const extensions = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'jobtemplates.batch.example.com' },
  spec: {
    group: 'batch.example.com',
    scope: 'Cluster',
    names: {
      kind: 'JobTemplate',
      listKind: 'JobTemplateList',
      plural: 'job-templates',
      singular: 'jobtemplate',
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                required: ['template'],
                properties: {
                  template: {
                    type: 'object',
                    'x-kubernetes-embedded-resource': true,
                    'x-kubernetes-preserve-unknown-fields': true,
                  },
                  suspendAfter: { type: 'string', nullable: true },
                  limits: {
                    type: 'object',
                    nullable: true,
                    properties: {
                      cpu: {
                        'x-kubernetes-int-or-string': true,
                        anyOf: [{ type: 'integer' }, { type: 'string' }],
                      },
                    },
                  },
                  extra: {
                    type: 'object',
                    'x-kubernetes-preserve-unknown-fields': true,
                    properties: { owner: { type: 'string' } },
                  },
                  anything: { 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
            },
          },
        },
      },
      { name: 'v0', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
  },
};

describe('steward types generate', () => {
  test('the fixtures generate the golden modules (STEWARD_UPDATE_GOLDEN=1 rewrites them)', async () => {
    const modules = await generateTypes(fixtures);
    if (process.env['STEWARD_UPDATE_GOLDEN'] === '1') {
      rmSync(golden, { recursive: true, force: true });
      mkdirSync(golden, { recursive: true });
      for (const m of modules) writeFileSync(join(golden, m.file), m.text);
    }
    expect(modules.map((m) => m.file)).toEqual(readdirSync(golden).sort());
    for (const m of modules) expect(m.text).toBe(readFileSync(join(golden, m.file), 'utf8'));
  });

  test('the Kubernetes extensions map onto TypeScript; unserved versions are skipped', async () => {
    const file = join(tmp, 'jobtemplates.yaml');
    writeFileSync(file, stringify(extensions));
    const modules = await generateTypes(file);
    expect(modules.map((m) => m.file)).toEqual(['jobTemplate.v1.ts']);
    const text = modules[0]?.text ?? '';
    expect(text).toContain("import type { KubeObject, ObjectMeta, ResourceRef } from '@steward/core';");
    expect(text).toMatch(
      /template: \{\n\s+apiVersion: string;\n\s+kind: string;\n\s+metadata\?: ObjectMeta;\n\s+\[k: string\]: unknown;/,
    );
    expect(text).toContain('suspendAfter?: string | null;');
    expect(text).toMatch(/limits\?: \{\n\s+cpu\?: number \| string;\n\s+\} \| null;/);
    expect(text).toMatch(/extra\?: \{\n\s+owner\?: string;\n\s+\[k: string\]: unknown;/);
    expect(text).toContain('anything?: unknown;');
    expect(text).toContain(
      "export const jobTemplates: ResourceRef = refFor(\n  'batch.example.com/v1',\n  'JobTemplate',\n  'job-templates',\n  false,\n);",
    );
  });

  test('the generated modules type-check with the workspace TypeScript and plug into the client', async () => {
    const dir = join(tmp, 'check');
    const out = join(dir, 'generated');
    writeFileSync(join(tmp, 'jobtemplates.yaml'), stringify(extensions));
    const { io, err } = capture();
    expect(await run(['types', 'generate', fixtures, '--out', out], io)).toBe(0);
    expect(await run(['types', 'generate', join(tmp, 'jobtemplates.yaml'), '--out', out], io)).toBe(0);
    expect(err()).toBe('');
    writeFileSync(
      join(dir, 'use.ts'),
      `import type { KubeClient } from '@steward/core';
import { certificates, type Certificate } from './generated/certificate.v1.js';
import { servicemonitors, type ServiceMonitorSpec } from './generated/serviceMonitor.v1.js';
import { kafkatopics, type KafkaTopic } from './generated/kafkaTopic.v1beta2.js';
import type { JobTemplate } from './generated/jobTemplate.v1.js';

type Endpoint = NonNullable<ServiceMonitorSpec['endpoints']>[number];
export async function use(client: KubeClient): Promise<string[]> {
  const cert = await client.get<Certificate>(certificates, 'web', { namespace: 'apps' });
  const topic = await client.get<KafkaTopic>(kafkatopics, 'orders', { namespace: 'kafka' });
  await client.list(servicemonitors);
  const byName: Endpoint['targetPort'] = 'metrics';
  const byNumber: Endpoint['targetPort'] = 9090;
  // @ts-expect-error -- the scheme is an enum
  const scheme: Endpoint['scheme'] = 'ftp';
  // @ts-expect-error -- spec.secretName is required
  const bad: Certificate['spec'] = { issuerRef: { name: 'ca' } };
  const job: JobTemplate['spec'] = { template: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' } }, suspendAfter: null };
  const config: unknown = topic.spec?.config?.['retention.ms'];
  return [cert.spec?.secretName ?? '', String(byName), String(byNumber), String(scheme), String(bad), String(job), String(config)];
}
`,
    );
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(root, 'tsconfig.base.json'),
        compilerOptions: {
          noEmit: true,
          composite: false,
          declaration: false,
          declarationMap: false,
          typeRoots: [join(root, 'node_modules/@types')],
          // The declarations users get from the published package (dist/, built by `pnpm build`).
          paths: { '@steward/core': [join(root, 'packages/core/dist/index.d.ts')] },
        },
        include: ['*.ts', 'generated/*.ts'],
      }),
    );
    // Up to date after `pnpm build` (CI builds first), so this writes nothing there.
    await tsc(['-b', join(root, 'packages/core')]);
    const result = await tsc(['-p', dir]);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);
});

function tsc(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(join(root, 'node_modules/.bin/tsc'), args, (e, stdout, stderr) => {
      resolve({ code: e ? Number(e.code) : 0, output: stdout + stderr });
    });
  });
}

async function fails(args: string[]): Promise<string> {
  const { io, err } = capture();
  expect(await run(['types', 'generate', ...args], io)).toBe(1);
  return err();
}

describe('steward types generate errors', () => {
  test('a file that is not a CRD names its kind', async () => {
    const file = join(tmp, 'configmap.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    expect(await fails([file, '--out', tmp])).toBe(
      `steward: ${file}: kind is ConfigMap, not CustomResourceDefinition\n`,
    );
  });

  test('invalid YAML gives the line and column', async () => {
    const file = join(tmp, 'broken.yaml');
    writeFileSync(
      file,
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nkind: Again\nspec: {}\n',
    );
    expect(await fails([file, '--out', tmp])).toBe(
      `steward: ${file}:3:1: invalid YAML: Map keys must be unique\n`,
    );
  });

  test('a CRD version without a schema names the CRD and the version', async () => {
    const file = join(tmp, 'noschema.yaml');
    const crd = structuredClone(extensions) as { spec: { versions: Record<string, unknown>[] } };
    delete crd.spec.versions[0]?.['schema'];
    writeFileSync(file, stringify(crd));
    expect(await fails([file, '--out', tmp])).toMatch(
      `steward: ${file}: CRD jobtemplates.batch.example.com version v1 has no schema.openAPIV3Schema;`,
    );
  });

  test('a missing path, an empty directory and a missing --out', async () => {
    expect(await fails(['nope.yaml', '--out', tmp])).toMatch(
      /^steward: nope\.yaml: no such file or directory; /,
    );
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    expect(await fails([empty, '--out', tmp])).toMatch(/no \.yaml or \.yml files in this directory/);
    expect(await fails([fixtures])).toContain("required option '-o, --out <dir>' not specified");
  });
});
