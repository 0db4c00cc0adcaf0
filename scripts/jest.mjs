#!/usr/bin/env node
// Runs Jest with the flags ESM needs. `--integration` selects *.integration.test.ts (tests that need a
// real control plane); other arguments pass through to Jest.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const integration = args.includes('--integration');
const rest = args.filter((a) => a !== '--integration');

const jestBin = join(dirname(require.resolve('jest/package.json')), 'bin/jest.js');
const result = spawnSync(
  process.execPath,
  [jestBin, ...(integration ? ['--passWithNoTests'] : []), ...rest],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim(),
      STEWARD_TEST_KIND: integration ? 'integration' : 'unit',
    },
  },
);
process.exit(result.status ?? 1);
