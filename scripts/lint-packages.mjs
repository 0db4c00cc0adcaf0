#!/usr/bin/env node
// Checks every publishable package as a consumer would meet it: publint (package.json fields, exports,
// files) and Are the Types Wrong (types resolve for ESM consumers under node16 resolution). Run after
// `pnpm build`.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = readdirSync(join(root, 'packages')).map((d) => join(root, 'packages', d));
let failed = 0;
for (const dir of dirs) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  for (const [cmd, args] of [
    ['publint', ['--strict', dir]],
    // ESM-only packages: the CommonJS-require profiles do not apply.
    ['attw', ['--pack', dir, '--profile', 'esm-only', '--format', 'table-flipped']],
  ]) {
    const r = spawnSync(join(root, 'node_modules', '.bin', cmd), args, { stdio: 'inherit', cwd: root });
    if (r.status !== 0) {
      failed++;
      console.error(`${cmd} failed for ${pkg.name}`);
    }
  }
}
process.exit(failed === 0 ? 0 : 1);
