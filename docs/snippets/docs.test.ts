/**
 * Keeps the documentation honest: every code block marked `<!-- snippet: file#region -->` in docs/
 * equals that region of a compiled, tested file (between `// #region name` and `// #endregion`, in
 * docs/snippets/ or an example operator's src/), every TypeScript block longer than three lines is
 * marked, every relative link points at a file that exists, and the first operator's regions are the
 * generator's output verbatim. The parsing is in snippets.ts.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { blocks, pages, region, root, syncPage } from './snippets.js';

/** Snippets come from docs/snippets/ or from an example operator's compiled, tested sources. */
const snippetFile = /^(docs\/snippets\/[\w.]+|examples\/[\w-]+-operator\/src\/(?:\w+\/)*\w+)\.ts$/;

const all = pages().flatMap((page) => blocks(relative(root, page), readFileSync(page, 'utf8')));

describe('code blocks', () => {
  test('the pages have marked blocks', () => {
    expect(all.filter((b) => b.snippet !== undefined).length).toBeGreaterThan(5);
  });

  test.each(all.filter((b) => b.snippet !== undefined).map((b) => [`${b.page}:${b.line}`, b] as const))(
    '%s equals its snippet region',
    (_where, block) => {
      const [file = '', name = ''] = (block.snippet ?? '').split('#');
      expect(file).toMatch(snippetFile);
      expect(block.code).toBe(region(file, name));
    },
  );

  test('every TypeScript block longer than three lines comes from a snippet', () => {
    const unmarked = all.filter((b) => b.lang === 'ts' && b.snippet === undefined);
    expect(unmarked.filter((b) => b.code.split('\n').length > 3).map((b) => `${b.page}:${b.line}`)).toEqual(
      [],
    );
  });
});

test("snippet files are docs/snippets/ or an example operator's src/", () => {
  expect('docs/snippets/concepts.ts').toMatch(snippetFile);
  expect('examples/kafka-operator/src/controllers/plan.ts').toMatch(snippetFile);
  expect('examples/kafka-operator/test/support/kafkaEnv.ts').not.toMatch(snippetFile);
  expect('examples/kafka-operator/src/../test/support/kafkaEnv.ts').not.toMatch(snippetFile);
  expect('packages/core/src/index.ts').not.toMatch(snippetFile);
});

test('relative links in docs/ point at files that exist', () => {
  const broken = pages().flatMap((page) => {
    const text = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '');
    return [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
      .map((m) => m[1] ?? '')
      .filter((target) => !/^[a-z]+:/.test(target))
      .filter((target) => !existsSync(join(dirname(page), target)))
      .map((target) => `${relative(root, page)} → ${target}`);
  });
  expect(broken).toEqual([]);
});

test("the first operator's regions are what `steward new` writes", () => {
  const golden = join(root, 'packages/cli/test/golden/new/widget-operator/src');
  const sources = {
    resource: 'api/widget.ts',
    controller: 'controllers/widgetController.ts',
    operator: 'operator.ts',
  };
  for (const [name, file] of Object.entries(sources)) {
    const generated = readFileSync(join(golden, file), 'utf8');
    expect([name, generated.includes(region('docs/snippets/firstOperator.ts', name))]).toEqual([name, true]);
  }
});

test('syncing a page changes nothing when every block equals its region', () => {
  for (const page of pages()) {
    const text = readFileSync(page, 'utf8');
    expect([relative(root, page), syncPage(text) === text]).toEqual([relative(root, page), true]);
  }
  const stale = '<!-- snippet: docs/snippets/concepts.ts#leaderElection -->\n\n```ts\nold\n```\n';
  expect(syncPage(stale)).toContain('shelf-operator');
  // A new page's empty block is filled, and the text after it is kept.
  const empty =
    '<!-- snippet: docs/snippets/concepts.ts#leaderElection -->\n\n```ts\n```\n\nafter\n\n```ts\nx\n```\n';
  const filled = syncPage(empty);
  expect(filled).toContain('shelf-operator');
  expect(filled.endsWith('```\n\nafter\n\n```ts\nx\n```\n')).toBe(true);
});
