/**
 * Node module hooks that let `steward` import an operator written in TypeScript: `.js` specifiers
 * that name a `.ts` file beside them resolve to it (as `tsc` lets sources write them), and `.ts`/`.mts`
 * files compile one by one with swc. Registered once per process by `loadModule`; start with {@link load}.
 *
 * swc rather than an esbuild-based loader because Steward's decorators need legacy decorators with
 * `design:type` metadata, which class-validator reads and esbuild cannot emit.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { LoadHook, ResolveHook } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transform } from '@swc/core';

const TS = /\.m?ts$/;

/** `./x.js` → `./x.ts` (and `./x.mjs` → `./x.mts`) when only the TypeScript source exists. */
export const resolve: ResolveHook = async (specifier, context, next) => {
  const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/');
  if ((relative || specifier.startsWith('file:')) && /\.m?js$/.test(specifier) && context.parentURL) {
    const js = new URL(specifier, context.parentURL);
    const ts = new URL(js.href.replace(/\.(m?)js$/, '.$1ts'));
    if (!existsSync(fileURLToPath(js)) && existsSync(fileURLToPath(ts)))
      return { url: ts.href, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
};

/** Compiles a `.ts` file to an ES module with an inline source map (stacks point at the source). */
export const load: LoadHook = async (url, context, next) => {
  if (!url.startsWith('file:') || !TS.test(url)) return next(url, context);
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
};
