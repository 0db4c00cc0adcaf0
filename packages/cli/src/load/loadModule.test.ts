import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from '@jest/globals';
import { CliError } from '../cliError.js';
import { loadModule } from './loadModule.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'steward-load-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function failure(path: string): Promise<CliError> {
  const e = await loadModule(path).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(CliError);
  return e as CliError;
}

test('imports a TypeScript module and returns its exports', async () => {
  const exports = await loadModule(join(here, 'widgets.fixture.ts'));
  expect(Object.keys(exports).sort()).toEqual(['NotAResource', 'VERSION', 'Widget', 'operator']);
});

test('a relative path is taken from the working directory', async () => {
  const exports = await loadModule(relative(process.cwd(), join(here, 'noResources.fixture.ts')));
  expect(exports['answer']).toBe(42);
});

test('a missing file names the path and what to pass', async () => {
  const e = await failure('ops/missing.ts');
  expect(e.code).toBe('CLI_MODULE_NOT_FOUND');
  expect(e.message).toBe(
    'ops/missing.ts: no such file; pass the path of the module that exports your operator or resource classes',
  );
});

test('a directory asks for the module file', async () => {
  const e = await failure(tmp);
  expect(e.code).toBe('CLI_MODULE_NOT_FOUND');
  expect(e.message).toContain(`${tmp}: is a directory`);
});

test('a module that throws on import: the first line of its error, the error kept as cause', async () => {
  const path = join(here, 'throws.fixture.ts');
  const e = await failure(path);
  expect(e.code).toBe('CLI_MODULE_IMPORT');
  expect(e.message).toBe(`${path}: import failed: STEWARD_DEMO_URL is not set`);
  expect((e.cause as Error).message).toContain('set it to the demo endpoint');
});

test('a JavaScript module with a syntax error fails the same way', async () => {
  const path = join(tmp, 'broken.mjs');
  writeFileSync(path, 'export const x = ;\n');
  const e = await failure(path);
  expect(e.code).toBe('CLI_MODULE_IMPORT');
  expect(e.message).toMatch(new RegExp(`^${path}: import failed: \\S`));
  expect(e.message).not.toContain('\n');
});
