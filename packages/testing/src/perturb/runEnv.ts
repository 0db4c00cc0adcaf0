/**
 * A fresh world for one perturbation run, on `startTestEnv()` and `runManager()`: an embedded API
 * server with the CRDs served, the test's client, and the operator on a recording client that can be
 * crashed and started again. Start with {@link startRunEnv}.
 */
import type { ApiServer } from '@steward/apiserver';
import { apiVersionOf, builtin, crdFor, kubeClient, refFor, resourceRefOf } from '@steward/core';
import type { Class, CustomResourceDefinition, KubeObject, Manager, ResourceRef } from '@steward/core';
import { OPERATOR_USER_AGENT, runManager } from '../env/runManager.js';
import type { RunningManager } from '../env/runManager.js';
import { startTestEnv } from '../env/testEnv.js';
import type { TestEnv, TestEnvOptions } from '../env/testEnvTypes.js';
import type { RecordedWrite } from './perturbationTypes.js';
import { recordingClient } from './recordingClient.js';
import type { RecordingClient, RecordingHooks } from './recordingClient.js';

/** The operator's User-Agent: faults on watches and requests match it, never the test's own client. */
export const OPERATOR_AGENT = OPERATOR_USER_AGENT;

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

/** A fresh embedded server with the CRDs served (never a cluster: the runner needs `server.faults`). */
export async function startRunEnv(
  crds: readonly { crd: KubeObject }[],
  simulate?: TestEnvOptions['simulate'],
): Promise<TestEnv & { server: ApiServer }> {
  const env = await startTestEnv({
    crds: crds.map((c) => c.crd as CustomResourceDefinition),
    target: 'embedded',
    ...(simulate === undefined ? {} : { simulate }),
  });
  const server = env.server;
  if (server === undefined) {
    await env.stop();
    throw new TypeError('perturbationTest needs the embedded API server and its fault API');
  }
  return Object.assign(env, { server });
}

export interface RunningOperator {
  readonly recording: RecordingClient;
  readonly running: RunningManager;
  /** Crash semantics: refuse every request, then stop at once without waiting for reconciles. */
  kill(): Promise<void>;
}

/**
 * Waits until the server holds `count` watches of the operator: a synced informer has listed, but its
 * watch request may still be on its way, and a hold placed before it arrives would miss it.
 */
export async function watchesOpen(server: ApiServer, count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const response = await fetch(`${server.url}/steward/watches`);
    const { watches } = (await response.json()) as { watches: { userAgent: string }[] };
    if (watches.filter((w) => w.userAgent.includes(OPERATOR_AGENT)).length >= count) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The operator on a recording client of its own (fresh connections, fresh caches), started. */
export async function startOperator(
  env: TestEnv,
  setup: (manager: Manager) => void | Promise<void>,
  hooks: RecordingHooks,
  writes: RecordedWrite[],
): Promise<RunningOperator> {
  const inner = kubeClient(env.kubeConfig, { userAgent: OPERATOR_AGENT, qps: Infinity });
  const recording = recordingClient(inner, hooks, writes);
  const running = await runManager(env, setup, { client: recording.client }).catch((error: unknown) => {
    inner.close();
    throw error;
  });
  if (env.server !== undefined) await watchesOpen(env.server, running.manager.informers.health().length);
  return {
    recording,
    running,
    async kill() {
      recording.kill();
      await running.manager.stop({ deadlineMs: 0 });
      await running.stop();
      inner.close();
    },
  };
}
