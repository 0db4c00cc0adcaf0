// One Jest configuration for the whole workspace. TypeScript is compiled by swc (file by file, legacy
// decorators with metadata, as class-validator needs); ESM runs under --experimental-vm-modules,
// which scripts/jest.mjs sets. Cross-package imports resolve to sources, so tests need no build.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
    target: 'es2022',
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

import { existsSync } from 'node:fs';

const integration = process.env.STEWARD_TEST_KIND === 'integration';

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['packages', 'examples', 'scripts', 'docs']
    .filter((dir) => existsSync(new URL(dir, import.meta.url)))
    .map((dir) => `<rootDir>/${dir}`),
  testMatch: integration ? ['**/*.integration.test.ts'] : ['**/*.test.ts'],
  testPathIgnorePatterns: integration
    ? ['/node_modules/', '/dist/', '/test/golden/']
    : ['/node_modules/', '/dist/', '\\.integration\\.test\\.ts$', '/test/golden/'],
  moduleNameMapper: {
    '^@steward/(core|apiserver|testing|cli)$': '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  // Embedded-server tests open sockets; a leaked one should fail loudly, not hang CI.
  testTimeout: 30_000,
  // Two cores: more workers than that only adds contention.
  maxWorkers: 2,
};
