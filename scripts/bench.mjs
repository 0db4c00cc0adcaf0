#!/usr/bin/env node
// Runs every benchmark (`packages/*/bench/*.bench.ts`, `examples/*/bench/*.bench.ts`, or the files
// given as arguments) in its own Node process. Each prints `BENCH {json}` lines with name, value,
// unit, baseline and ratio, the baseline being measured in the same run. Benchmarks report; they do not
// pass or fail on speed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
function benchFiles() {
  const files = [];
  for (const top of ['packages', 'examples']) {
    if (!existsSync(join(root, top))) continue;
    for (const pkg of readdirSync(join(root, top))) {
      const dir = join(root, top, pkg, 'bench');
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir)) if (f.endsWith('.bench.ts')) files.push(join(dir, f));
    }
  }
  return files;
}

const files = process.argv.length > 2 ? process.argv.slice(2) : benchFiles();
if (files.length === 0) {
  console.log('no benchmarks found');
  process.exit(0);
}
let failed = 0;
for (const file of files) {
  console.log(`# ${relative(root, file)}`);
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', join(root, 'scripts/ts-register.mjs'), file],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
