import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { widgetOperator } from '../../test/fixtures/operators/widgetOperator.js';
import { dockerfileFor } from './dockerfile.js';
import { generateManifests } from './generate.js';
import { expectGolden } from './golden.fixture.js';

const golden = fileURLToPath(new URL('../../test/golden/manifests/', import.meta.url));
const image = 'ghcr.io/example/widget-operator:v0.1.0';

describe('generateManifests', () => {
  test('the fixture operator matches the golden files (deploy/ and the Dockerfile beside it)', async () => {
    const files = await generateManifests(widgetOperator, { image });
    const tree = new Map([...files].map(([path, text]) => [`deploy/${path}`, text]));
    tree.set('Dockerfile', dockerfileFor(widgetOperator.name));
    tree.set('Dockerfile.pnpm', dockerfileFor(widgetOperator.name, { packageManager: 'pnpm' }));
    expectGolden(golden, tree);
  });

  test('the kustomization lists every other file; namespace, replicas and image reach the objects', async () => {
    const files = await generateManifests(widgetOperator, { image: 'op:1', namespace: 'ops', replicas: 3 });
    const kustomization = parse(files.get('kustomization.yaml') ?? '') as { resources: string[] };
    expect(kustomization.resources.sort()).toEqual(
      [...files.keys()].filter((p) => p !== 'kustomization.yaml').sort(),
    );
    const deployment = parse(files.get('deployment.yaml') ?? '');
    expect(deployment.metadata.namespace).toBe('ops');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0].image).toBe('op:1');
    expect(parse(files.get('clusterrolebinding.yaml') ?? '').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'widget-operator', namespace: 'ops' },
    ]);
    expect(parse(files.get('namespace.yaml') ?? '').metadata.name).toBe('ops');
  });

  test('defaults: namespace <name>-system, image <name>:latest, 2 replicas', async () => {
    const deployment = parse((await generateManifests(widgetOperator)).get('deployment.yaml') ?? '');
    expect(deployment.metadata.namespace).toBe('widget-operator-system');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0].image).toBe('widget-operator:latest');
  });

  test.each([
    [{ namespace: 'Ops_1' }, /namespace "Ops_1" is not a DNS label.*pass --namespace/],
    [{ replicas: 0 }, /replicas 0 must be a whole number/],
    [{ image: 'a b' }, /image "a b" must be an image reference/],
  ])('bad options are CliErrors naming the option (%#)', async (options, message) => {
    await expect(generateManifests(widgetOperator, options)).rejects.toThrow(message);
  });
});
