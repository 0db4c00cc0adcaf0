/**
 * `startTestEnv()`: a place for an operator's test to run — a fresh embedded API server or an existing
 * cluster — with CRDs installed and served, an optional fresh namespace, an optional cluster simulation,
 * and a kubeconfig file for kubectl. Start with {@link startTestEnv}; shapes are in testEnvTypes.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '@steward/apiserver';
import type { ApiServer } from '@steward/apiserver';
import { builtin, kubeClient, loadKubeConfig, NotFoundError } from '@steward/core';
import type { KubeClient } from '@steward/core';
import { installCrds } from './installCrds.js';
import { startSimulation, type RunningSimulation } from './startSimulation.js';
import { runEnvStopHooks } from './stopHooks.js';
import { TestEnvError } from './testEnvErrors.js';
import type { KubeConfig, TestEnv, TestEnvOptions, TestTarget } from './testEnvTypes.js';

/** The environment variable that points every test environment at an existing cluster. */
export const TEST_KUBECONFIG_ENV = 'STEWARD_TEST_KUBECONFIG';

/** The user agent of the environment's own client. */
export const TEST_ENV_USER_AGENT = 'steward-test';

interface KubeconfigDocument {
  contexts?: { name: string; context: { namespace?: string } }[];
  'current-context'?: string;
}

function defaultTarget(): TestTarget {
  const path = process.env[TEST_KUBECONFIG_ENV];
  return path ? { kubeConfig: path } : 'embedded';
}

/** A fresh namespace name: short, DNS-1123, unlikely to collide with a parallel test's. */
function freshNamespace(): string {
  return `steward-test-${randomBytes(4).toString('hex')}`;
}

/** Writes `doc` (JSON is YAML) with its current context's namespace set, so kubectl lands there. */
async function writeKubeconfig(dir: string, doc: KubeconfigDocument, namespace: string): Promise<string> {
  const copy = structuredClone(doc);
  const current = copy.contexts?.find((c) => c.name === copy['current-context']);
  if (current) current.context.namespace = namespace;
  const path = join(dir, 'kubeconfig');
  await writeFile(path, JSON.stringify(copy, null, 2), { mode: 0o600 });
  return path;
}

/**
 * Starts a test environment. Everything it made is undone by `stop()`, and by itself when a step fails
 * (the error is a `TestEnvError` naming the step). CRDs are left installed on a real cluster, as
 * envtest leaves them: other tests may be using them.
 */
export async function startTestEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  const target = options.target ?? defaultTarget();
  const kind = target === 'embedded' ? 'embedded' : 'cluster';
  const undo: (() => Promise<void>)[] = [];
  const cleanUp = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const fn of undo.splice(0).reverse()) await fn().catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw errors[0];
  };
  try {
    const dir = await mkdtemp(join(tmpdir(), 'steward-test-env-'));
    undo.push(() => rm(dir, { recursive: true, force: true }));

    let server: ApiServer | undefined;
    let doc: KubeconfigDocument;
    if (target === 'embedded') {
      const started = await startApiServer({ ...options.server, port: options.server?.port ?? 0 });
      server = started;
      undo.push(async () => void (await started.stop()));
      doc = started.kubeConfig;
    } else {
      try {
        doc = JSON.parse(loadKubeConfig(target.kubeConfig).exportConfig()) as KubeconfigDocument;
      } catch (error) {
        throw new TestEnvError(
          'TEST_ENV_TARGET',
          `startTestEnv: the target's kubeconfig could not be loaded: ${(error as Error).message}; pass a KubeConfig, a kubeconfig object or a path (or set ${TEST_KUBECONFIG_ENV})`,
          { cause: error },
        );
      }
    }

    const namespace = options.namespace === true ? freshNamespace() : 'default';
    const kubeconfigPath = await writeKubeconfig(dir, doc, namespace);
    const kubeConfig: KubeConfig = loadKubeConfig(kubeconfigPath);
    const client: KubeClient = kubeClient(kubeConfig, { qps: Infinity, userAgent: TEST_ENV_USER_AGENT });
    undo.push(async () => client.close());

    if (options.namespace === true) {
      try {
        await client.create(builtin.namespaces, {
          metadata: { name: namespace, labels: { 'steward.dev/test': 'true' } },
        });
      } catch (error) {
        throw new TestEnvError(
          'TEST_ENV_NAMESPACE',
          `startTestEnv: creating namespace ${namespace} failed: ${(error as Error).message}`,
          { cause: error },
        );
      }
      // The embedded server goes away whole; a real cluster keeps what is not deleted.
      if (kind === 'cluster') undo.push(() => deleteNamespace(client, namespace));
    }

    await installCrds(client, options.crds ?? [], { namespace, timeoutMs: options.crdTimeoutMs ?? 30_000 });

    let sim: RunningSimulation | undefined;
    const simulate = options.simulate;
    if (simulate !== undefined && simulate !== false) {
      const started = await startSimulation(kubeConfig, simulate, kind, options.log);
      undo.push(() => started.stop());
      sim = started;
    }

    let stopping: Promise<void> | undefined;
    const env: TestEnv = {
      kubeConfig,
      kubeconfigPath,
      client,
      server,
      namespace,
      target: kind,
      manager: sim?.manager,
      simulation: sim?.simulation,
      stop: () =>
        (stopping ??= (async () => {
          // The operators first (they may still be writing), then the simulation and the rest.
          const hooks = runEnvStopHooks(env).catch((e: unknown) => e);
          const hookError = await hooks;
          await cleanUp();
          if (hookError !== undefined) throw hookError;
        })()),
    };
    return env;
  } catch (error) {
    await cleanUp().catch(() => {});
    throw error;
  }
}

async function deleteNamespace(client: KubeClient, name: string): Promise<void> {
  try {
    await client.delete(builtin.namespaces, name, { propagationPolicy: 'Background' });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}
