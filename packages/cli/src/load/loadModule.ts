/**
 * Imports a user's operator module, TypeScript or JavaScript, and turns what can go wrong into
 * `CliError`s. Start with {@link loadModule}; the TypeScript support is `tsHooks.ts`.
 */
import { existsSync, statSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from '../cliError.js';

let registered = false;

/**
 * Registers the TypeScript hooks, once per process. Only the built package registers them: run from
 * sources (Jest, `scripts/ts-register.mjs`) the host already compiles TypeScript, and there is no
 * `tsHooks.js` beside this file for Node's hook thread to load.
 */
function registerHooks(): void {
  if (registered || !import.meta.url.endsWith('.js')) return;
  // `module.register` arrived in Node 20.6; earlier Nodes can still load JavaScript modules.
  const register = (nodeModule as { register?: typeof nodeModule.register }).register;
  if (typeof register !== 'function') return;
  register('./tsHooks.js', import.meta.url);
  // The hooks emit inline source maps; this makes a user's stack traces point at their .ts lines.
  process.setSourceMapsEnabled(true);
  registered = true;
}

/**
 * The first non-empty line of an error's message: enough to act on, short enough for one line. swc's
 * syntax errors put the position on a later line (`,-[file:line:col]`); it is kept.
 */
function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  const at = /,-\[.*:(\d+:\d+)\]/.exec(text)?.[1];
  return `${line ?? (e instanceof Error ? e.name : 'unknown error')}${at === undefined ? '' : ` (at ${at})`}`;
}

/**
 * Imports the module at `path` (relative to the working directory) and returns its exports. `.ts`
 * files compile with swc (legacy decorators with metadata), so an operator runs without a build.
 * Throws a `CliError` when the file is missing or is a directory (`CLI_MODULE_NOT_FOUND`), or when
 * importing it throws (`CLI_MODULE_IMPORT`, naming the file and the underlying error's first line;
 * the error itself is the `cause`).
 */
export async function loadModule(path: string): Promise<Record<string, unknown>> {
  const file = resolvePath(path);
  if (!existsSync(file))
    throw new CliError(
      'CLI_MODULE_NOT_FOUND',
      `${path}: no such file; pass the path of the module that exports your operator or resource classes`,
    );
  if (statSync(file).isDirectory())
    throw new CliError(
      'CLI_MODULE_NOT_FOUND',
      `${path}: is a directory; pass the module file itself (e.g. ${path}/src/operator.ts)`,
    );
  if (/\.m?ts$/.test(file)) registerHooks();
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    throw new CliError('CLI_MODULE_IMPORT', `${path}: import failed: ${firstLine(e)}`, { cause: e });
  }
}
