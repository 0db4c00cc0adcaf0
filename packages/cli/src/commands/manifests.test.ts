import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import { readTree } from '../manifests/golden.fixture.js';
import { run } from '../program.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/operators/', import.meta.url));
const golden = fileURLToPath(new URL('../../test/golden/manifests/', import.meta.url));
const image = 'ghcr.io/example/widget-operator:v0.1.0';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'steward-manifests-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('steward manifests', () => {
  test('writes the golden manifests into --out and the Dockerfile into its parent', async () => {
    const { io, out, err } = capture();
    const code = await run(
      ['manifests', join(fixtures, 'widgetOperator.ts'), '--out', join(dir, 'deploy'), '--image', image],
      io,
    );
    expect({ code, err: err.join('') }).toEqual({ code: 0, err: '' });
    const expected = readTree(golden);
    expected.delete('Dockerfile.pnpm'); // no pnpm-lock.yaml in the project: the npm variant
    expect(readTree(dir)).toEqual(expected);
    expect(out.join('')).toContain(`apply with: kubectl apply -k ${join(dir, 'deploy')}`);
  });

  test('a pnpm project gets the pnpm Dockerfile; an existing Dockerfile is kept', async () => {
    writeFileSync(join(dir, 'pnpm-lock.yaml'), 'lockfileVersion: 9.0\n');
    await run(['manifests', join(fixtures, 'widgetOperator.ts'), '--out', join(dir, 'deploy')], capture().io);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(
      readFileSync(join(golden, 'Dockerfile.pnpm'), 'utf8'),
    );
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    await run(['manifests', join(fixtures, 'widgetOperator.ts'), '--out', join(dir, 'deploy')], capture().io);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM scratch\n');
  });

  test('kubectl apply --dry-run=server -k accepts the output on the embedded server', async () => {
    const deploy = join(dir, 'deploy');
    await run(
      ['manifests', join(fixtures, 'widgetOperator.ts'), '--out', deploy, '--namespace', 'widgets'],
      capture().io,
    );
    const server = await startApiServer({ port: 0 });
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, JSON.stringify(server.kubeConfig));
      const kubectl = (...args: string[]) =>
        promisify(execFile)('kubectl', ['--kubeconfig', kubeconfig, ...args]);
      // A dry run creates nothing, so the objects inside the namespace would find it missing — on a
      // real API server too. Create it first, as a cluster admin would have.
      await kubectl('create', 'namespace', 'widgets');
      const { stdout } = await kubectl('apply', '--dry-run=server', '-k', deploy);
      for (const object of [
        'customresourcedefinition.apiextensions.k8s.io/widgets.fixtures.steward.dev created',
        'serviceaccount/widget-operator created',
        'clusterrole.rbac.authorization.k8s.io/widget-operator created',
        'clusterrolebinding.rbac.authorization.k8s.io/widget-operator created',
        'deployment.apps/widget-operator created',
      ])
        expect(stdout).toContain(`${object} (server dry run)`);
    } finally {
      await server.stop();
    }
  });

  test.each([
    [
      ['noOperator.ts'],
      /steward: manifests: .*noOperator\.ts exports no operator; export one made with defineOperator/,
    ],
    [
      ['twoOperators.ts'],
      /exports 2 operators \(audit-operator, widget-operator\); pick one with --operator <name>/,
    ],
    [
      ['twoOperators.ts', '--operator', 'nope'],
      /exports no operator named "nope"; it exports audit-operator, widget-operator/,
    ],
    [['widgetOperator.ts', '--replicas', 'two'], /--replicas two is not a whole number/],
    [['widgetOperator.ts', '--namespace', 'Bad_NS'], /namespace "Bad_NS" is not a DNS label/],
  ])('%j fails with one line naming the problem and exit 1', async ([file, ...args], message) => {
    const { io, err } = capture();
    expect(
      await run(['manifests', join(fixtures, file ?? ''), '--out', join(dir, 'deploy'), ...args], io),
    ).toBe(1);
    expect(err.join('')).toMatch(message);
    expect(err.join('').trim().split('\n')).toHaveLength(1);
  });

  test('--operator picks one of several', async () => {
    const code = await run(
      [
        'manifests',
        join(fixtures, 'twoOperators.ts'),
        '--out',
        join(dir, 'deploy'),
        '--operator',
        'audit-operator',
      ],
      capture().io,
    );
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'deploy', 'deployment.yaml'), 'utf8')).toContain('name: audit-operator');
  });
});
