// Jest configuration of the Node 24 leg: the workspace's configuration, narrowed to @steward/core's
// client and informer tests plus runtime.check.ts, with @kubernetes/client-node resolved to the 2.x
// copy that run.sh cached (STEWARD_CLIENT_NODE2 names its folder) instead of the workspace's 1.4.
import base from '../../jest.config.js';

const clientNode2 = process.env.STEWARD_CLIENT_NODE2;
if (clientNode2 === undefined || clientNode2 === '') {
  throw new Error('scripts/ci-node24/jest.config.js: set STEWARD_CLIENT_NODE2 (run it through run.sh)');
}

/** @type {import('jest').Config} */
export default {
  ...base,
  rootDir: '../..',
  roots: [
    '<rootDir>/packages/core/src/client',
    '<rootDir>/packages/core/src/informer',
    '<rootDir>/scripts/ci-node24',
  ],
  // runtime.check.ts is not named *.test.ts so that the Node 20 suite (which also searches scripts/)
  // never runs it: it asserts Node 24 and client-node 2.x.
  testMatch: ['**/*.test.ts', '**/*.check.ts'],
  moduleNameMapper: {
    // First, so that no later pattern sees the name. Sub-paths too (runtime.check.ts reads package.json).
    '^@kubernetes/client-node$': `${clientNode2}/dist/index.js`,
    '^@kubernetes/client-node/(.*)$': `${clientNode2}/$1`,
    ...base.moduleNameMapper,
  },
};
