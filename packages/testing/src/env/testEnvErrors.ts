/**
 * The coded errors a test environment raises. Start with {@link TestEnvError}; every one names what
 * failed (the CRD, the namespace, the target) and what to do.
 */
import { StewardError } from '@steward/core';

/** A test environment could not start (or clean up); `code` says which step. */
export class TestEnvError extends StewardError {
  constructor(
    code:
      'TEST_ENV_TARGET' | 'TEST_ENV_CRD' | 'TEST_ENV_NAMESPACE' | 'TEST_ENV_SIMULATION' | 'TEST_ENV_STOPPED',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, false, options);
  }
}
