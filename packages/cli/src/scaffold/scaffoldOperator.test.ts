import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from '@jest/globals';
import { crdFor, isOperatorDefinition } from '@steward/core';
import type { Class, OperatorDefinition } from '@steward/core';
import { run } from '../program.js';
import { generateManifests } from '../manifests/generate.js';
import { scaffoldNames } from './names.js';
import { operatorModel } from './operatorModel.js';
import { render, scaffoldOperator } from './scaffoldOperator.js';

const GOLDEN = fileURLToPath(new URL('../../test/golden/new/widget-operator/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'steward-new-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listFiles(root, join(dir, e.name)) : [relative(root, join(dir, e.name))],
    )
    .sort();
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

describe('the generated tree (golden files; STEWARD_UPDATE_GOLDEN=1 rewrites them)', () => {
  test('widget-operator --group example.com --kind Widget matches test/golden/new/widget-operator', async () => {
    const dir = join(tmp, 'golden', 'widget-operator');
    const result = await scaffoldOperator({ dir, group: 'example.com', kind: 'Widget' });
    expect(result.files).toEqual(listFiles(dir));
    if (process.env['STEWARD_UPDATE_GOLDEN'] === '1') {
      rmSync(GOLDEN, { recursive: true, force: true });
      for (const file of result.files) {
        mkdirSync(dirname(join(GOLDEN, file)), { recursive: true });
        writeFileSync(join(GOLDEN, file), readFileSync(join(dir, file)));
      }
    }
    expect(result.files).toEqual(listFiles(GOLDEN));
    for (const file of result.files)
      expect({ file, text: readFileSync(join(dir, file), 'utf8') }).toEqual({
        file,
        text: readFileSync(join(GOLDEN, file), 'utf8'),
      });
  });

  test('the in-memory model that made the manifests equals the generated operator (CRD, RBAC, every file)', async () => {
    // The golden sources import class-validator and @steward/core as the generated project does.
    const api = (await import('../../test/golden/new/widget-operator/src/api/widget.js')) as Record<
      string,
      Class
    >;
    const mod = (await import('../../test/golden/new/widget-operator/src/operator.js')) as Record<
      string,
      unknown
    >;
    const generated = mod['widgetOperator'] as OperatorDefinition;
    expect(isOperatorDefinition(generated)).toBe(true);
    const model = operatorModel(
      scaffoldNames({ dir: 'widget-operator', group: 'example.com', kind: 'Widget', version: 'v1alpha1' }),
    );
    const [modelResource] = model.resources;
    const widget = api['Widget'];
    if (modelResource === undefined || widget === undefined) throw new Error('a resource class is missing');
    expect(crdFor(modelResource)).toEqual(crdFor(widget));
    expect([...(await generateManifests(model))]).toEqual([...(await generateManifests(generated))]);
  });
});

describe('input checks', () => {
  test.each<[{ group: string; kind: string; version?: string; dir?: string }, RegExp]>([
    [{ group: 'example', kind: 'Widget' }, /--group "example" must be a DNS subdomain with at least one dot/],
    [{ group: 'Example.com', kind: 'Widget' }, /--group "Example.com"/],
    [{ group: 'example.com', kind: 'widget' }, /--kind "widget" must be UpperCamelCase/],
    [{ group: 'example.com', kind: 'My-Widget' }, /--kind "My-Widget" must be UpperCamelCase/],
    [
      { group: 'example.com', kind: 'Default' },
      /--kind "Default" clashes with a name the generated code uses/,
    ],
    [{ group: 'example.com', kind: 'ConfigMap' }, /clashes/],
    [
      { group: 'example.com', kind: 'Widget', version: '1' },
      /--version "1" must be a Kubernetes API version/,
    ],
    [
      { group: 'example.com', kind: 'Widget', dir: 'Widget_Operator' },
      /directory name "Widget_Operator" must be lower-case kebab-case/,
    ],
  ])('refuses %j, naming the value and the fix', async (input, message) => {
    const dir = join(tmp, 'bad', input.dir ?? 'widget-operator');
    await expect(scaffoldOperator({ dir, ...input })).rejects.toThrow(message);
    expect(existsSync(dir)).toBe(false);
  });

  test('an existing non-empty directory is refused and left alone; an empty one is used', async () => {
    const dir = join(tmp, 'full', 'widget-operator');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await expect(scaffoldOperator({ dir, group: 'example.com', kind: 'Widget' })).rejects.toMatchObject({
      code: 'NEW_DIR_NOT_EMPTY',
      message: `steward new: ${dir} exists and is not empty; choose another directory`,
    });
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    const empty = join(tmp, 'empty', 'widget-operator');
    mkdirSync(empty, { recursive: true });
    await scaffoldOperator({ dir: empty, group: 'example.com', kind: 'Widget' });
    expect(existsSync(join(empty, 'src/api/widget.ts'))).toBe(true);
  });

  test('an unknown template placeholder is a bug that fails loudly', () => {
    expect(render('{{kind}} {{kindFile}}', { kind: 'A', kindFile: 'a' })).toBe('A a');
    expect(() => render('{{nope}}', {})).toThrow('template placeholder {{nope}} has no value');
  });
});

describe('--standalone', () => {
  test('with tarballs: copies them into vendor/ and depends on them by file: path, apiserver included', async () => {
    const sdk = join(tmp, 'sdk');
    mkdirSync(sdk, { recursive: true });
    const tarballs = Object.fromEntries(
      ['core', 'apiserver', 'testing', 'cli'].map((n) => {
        const file = join(sdk, `steward-${n}-0.0.0.tgz`);
        writeFileSync(file, n);
        return [`@steward/${n}`, file];
      }),
    );
    const dir = join(tmp, 'standalone', 'db-backup-operator');
    const result = await scaffoldOperator({
      dir,
      group: 'backups.acme.io',
      kind: 'DatabaseBackup',
      version: 'v1',
      standalone: true,
      sdk: { tarballs },
    });
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    expect(pkg['dependencies']?.['@steward/core']).toBe('file:vendor/steward-core-0.0.0.tgz');
    expect(pkg['devDependencies']).toMatchObject({
      '@steward/apiserver': 'file:vendor/steward-apiserver-0.0.0.tgz',
      '@steward/cli': 'file:vendor/steward-cli-0.0.0.tgz',
      '@steward/testing': 'file:vendor/steward-testing-0.0.0.tgz',
    });
    expect(readFileSync(join(dir, 'vendor/steward-testing-0.0.0.tgz'), 'utf8')).toBe('testing');
    expect(result.files).toContain('src/controllers/databaseBackupController.ts');
    // Kubernetes names are lower-case: the ConfigMap suffix is the singular, not the camelCase kind.
    expect(readFileSync(join(dir, 'src/controllers/databaseBackupController.ts'), 'utf8')).toContain(
      '`${name}-databasebackup`',
    );
    expect(result.files).toContain('manifests/crds/databasebackups.backups.acme.io.yaml');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('npm ci');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('npm test');
  });

  test('a missing tarball is named', async () => {
    const dir = join(tmp, 'standalone-missing', 'widget-operator');
    await expect(
      scaffoldOperator({
        dir,
        group: 'example.com',
        kind: 'Widget',
        standalone: true,
        sdk: { tarballs: {} },
      }),
    ).rejects.toThrow(/no tarball for @steward\/core, @steward\/apiserver, @steward\/testing, @steward\/cli/);
  });
});

describe('steward new', () => {
  test('writes the project and prints the next steps', async () => {
    const { io, out } = capture();
    const dir = join(tmp, 'cmd', 'widget-operator');
    expect(
      await run(['new', dir, '--group', 'example.com', '--kind', 'Widget', '--api-version', 'v1beta1'], io),
    ).toBe(0);
    expect(out.join('')).toContain(`wrote ${join(dir, 'src/api/widget.ts')}`);
    expect(out.join('')).toMatch(/next: cd .*widget-operator && pnpm install && pnpm test/);
    expect(readFileSync(join(dir, 'src/api/widget.ts'), 'utf8')).toContain("version: 'v1beta1'");
  });

  test('bad input is one line on stderr and exit code 1', async () => {
    const { io, err } = capture();
    expect(
      await run(['new', join(tmp, 'cmd2', 'x-operator'), '--group', 'example.com', '--kind', 'widget'], io),
    ).toBe(1);
    expect(err.join('')).toMatch(/^steward new: --kind "widget" must be UpperCamelCase[^\n]*\n$/);
  });

  test('--group and --kind are required; --help lists the options', async () => {
    const missing = capture();
    expect(await run(['new', join(tmp, 'cmd3', 'x-operator'), '--kind', 'Widget'], missing.io)).toBe(1);
    expect(missing.err.join('')).toContain("required option '--group <group>' not specified");
    const help = capture();
    expect(await run(['new', '--help'], help.io)).toBe(0);
    expect(help.out.join('')).toMatch(
      /Usage: steward new \[options\] <dir>[\s\S]*--standalone[\s\S]*--sdk <dir>/,
    );
  });
});
