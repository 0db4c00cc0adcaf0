/**
 * Rewrites every marked code block of the docs/ pages from its snippet region, after a snippet
 * changed: `node --import ./scripts/ts-register.mjs docs/snippets/sync.ts` (then run prettier).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pages, root, syncPage } from './snippets.js';

for (const page of pages()) {
  const text = readFileSync(page, 'utf8');
  const synced = syncPage(text);
  if (synced !== text) {
    writeFileSync(page, synced);
    console.log(`synced ${relative(root, page)}`);
  }
}
