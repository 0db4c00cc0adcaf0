// Checks of the suite itself (not of a server): case ids are unique across files, and every known gap
// names a case that exists and is explained in DIFFERENCES.md, so a renamed or deleted case cannot
// leave a stale gap entry behind and no gap goes unexplained.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { KNOWN_GAPS } from './known-gaps.js';

const here = dirname(fileURLToPath(import.meta.url));

async function caseIds(): Promise<string[]> {
  const ids: string[] = [];
  for (const f of (await readdir(here)).filter((n) => n.endsWith('.test.ts') && n !== 'suite.test.ts')) {
    const text = await readFile(join(here, f), 'utf8');
    for (const m of text.matchAll(/conformanceCase\(\s*'([a-z0-9-]+)'/g)) ids.push(m[1]!);
    // Table-driven cases list their ids as the first element of each row.
    for (const m of text.matchAll(/^\s*\['([a-z0-9]+(?:-[a-z0-9]+)+)',/gm)) ids.push(m[1]!);
  }
  return ids;
}

describe('conformance suite', () => {
  test('case ids are unique across all files', async () => {
    const ids = await caseIds();
    expect(ids.length).toBeGreaterThan(150);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(dupes).toEqual([]);
  });

  test('every known gap names an existing case and gives a reason', async () => {
    const ids = new Set(await caseIds());
    const stale = Object.keys(KNOWN_GAPS).filter((id) => !ids.has(id));
    expect(stale).toEqual([]);
    for (const [id, reason] of Object.entries(KNOWN_GAPS))
      expect({ id, reason: reason.length > 10 }).toEqual({ id, reason: true });
  });

  test('every known gap is explained in DIFFERENCES.md', async () => {
    const differences = await readFile(join(here, '..', 'DIFFERENCES.md'), 'utf8');
    const unexplained = Object.keys(KNOWN_GAPS).filter((id) => !differences.includes(`\`${id}\``));
    expect(unexplained).toEqual([]);
  });
});
