/**
 * The loader as users meet it: the built bin (`dist/`) run by plain Node on a TypeScript project
 * outside this workspace, where no Jest or workspace hook compiles TypeScript for it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(root, 'packages/cli/bin/steward.js');
const project = mkdtempSync(join(tmpdir(), 'steward-outside-'));

beforeAll(() => {
  // Up to date after `pnpm build` (CI builds first), so this writes nothing there; locally it keeps
  // dist/ from lagging the sources under test. Type errors elsewhere do not stop the emit.
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'packages/cli'], { cwd: root, stdio: 'pipe' });
  } catch {
    // reported by `pnpm typecheck`; the files this test needs are still emitted
  }
  mkdirSync(join(project, 'node_modules/@steward'), { recursive: true });
  symlinkSync(join(root, 'packages/core'), join(project, 'node_modules/@steward/core'), 'dir');
  writeFileSync(join(project, 'package.json'), '{ "name": "outside", "type": "module" }\n');
  mkdirSync(join(project, 'src'));
  // Fields typed only by TypeScript: their schema needs `design:type` metadata from the compiler.
  writeFileSync(
    join(project, 'src/spec.ts'),
    `import { Description } from '@steward/core';
export class ThingSpec {
  @Description('how many things') replicas!: number;
  @Description('their colour') colour!: string;
}
`,
  );
  writeFileSync(
    join(project, 'src/operator.ts'),
    `import { CustomResource, Description, defineOperator } from '@steward/core';
import type { OperatorDefinition } from '@steward/core';
import { ThingSpec } from './spec.js';

@CustomResource({ group: 'outside.example.com', version: 'v1', kind: 'Thing' })
export class Thing {
  @Description('the desired things') spec!: ThingSpec;
}
const operator: OperatorDefinition = defineOperator({ name: 'thing-operator', resources: [Thing], setup: () => {} });
export default operator;
`,
  );
  writeFileSync(join(project, 'src/broken.ts'), 'export const x: number = ;\n');
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

function steward(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: project }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

test('crd generate compiles a TypeScript operator with decorator metadata and .js imports of .ts files', async () => {
  const r = await steward(['crd', 'generate', 'src/operator.ts', '--out', 'crds']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const crd = parse(readFileSync(join(project, 'crds/things.outside.example.com.yaml'), 'utf8')) as {
    spec: { versions: { schema: { openAPIV3Schema: { properties: { spec: unknown } } } }[] };
  };
  expect(crd.spec.versions[0]?.schema.openAPIV3Schema.properties.spec).toEqual({
    type: 'object',
    description: 'the desired things',
    properties: {
      replicas: { type: 'number', description: 'how many things' },
      colour: { type: 'string', description: 'their colour' },
    },
  });
});

test('a syntax error is one line naming the file and the position', async () => {
  const r = await steward(['crd', 'generate', 'src/broken.ts', '--stdout']);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^steward: src\/broken\.ts: import failed: .+ \(at 1:\d+\)\n$/);
});
