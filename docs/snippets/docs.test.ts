/**
 * Keeps the documentation honest: every code block marked `<!-- snippet: file#region -->` in docs/
 * equals that region of a compiled, tested file (between `// #region name` and `// #endregion`), every
 * TypeScript block longer than three lines is marked, every relative link points at a file that
 * exists, and the first operator's regions are the generator's output verbatim. Start with `blocks()`.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const docs = join(root, 'docs');

/** The markdown pages of docs/ (the generated API reference left out). */
function pages(dir = docs): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'api' && dir === docs ? [] : pages(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

interface Block {
  page: string;
  line: number;
  lang: string;
  code: string;
  snippet?: string;
}

/** Fenced code blocks of a page, each with the snippet marker just above it, if any. */
function blocks(page: string, text: string): Block[] {
  const lines = text.split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end < 0) throw new Error(`${page}:${i + 1}: code block never closed`);
    let above = i - 1;
    while (above >= 0 && lines[above]?.trim() === '') above--;
    const marker = /^<!-- snippet: (\S+) -->$/.exec(lines[above]?.trim() ?? '');
    found.push({
      page,
      line: i + 1,
      lang: open[1] ?? '',
      code: lines.slice(i + 1, end).join('\n'),
      ...(marker?.[1] === undefined ? {} : { snippet: marker[1] }),
    });
    i = end;
  }
  return found;
}

/** The lines between `// #region name` and its `// #endregion`, indentation common to all removed. */
function region(file: string, name: string): string {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${name}`);
  if (start < 0) throw new Error(`${file}: no "// #region ${name}"`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === '// #endregion');
  if (end < 0) throw new Error(`${file}: region ${name} has no "// #endregion"`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0));
  return body.map((l) => l.slice(indent)).join('\n');
}

const all = pages().flatMap((page) => blocks(relative(root, page), readFileSync(page, 'utf8')));

describe('code blocks', () => {
  test('the pages have marked blocks', () => {
    expect(all.filter((b) => b.snippet !== undefined).length).toBeGreaterThan(5);
  });

  test.each(all.filter((b) => b.snippet !== undefined).map((b) => [`${b.page}:${b.line}`, b] as const))(
    '%s equals its snippet region',
    (_where, block) => {
      const [file = '', name = ''] = (block.snippet ?? '').split('#');
      expect(file).toMatch(/^docs\/snippets\/[\w.]+\.ts$/);
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
