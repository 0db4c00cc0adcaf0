#!/usr/bin/env node
// `pnpm new-operator <dir> --group <group> --kind <Kind> [--standalone]`: runs the CLI's `steward new`
// from this workspace's sources, so it needs no build (except --standalone, which packs the built
// packages). A relative <dir> is taken from where pnpm was run (INIT_CWD), not the workspace root.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
const { run } = await import('../packages/cli/src/program.ts');
process.chdir(process.env.INIT_CWD ?? process.cwd());
process.exitCode = await run(process.argv.slice(2));
