/**
 * `steward new`'s engine: writes a complete operator package — resource, controller, operator,
 * main, a test on the embedded API server, README, manifests and Dockerfile — from the templates in
 * `templates/operator/`. Start with {@link scaffoldOperator}.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cliError.js';
import { dockerfileFor } from '../manifests/dockerfile.js';
import { generateManifests } from '../manifests/generate.js';
import { scaffoldNames } from './names.js';
import type { ScaffoldNames } from './names.js';
import { operatorModel } from './operatorModel.js';
import { CLI_VERSION, packageJsonFor, SDK_PACKAGES, vendoredPath } from './packageJson.js';
import type { SdkPackage, SdkSource } from './packageJson.js';

export interface ScaffoldOptions {
  /** The project directory; absent or empty. Its name is the package's and the operator's. */
  dir: string;
  /** API group, a DNS subdomain with a dot (`example.com`). */
  group: string;
  /** UpperCamelCase kind (`Widget`). */
  kind: string;
  /** Default `v1alpha1`. */
  version?: string;
  /**
   * Outside a workspace: the SDK from `sdk.tarballs` (copied into `vendor/`, as `pnpm pack` made
   * them) or, without tarballs, from the registry. Otherwise `workspace:*`.
   */
  standalone?: boolean;
  sdk?: { tarballs?: Partial<Record<SdkPackage, string>> };
}

export interface ScaffoldResult {
  dir: string;
  names: ScaffoldNames;
  /** Every file written, relative to `dir`, sorted. */
  files: string[];
}

const TEMPLATES = fileURLToPath(new URL('../../templates/operator/', import.meta.url));

/** Writes the project and returns what it wrote. Throws a `CliError` for bad input. */
export async function scaffoldOperator(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const dir = resolve(options.dir);
  const names = scaffoldNames({
    dir,
    group: options.group,
    kind: options.kind,
    version: options.version ?? 'v1alpha1',
  });
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0))
    throw new CliError(
      'NEW_DIR_NOT_EMPTY',
      `steward new: ${options.dir} exists and is not empty; choose another directory`,
    );
  const sdk = sdkSource(options);
  const packageManager = sdk.kind === 'workspace' ? 'pnpm' : 'npm';
  const values: Record<string, string> = { ...names, pm: packageManager };

  const files = new Map<string, string>();
  for (const template of listFiles(TEMPLATES)) {
    const target = render(template, values)
      .replace(/\.tmpl$/, '')
      .replace(/^gitignore$/, '.gitignore');
    files.set(target, render(readFileSync(join(TEMPLATES, template), 'utf8'), values));
  }
  files.set('package.json', `${JSON.stringify(packageJsonFor(names, sdk), null, 2)}\n`);
  files.set('Dockerfile', dockerfileFor(names.name, { packageManager }));
  for (const [path, text] of await generateManifests(operatorModel(names)))
    files.set(`manifests/${path}`, text);

  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  if (sdk.kind === 'tarballs')
    for (const tarball of Object.values(sdk.files)) {
      const target = join(dir, vendoredPath(tarball));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(tarball, target);
      files.set(vendoredPath(tarball), '');
    }
  return { dir, names, files: [...files.keys()].sort() };
}

function sdkSource(options: ScaffoldOptions): SdkSource {
  if (!options.standalone) return { kind: 'workspace' };
  const tarballs = options.sdk?.tarballs;
  if (tarballs === undefined) return { kind: 'registry', version: CLI_VERSION };
  const missing = SDK_PACKAGES.filter((pkg) => tarballs[pkg] === undefined || !existsSync(tarballs[pkg]));
  if (missing.length > 0)
    throw new CliError(
      'NEW_SDK_TARBALL',
      `steward new: no tarball for ${missing.join(', ')}; run \`pnpm build\` and \`pnpm pack\` in each package (or pass --sdk <dir> holding steward-*.tgz)`,
    );
  return { kind: 'tarballs', files: tarballs as Record<SdkPackage, string> };
}

/** Replaces `{{name}}` placeholders; an unknown one is a bug in the templates, so it throws. */
export function render(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template placeholder {{${key}}} has no value`);
    return value;
  });
}

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(root, join(dir, entry.name)) : [relative(root, join(dir, entry.name))],
  );
}
