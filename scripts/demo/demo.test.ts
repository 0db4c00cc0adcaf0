/**
 * `pnpm demo` end to end, as CI and a newcomer run it: a child process in its non-terminal mode
 * (stdout is a pipe), which must end in its summary with every step converged and exit 0. Slow (the
 * whole demo runs): about 8 s each here.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@jest/globals';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the demo; `onOutput` sees the output so far on every chunk (and may signal the child). */
function runDemo(
  args: string[] = [],
  onOutput?: (out: string, child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', './scripts/ts-register.mjs', 'scripts/demo/demo.ts', ...args],
      // Jest's ESM flags must not leak into the demo's Node.
      { cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      onOutput?.(out, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('pnpm demo converges: six steps ok in the summary, exit 0', async () => {
  const { code, out } = await runDemo();
  if (code !== 0 || !out.includes('all converged'))
    throw new Error(`exit code ${String(code)}; output:\n${out}`);
  const summary = out.slice(out.indexOf('\nSummary'));
  expect(summary.startsWith('\nSummary')).toBe(true);
  const rows = summary
    .split('\n')
    .filter((l) => /^(postgres|cassandra|kafka) /.test(l))
    .map((l) => l.split(/\s{2,}/));
  // system, step, result, seconds: one bootstrap and one day-2 operation per system.
  expect(rows.map(([system, step, result]) => `${system} ${step?.split(/[ :]/)[0]} ${result}`)).toEqual([
    'postgres bootstrap ok',
    'cassandra bootstrap ok',
    'kafka bootstrap ok',
    'postgres failover ok',
    'cassandra scale-down ok',
    'kafka scale-down ok',
  ]);
  for (const row of rows) expect(Number(row[3])).toBeGreaterThan(0);
  // The operators' own Events were shown as they happened: the day-2 work, not only its result.
  for (const reason of [
    'DecommissioningNode',
    'NodeLeft',
    'MovingPartitions',
    'UnregisteredBroker',
    'FailedOver',
  ])
    expect(`${reason}: ${String(out.includes(`${reason} — `))}`).toBe(`${reason}: true`);
  expect(out).not.toContain('\x1b['); // plain lines when stdout is not a terminal
}, 180_000);

test('pnpm demo --keep writes the kubeconfig, stays up, and stops cleanly with exit 0 on SIGINT', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'steward-demo-test-'));
  const path = join(dir, 'kubeconfig');
  try {
    let signalled = false;
    const { code, out } = await runDemo(['--keep', '--kubeconfig', path], (text, child) => {
      if (signalled || !text.includes('Ctrl-C stops everything')) return;
      signalled = true;
      child.kill('SIGINT');
    });
    if (!signalled) throw new Error(`the demo never said it stays up; output:\n${out}`);
    if (code !== 0) throw new Error(`exit code ${String(code)}; output:\n${out}`);
    expect(out).toContain(`export KUBECONFIG=${path}`);
    expect(out).toMatch(/metrics {2}http:\/\/127\.0\.0\.1:\d+\/metrics/);
    expect(out).toContain('stopping: manager');
    const kubeconfig = await readFile(path, 'utf8');
    expect(kubeconfig).toContain('http://127.0.0.1:');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 180_000);
