/**
 * The Steward SDK as tarballs, made by `pnpm pack` from a Steward workspace (workspace:* ranges become
 * versions, only the published files go in: what a registry would serve). `steward new --standalone`
 * uses them when it runs from the workspace; {@link findSdkTarballs} reads a directory of them.
 * Start with {@link packSdk}.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cliError.js';
import { SDK_PACKAGES } from './packageJson.js';
import type { SdkPackage } from './packageJson.js';

/** The Steward workspace this CLI runs from (its sources or its build), if it runs from one. */
export function stewardWorkspace(): string | undefined {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const ok =
    existsSync(join(root, 'pnpm-workspace.yaml')) &&
    SDK_PACKAGES.every((pkg) => existsSync(packageDir(root, pkg)));
  return ok ? root : undefined;
}

function packageDir(root: string, pkg: SdkPackage): string {
  return join(root, 'packages', pkg.slice('@steward/'.length));
}

/** Packs the four packages into `dest`; each must be built (`pnpm build`), since `dist/` is what ships. */
export function packSdk(root: string, dest: string): Record<SdkPackage, string> {
  for (const pkg of SDK_PACKAGES) {
    const dir = packageDir(root, pkg);
    if (!existsSync(join(dir, 'dist', 'index.js')))
      throw new CliError(
        'NEW_SDK_NOT_BUILT',
        `steward new --standalone: ${pkg} has no dist/index.js to pack; run \`pnpm build\` in ${root} first`,
      );
    execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: dir, stdio: 'pipe' });
  }
  return findSdkTarballs(dest);
}

/** The `steward-<name>-<version>.tgz` files `pnpm pack` writes, found in `dir`. */
export function findSdkTarballs(dir: string): Record<SdkPackage, string> {
  const names = existsSync(dir) ? readdirSync(dir) : [];
  const found: Partial<Record<SdkPackage, string>> = {};
  for (const pkg of SDK_PACKAGES) {
    const prefix = `steward-${pkg.slice('@steward/'.length)}-`;
    const file = names.find((n) => n.startsWith(prefix) && n.endsWith('.tgz'));
    if (file === undefined)
      throw new CliError(
        'NEW_SDK_TARBALL',
        `steward new: ${dir} holds no ${prefix}<version>.tgz for ${pkg}; make it with \`pnpm pack\` in that package`,
      );
    found[pkg] = join(dir, file);
  }
  return found as Record<SdkPackage, string>;
}
