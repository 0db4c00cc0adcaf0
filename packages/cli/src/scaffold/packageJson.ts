/**
 * The scaffolded project's package.json: scripts, the Steward SDK as a workspace, tarball or registry
 * dependency, and the test toolchain. Start with {@link packageJsonFor}.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ScaffoldNames } from './names.js';

/** The Steward packages a project depends on; apiserver only through @steward/testing. */
export const SDK_PACKAGES = [
  '@steward/core',
  '@steward/apiserver',
  '@steward/testing',
  '@steward/cli',
] as const;
export type SdkPackage = (typeof SDK_PACKAGES)[number];

/** Where the SDK comes from: this workspace, tarballs made by `pnpm pack`, or the registry. */
export type SdkSource =
  | { kind: 'workspace' }
  | { kind: 'tarballs'; files: Record<SdkPackage, string> }
  | { kind: 'registry'; version: string };

const cli = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};

// The toolchain the Steward workspace itself tests with: Jest 30 through swc, TypeScript 7.
const TOOLS: Record<string, string> = {
  '@jest/globals': '^30.5.2',
  '@swc/core': '^1.16.22',
  '@swc/jest': '^0.2.39',
  '@types/node': '^20.19.43',
  jest: '^30.5.2',
  typescript: '^7.0.2',
};

// @steward/core's peer. Named here because npm would otherwise install the newest match of the
// peer's range, 2.x, which needs a newer Node (undici 8) than the >=20 this project declares.
const CLIENT_NODE = '~1.4.0';

/** The relative path a tarball is copied to inside the project (`vendor/steward-core-0.0.0.tgz`). */
export function vendoredPath(tarball: string): string {
  return `vendor/${basename(tarball)}`;
}

/** The package.json object (keys in the order npm writes them). */
export function packageJsonFor(names: ScaffoldNames, sdk: SdkSource): Record<string, unknown> {
  const spec = (pkg: SdkPackage): string =>
    sdk.kind === 'workspace'
      ? 'workspace:*'
      : sdk.kind === 'tarballs'
        ? `file:${vendoredPath(sdk.files[pkg])}`
        : `^${sdk.version}`;
  const devSdk: SdkPackage[] =
    // A tarball's dependency on @steward/apiserver names a version, which npm satisfies with the
    // vendored tarball only when the project lists it too; from the registry it comes by itself.
    sdk.kind === 'tarballs'
      ? ['@steward/apiserver', '@steward/cli', '@steward/testing']
      : ['@steward/cli', '@steward/testing'];
  return {
    name: names.name,
    version: '0.1.0',
    private: true,
    description: `A Kubernetes operator for ${names.kind} (${names.plural}.${names.group}), built with Steward`,
    type: 'module',
    engines: { node: '>=20' },
    scripts: {
      build: 'tsc -p tsconfig.json',
      test: 'node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js',
      start: 'node dist/main.js',
      manifests: 'steward manifests src/operator.ts --out manifests',
      crds: 'steward crd generate src/operator.ts --out manifests/crds',
    },
    dependencies: {
      '@kubernetes/client-node': CLIENT_NODE,
      '@steward/core': spec('@steward/core'),
      'class-transformer': cli.dependencies['class-transformer'],
      'class-validator': cli.dependencies['class-validator'],
    },
    devDependencies: Object.fromEntries(
      [...devSdk.map((pkg): [string, string] => [pkg, spec(pkg)]), ...Object.entries(TOOLS)].sort((a, b) =>
        a[0] < b[0] ? -1 : 1,
      ),
    ),
  };
}

/** The CLI's own version: a project made outside a workspace without tarballs asks the registry for it. */
export const CLI_VERSION = cli.version;
