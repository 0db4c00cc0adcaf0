/**
 * A fresh world for one perturbation run: an embedded API server with the CRDs served, the test's
 * client, and the operator started on a recording client that can be crashed and started again.
 * Internal to `perturb/`, so it can move onto `startTestEnv()`/`runManager()` without touching callers.
 * Start with {@link startRunEnv}.
 */
import { startApiServer } from '@steward/apiserver';
import type { ApiServer } from '@steward/apiserver';
import { apiVersionOf, builtin, crdFor, kubeClient, loadKubeConfig, manager, refFor } from '@steward/core';
import { resourceRefOf } from '@steward/core';
import type { Class, KubeClient, KubeObject, Manager, ResourceRef } from '@steward/core';
import type { PerturbationTestOptions, RecordedWrite } from './perturbationTypes.js';
import { recordingClient } from './recordingClient.js';
import type { RecordingClient, RecordingHooks } from './recordingClient.js';

/** The operator's User-Agent: faults on watches and requests match it, and never the test's own client. */
export const OPERATOR_AGENT = 'steward-perturb-operator';
const TEST_AGENT = 'steward-perturb-test';

interface CrdObject extends KubeObject {
  spec: {
    group: string;
    names: { kind: string; plural: string };
    scope: 'Namespaced' | 'Cluster';
    versions: { name: string; served?: boolean; storage?: boolean }[];
  };
}

/** The CRD object and the reference of its storage version, for a class or a CRD object. */
export function crdAndRef(crd: object): { crd: KubeObject; ref: ResourceRef } {
  if (typeof crd === 'function') return { crd: crdFor(crd as Class), ref: resourceRefOf(crd as Class) };
  const object = crd as CrdObject;
  const { group, names, scope, versions } = object.spec;
  const version = versions.find((v) => v.storage) ?? versions[0];
  if (version === undefined) throw new TypeError(`CRD ${object.metadata?.name ?? '?'} has no versions`);
  const ref = refFor(`${group}/${version.name}`, names.kind, names.plural, scope === 'Namespaced');
  return { crd: object, ref };
}

/** The reference of an object to apply: from the CRDs, then the built-ins. */
export function refOfObject(obj: KubeObject, crdRefs: readonly ResourceRef[]): ResourceRef | undefined {
  const candidates: ResourceRef[] = [...crdRefs, ...Object.values(builtin)];
  return candidates.find((r) => r.kind === obj.kind && apiVersionOf(r) === obj.apiVersion);
}

export interface RunEnv {
  server: ApiServer;
  /** The test's client (scenario steps, the observer); faults never match it. */
  client: KubeClient;
  stop(): Promise<void>;
}

export async function startRunEnv(crds: readonly { crd: KubeObject; ref: ResourceRef }[]): Promise<RunEnv> {
  const server = await startApiServer({ port: 0 });
  const client = kubeClient(loadKubeConfig(server.kubeConfig), { userAgent: TEST_AGENT, qps: Infinity });
  try {
    for (const { crd } of crds) await client.create(builtin.customresourcedefinitions, crd);
    for (const { ref } of crds) await servedOrThrow(client, ref);
  } catch (error) {
    client.close();
    await server.stop();
    throw error;
  }
  return {
    server,
    client,
    async stop() {
      client.close();
      await server.stop();
    },
  };
}

async function servedOrThrow(client: KubeClient, ref: ResourceRef): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.list(ref, { limit: 1 });
      return;
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export interface RunningOperator {
  readonly recording: RecordingClient;
  readonly manager: Manager;
  /** Crash semantics: refuse every request, then stop at once without waiting for reconciles. */
  kill(): Promise<void>;
}

export async function startOperator(
  env: RunEnv,
  options: Pick<PerturbationTestOptions, 'setup'>,
  hooks: RecordingHooks,
  writes: RecordedWrite[],
  log: (line: string) => void,
): Promise<RunningOperator> {
  const inner = kubeClient(loadKubeConfig(env.server.kubeConfig), {
    userAgent: OPERATOR_AGENT,
    qps: Infinity,
  });
  const recording = recordingClient(inner, hooks, writes);
  const m = manager({
    client: recording.client,
    log: (entry) => log(`${entry.level} ${entry.controller} ${entry.key ?? ''} ${entry.msg}`),
  });
  await options.setup(m);
  await m.start();
  return {
    recording,
    manager: m,
    async kill() {
      recording.kill();
      await m.stop({ deadlineMs: 0 });
      inner.close();
    },
  };
}
