/**
 * The API reference builds: `pnpm docs:api` (typedoc over each package's public exports) finishes
 * without a warning, into a temporary directory, and documents each package's main entry points.
 */
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const typedoc = join(dirname(createRequire(import.meta.url).resolve('typedoc/package.json')), 'bin/typedoc');

test('typedoc documents the four packages without warnings (about 10 s)', () => {
  const out = mkdtempSync(join(tmpdir(), 'steward-api-'));
  try {
    // treatWarningsAsErrors is on in docs/typedoc.json: a broken {@link} or a bad tag fails here.
    const run = spawnSync(process.execPath, [typedoc, '--options', 'docs/typedoc.json', '--out', out], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' }, // not Jest's --experimental-vm-modules
    });
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\[(warning|error)\]/);
    expect(run.status).toBe(0);
    for (const page of [
      'modules/_steward_core.html',
      'functions/_steward_core.manager.html',
      'functions/_steward_testing.startTestEnv.html',
      'functions/_steward_apiserver.startApiServer.html',
      'functions/_steward_cli.run.html',
    ]) {
      expect([page, existsSync(join(out, page))]).toEqual([page, true]);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 90_000);
