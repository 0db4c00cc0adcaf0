// Node module hooks that run TypeScript sources directly, compiled file by file with swc (the same
// options Jest uses: legacy decorators with metadata). Used by benchmarks, the demo and scripts, so
// none of them needs a build first. Registered by scripts/ts-register.mjs.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from '@swc/core';

const WORKSPACE = /^@steward\/(core|apiserver|testing|cli)$/;
const root = new URL('../', import.meta.url);

export async function resolve(specifier, context, next) {
  const ws = WORKSPACE.exec(specifier);
  if (ws) return { url: new URL(`packages/${ws[1]}/src/index.ts`, root).href, shortCircuit: true };
  if (
    (specifier.startsWith('.') || specifier.startsWith('/')) &&
    specifier.endsWith('.js') &&
    context.parentURL
  ) {
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(ts))) return { url: ts.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const filename = fileURLToPath(url);
  const { code } = await transform(await readFile(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
      target: 'es2022',
    },
    module: { type: 'es6' },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
