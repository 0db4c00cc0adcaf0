import { readFileSync } from 'node:fs';
import { expect, test } from '@jest/globals';
import { run } from './program.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

test('--version prints the package version and exits 0', async () => {
  const { io, out } = capture();
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  expect(await run(['--version'], io)).toBe(0);
  expect(out.join('')).toBe(`${version}\n`);
});

test('--help describes the program', async () => {
  const { io, out } = capture();
  expect(await run(['--help'], io)).toBe(0);
  expect(out.join('')).toMatch(/^Usage: steward \[options\]/);
});

test('an unknown option is an error with a pointer to --help', async () => {
  const { io, err } = capture();
  expect(await run(['--frobnicate'], io)).toBe(1);
  expect(err.join('')).toContain("unknown option '--frobnicate'");
  expect(err.join('')).toContain('steward --help');
});
