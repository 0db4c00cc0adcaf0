/**
 * Snippet regions and the marked code blocks of docs/ pages: `pages()`, `blocks()`, `region()`, and
 * `syncPage()`, which rewrites a page's marked blocks from their regions. docs.test.ts checks with
 * them; `node --import ./scripts/ts-register.mjs docs/snippets/sync.ts` rewrites the pages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const docs = join(root, 'docs');

/** The markdown pages of docs/ (the generated API reference left out). */
export function pages(dir = docs): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'api' && dir === docs ? [] : pages(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

export interface Block {
  page: string;
  line: number;
  lang: string;
  code: string;
  snippet?: string;
}

/** Fenced code blocks of a page, each with the snippet marker just above it, if any. */
export function blocks(page: string, text: string): Block[] {
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
export function region(file: string, name: string): string {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${name}`);
  if (start < 0) throw new Error(`${file}: no "// #region ${name}"`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === '// #endregion');
  if (end < 0) throw new Error(`${file}: region ${name} has no "// #endregion"`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0));
  return body.map((l) => l.slice(indent)).join('\n');
}

/** The page with every marked block replaced by its region's current text. */
export function syncPage(text: string): string {
  return text.replace(
    // The block's lines, none of them (a new, empty block) or up to the first closing fence.
    /(<!-- snippet: (\S+) -->\s*\n\s*\n?```ts\n)(?:[^\n]*\n)*?```/g,
    (_match, head: string, snippet: string) => {
      const [file = '', name = ''] = snippet.split('#');
      return `${head}${region(file, name)}\n\`\`\``;
    },
  );
}
