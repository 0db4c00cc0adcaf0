// Jest for this operator. swc compiles TypeScript file by file with legacy decorators and their
// metadata (class-validator and the CRD generator read them); ESM runs under
// --experimental-vm-modules, which the `test` script passes.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
          target: 'es2022',
        },
        module: { type: 'es6' },
      },
    ],
  },
  // The embedded API server starts in each test; a leaked socket should fail, not hang.
  testTimeout: 30_000,
};
