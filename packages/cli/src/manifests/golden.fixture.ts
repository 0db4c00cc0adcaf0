/**
 * Golden-file comparison for generated file sets: each generated file must equal its copy under a
 * golden directory, and the directory must hold no other file. `STEWARD_UPDATE_GOLDEN=1` rewrites the
 * directory instead (review the diff). Start with {@link expectGolden}.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect } from '@jest/globals';

function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** Compares `files` (relative path → text) with `goldenDir`, or rewrites it under STEWARD_UPDATE_GOLDEN=1. */
export function expectGolden(goldenDir: string, files: ReadonlyMap<string, string>): void {
  if (process.env['STEWARD_UPDATE_GOLDEN'] === '1') {
    rmSync(goldenDir, { recursive: true, force: true });
    for (const [path, text] of files) {
      mkdirSync(dirname(join(goldenDir, path)), { recursive: true });
      writeFileSync(join(goldenDir, path), text);
    }
    return;
  }
  const hint =
    'the generator output changed; if intended, run with STEWARD_UPDATE_GOLDEN=1 and review the diff';
  expect({ files: [...files.keys()].sort(), hint }).toEqual({ files: listFiles(goldenDir), hint });
  for (const [path, text] of files) {
    expect({ path, text, hint }).toEqual({ path, text: readFileSync(join(goldenDir, path), 'utf8'), hint });
  }
}

/** Reads every file under `dir` into a map (relative path → text). */
export function readTree(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
}
