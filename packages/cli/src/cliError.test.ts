import { expect, test } from '@jest/globals';
import { StewardError } from '@steward/core';
import { CliError, isCliError, reportError } from './cliError.js';

function sink() {
  const lines: string[] = [];
  return { err: (t: string) => void lines.push(t), text: () => lines.join('') };
}

test('a CliError prints one line "steward: <message>" and exits 1', () => {
  const { err, text } = sink();
  const e = new CliError('CRD_NOT_FOUND', 'ops.ts: no such file; check the path');
  expect(e).toBeInstanceOf(StewardError);
  expect(e.retryable).toBe(false);
  expect(reportError(e, err)).toBe(1);
  expect(text()).toBe('steward: ops.ts: no such file; check the path\n');
});

test('any other error prints its stack and exits 2', () => {
  const { err, text } = sink();
  expect(reportError(new TypeError('boom'), err)).toBe(2);
  expect(text()).toMatch(/^TypeError: boom\n\s+at /);
});

test("commander's errors keep their exit code and print nothing more", () => {
  const { err, text } = sink();
  expect(reportError(Object.assign(new Error('x'), { exitCode: 1 }), err)).toBe(1);
  expect(text()).toBe('');
});

test('isCliError recognises a CliError from another copy of the module by name', () => {
  const foreign = Object.assign(new Error('m'), { name: 'CliError', code: 'X' });
  expect(isCliError(foreign)).toBe(true);
  expect(isCliError(new Error('m'))).toBe(false);
});
