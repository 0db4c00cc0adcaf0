import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import { builtin, crdFor, CustomResource, NotFoundError, resourceRefOf, Schema } from '@steward/core';
import type { CustomResourceDefinition, KubeObject } from '@steward/core';
import type { SimulationPart } from '../sim/simulationTypes.js';
import { waitFor } from '../waitFor.js';
import { startTestEnv, TEST_KUBECONFIG_ENV } from './testEnv.js';
import { TestEnvError } from './testEnvErrors.js';
import type { TestEnv } from './testEnvTypes.js';

interface GadgetSpec {
  color: string;
}
@CustomResource({ group: 'envtest.steward.dev', version: 'v1', kind: 'Gadget' })
class Gadget {
  @Schema({ type: 'object', properties: { color: { type: 'string' } }, required: ['color'] })
  spec!: GadgetSpec;
}
const gadgets = resourceRefOf(Gadget);

const envs: TestEnv[] = [];
async function env(options: Parameters<typeof startTestEnv>[0] = {}): Promise<TestEnv> {
  const e = await startTestEnv(options);
  envs.push(e);
  return e;
}
afterEach(async () => {
  await Promise.all(envs.splice(0).map((e) => e.stop()));
});

/** True when something accepts TCP connections on `port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('embedded target', () => {
  test('serves a client and a kubeconfig file kubectl can use; stop() undoes it all and is idempotent', async () => {
    const e = await env();
    expect(e.target).toBe('embedded');
    expect(e.namespace).toBe('default');
    const port = e.server?.port ?? 0;
    expect(port).toBeGreaterThan(0);
    await e.client.create(builtin.configmaps, {
      metadata: { name: 'a', namespace: 'default' },
      data: { k: 'v' },
    });
    const { stdout } = await promisify(execFile)('kubectl', [
      '--kubeconfig',
      e.kubeconfigPath,
      'get',
      'configmap',
      'a',
      '-o',
      'jsonpath={.data.k}',
    ]);
    expect(stdout).toBe('v');

    await e.stop();
    await e.stop();
    expect(existsSync(e.kubeconfigPath)).toBe(false);
    expect(await listening(port)).toBe(false);
  });

  test('namespace: true creates a fresh namespace and points the kubeconfig file at it', async () => {
    const [a, b] = await Promise.all([env({ namespace: true }), env({ namespace: true })]);
    expect(a?.namespace).toMatch(/^steward-test-[0-9a-f]{8}$/);
    expect(a?.namespace).not.toBe(b?.namespace);
    if (!a) return;
    const ns = await a.client.get(builtin.namespaces, a.namespace);
    expect(ns.metadata.name).toBe(a.namespace);
    const file = JSON.parse(await readFile(a.kubeconfigPath, 'utf8')) as {
      contexts: { context: { namespace: string } }[];
    };
    expect(file.contexts[0]?.context.namespace).toBe(a.namespace);
    expect(a.kubeConfig.getContextObject(a.kubeConfig.getCurrentContext())?.namespace).toBe(a.namespace);
  });

  test('installs @CustomResource classes and CRD objects, served when startTestEnv resolves', async () => {
    const other: CustomResourceDefinition = {
      ...crdFor(Gadget),
      metadata: { name: 'widgets.envtest.steward.dev' },
    };
    other.spec = {
      ...other.spec,
      names: { kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget' },
    };
    const e = await env({ crds: [Gadget, other], namespace: true });
    const created = await e.client.create<KubeObject & { spec: GadgetSpec }>(gadgets, {
      metadata: { name: 'g', namespace: e.namespace },
      spec: { color: 'red' },
    });
    expect(created.spec.color).toBe('red');
    const widgets = { ...gadgets, kind: 'Widget', plural: 'widgets' };
    expect((await e.client.list(widgets, { namespace: e.namespace })).items).toEqual([]);
  });

  test('a failed start removes what it made and names the step', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'steward-env-fail-'));
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = dir;
    let port = 0;
    try {
      const bad = {
        ...crdFor(Gadget),
        spec: { ...crdFor(Gadget).spec, scope: 'Sideways' },
      } as unknown as CustomResourceDefinition;
      const error = await startTestEnv({
        crds: [bad],
        server: {
          onRequest: async (req) => {
            port = Number(req.headers.host?.split(':')[1] ?? 0);
            return false;
          },
        },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TestEnvError);
      expect((error as TestEnvError).code).toBe('TEST_ENV_CRD');
      expect((error as Error).message).toContain('gadgets.envtest.steward.dev');
      expect(await readdir(dir)).toEqual([]);
      expect(port).toBeGreaterThan(0);
      expect(await listening(port)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('simulate', () => {
  test('installs the given parts on a started simulation manager of its own', async () => {
    const part: SimulationPart = {
      name: 'stamper',
      install(m) {
        m.add({
          name: 'stamper',
          for: builtin.configmaps,
          async reconcile(cm, ctx) {
            if (cm.metadata.labels?.['stamped'] === 'yes') return;
            await ctx.client.patch(
              builtin.configmaps,
              cm.metadata.name ?? '',
              { metadata: { labels: { stamped: 'yes' } } },
              { namespace: cm.metadata.namespace ?? '' },
            );
          },
        });
      },
    };
    const e = await env({ simulate: [part], namespace: true });
    expect(e.simulation?.parts.map((p) => p.name)).toEqual(['stamper']);
    expect(e.manager?.isLeader()).toBe(true);
    await e.client.create(builtin.configmaps, { metadata: { name: 'c', namespace: e.namespace } });
    const stamped = await waitFor(
      async () => {
        const cm = await e.client.get(builtin.configmaps, 'c', { namespace: e.namespace });
        return cm.metadata.labels?.['stamped'] === 'yes' ? cm : undefined;
      },
      { description: 'the stamper part to label ConfigMap c' },
    );
    expect(stamped.metadata.labels).toEqual({ stamped: 'yes' });
    expect(e.simulation?.logs.length).toBeGreaterThan(0);
  });

  test('simulate: true runs the whole simulated cluster: a StatefulSet gets Ready Pods', async () => {
    const e = await env({ simulate: true, namespace: true });
    expect(e.simulation?.parts.map((p) => p.name).sort()).toEqual([
      'endpoints',
      'garbage-collector',
      'kubelet',
      'namespaces',
      'statefulsets',
      'volumes',
    ]);
    expect(e.simulation?.kubelet).toBeDefined();
    const labels = { app: 'db' };
    await e.client.create(builtin.statefulsets, {
      metadata: { name: 'db', namespace: e.namespace },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'db', image: 'postgres:17' }] } },
      },
    });
    const get = () =>
      e.client.get<KubeObject & { status?: { readyReplicas?: number } }>(builtin.statefulsets, 'db', {
        namespace: e.namespace,
      });
    await waitFor(async () => (await get()).status?.readyReplicas === 2, {
      timeout: 20_000,
      description: 'StatefulSet db to have 2 Ready replicas',
      state: async () => (await get()).status,
    });
    const pods = await e.client.list(builtin.pods, { namespace: e.namespace });
    expect(pods.items.map((p) => p.metadata.name ?? '').sort()).toEqual(['db-0', 'db-1']);
  });

  test('a part that fails to install fails the start with TEST_ENV_SIMULATION', async () => {
    const broken: SimulationPart = {
      name: 'broken',
      install() {
        throw new Error('no nodes for you');
      },
    };
    const error = await startTestEnv({ simulate: [broken] }).catch((e: unknown) => e);
    expect((error as TestEnvError).code).toBe('TEST_ENV_SIMULATION');
    expect((error as Error).message).toContain('no nodes for you');
  });
});

describe('cluster target', () => {
  test('{ kubeConfig } uses that cluster and deletes the fresh namespace on stop', async () => {
    const cluster = await startApiServer({ port: 0 });
    try {
      const e = await startTestEnv({
        target: { kubeConfig: cluster.kubeConfig },
        namespace: true,
        crds: [Gadget],
      });
      expect(e.target).toBe('cluster');
      expect(e.server).toBeUndefined();
      await e.client.create(gadgets, {
        metadata: { name: 'g', namespace: e.namespace },
        spec: { color: 'blue' },
      });
      await e.stop();
      const probe = await startTestEnv({ target: { kubeConfig: cluster.kubeConfig } });
      const ns = await probe.client.get(builtin.namespaces, e.namespace).catch((err: unknown) => err);
      await probe.stop();
      // Deleted: gone, or Terminating on a server whose namespace controller has yet to finish.
      const deleted =
        ns instanceof NotFoundError || (ns as KubeObject).metadata.deletionTimestamp !== undefined;
      expect(deleted).toBe(true);
    } finally {
      await cluster.stop();
    }
  });

  test(`${TEST_KUBECONFIG_ENV} switches the default target to that cluster`, async () => {
    const cluster = await startApiServer({ port: 0 });
    const dir = await mkdtemp(join(tmpdir(), 'steward-env-var-'));
    const saved = process.env[TEST_KUBECONFIG_ENV];
    try {
      const path = join(dir, 'config');
      await writeFile(path, JSON.stringify(cluster.kubeConfig));
      process.env[TEST_KUBECONFIG_ENV] = path;
      const e = await env();
      expect(e.target).toBe('cluster');
      await e.client.create(builtin.configmaps, { metadata: { name: 'via-env', namespace: 'default' } });
      delete process.env[TEST_KUBECONFIG_ENV];
      const direct = await env({ target: { kubeConfig: cluster.kubeConfig } });
      expect(
        (await direct.client.get(builtin.configmaps, 'via-env', { namespace: 'default' })).metadata.name,
      ).toBe('via-env');
    } finally {
      if (saved === undefined) delete process.env[TEST_KUBECONFIG_ENV];
      else process.env[TEST_KUBECONFIG_ENV] = saved;
      await Promise.all(envs.splice(0).map((e) => e.stop()));
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
