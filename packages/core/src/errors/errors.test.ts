import { describe, expect, test } from '@jest/globals';
import { isTerminal, StewardError, TerminalError } from './errors.js';

describe('TerminalError', () => {
  test('is a non-retryable StewardError with a stable code', () => {
    const e = new TerminalError('spec.storage.size is immutable');
    expect(e).toBeInstanceOf(StewardError);
    expect(e.code).toBe('TERMINAL');
    expect(e.retryable).toBe(false);
    expect(e.name).toBe('TerminalError');
  });

  test('keeps the wrapped error as cause', () => {
    const cause = new Error('boom');
    expect(new TerminalError('gave up', { cause }).cause).toBe(cause);
  });

  test('isTerminal finds a TerminalError anywhere in the cause chain', () => {
    const inner = new TerminalError('bad spec');
    const outer = new Error('reconcile failed', { cause: new Error('step 2', { cause: inner }) });
    expect(isTerminal(outer)).toBe(true);
    expect(isTerminal(new Error('transient'))).toBe(false);
    expect(isTerminal('not an error')).toBe(false);
  });
});
