// Discovery over real HTTP: legacy documents, aggregated discovery when asked for, and kubectl's view.
/* oxlint-disable typescript/no-explicit-any -- tests read JSON answers field by field */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer, type ApiServer } from '../apiServer.js';

const run = promisify(execFile);
let server: ApiServer;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'steward-discovery-'));
  kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, JSON.stringify(server.kubeConfig));
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

const get = async (
  path: string,
  accept = 'application/json',
): Promise<{ type: string | null; json: any }> => {
  const res = await fetch(`${server.url}${path}`, { headers: { Accept: accept } });
  return { type: res.headers.get('content-type'), json: await res.json() };
};

describe('discovery', () => {
  test('/api/v1 lists core resources with subresources right after their resource', async () => {
    const { json } = await get('/api/v1');
    const names: string[] = json.resources.map((r: any) => r.name);
    const at = names.indexOf('pods');
    expect(names.slice(at, at + 4)).toEqual(['pods', 'pods/binding', 'pods/eviction', 'pods/status']);
    expect(json.resources.find((r: any) => r.name === 'pods/eviction')).toMatchObject({
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
    expect(json.resources.find((r: any) => r.name === 'pods')).toMatchObject({
      kind: 'Pod',
      namespaced: true,
      shortNames: ['po'],
      categories: ['all'],
    });
  });

  test('scale subresources are autoscaling/v1 Scale', async () => {
    const { json } = await get('/apis/apps/v1');
    expect(json.resources.find((r: any) => r.name === 'deployments/scale')).toMatchObject({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
  });

  test('aggregated discovery answers with the apidiscovery.k8s.io/v2 media type', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const { type, json } = await get('/apis', accept);
    expect(type).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(json.kind).toBe('APIGroupDiscoveryList');
    const apps = json.items.find((g: any) => g.metadata.name === 'apps');
    const deployments = apps.versions[0].resources.find((r: any) => r.resource === 'deployments');
    expect(deployments.subresources.map((s: any) => s.subresource)).toEqual(['scale', 'status']);
  });

  test('kubectl api-resources sees built-ins with their short names', async () => {
    const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'api-resources', '--no-headers']);
    expect(stdout).toMatch(/^statefulsets\s+sts\s+apps\/v1\s+true\s+StatefulSet$/m);
    expect(stdout).toMatch(
      /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/m,
    );
  });
});
