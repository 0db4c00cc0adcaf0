/**
 * Test harness for the StatefulSet and volume parts: an embedded API server, a manager running the
 * parts under test, Pod readiness marked by hand (the kubelet is another part), and a recorder of
 * watch events in arrival order. Start with {@link startSim}.
 */
import { startApiServer } from '@steward/apiserver';
import type { ApiServer } from '@steward/apiserver';
import { builtin, manager } from '@steward/core';
import type { KubeClient, KubeObject, Manager, ResourceRef } from '@steward/core';
import type { SimulationPart } from '../simulationTypes.js';

export interface Sim {
  server: ApiServer;
  manager: Manager;
  client: KubeClient;
  namespace: string;
  stop(): Promise<void>;
}

export async function startSim(parts: SimulationPart[], namespace = 'default'): Promise<Sim> {
  const server = await startApiServer({ port: 0, bookmarkIntervalMs: 1_000 });
  const m = manager({ kubeConfig: server.kubeConfig, log: () => {} });
  for (const part of parts) await part.install(m);
  await m.start();
  return {
    server,
    manager: m,
    client: m.client,
    namespace,
    async stop() {
      try {
        await m.stop({ deadlineMs: 2_000 });
      } finally {
        await server.stop();
      }
    },
  };
}

/** What the kubelet would report for a started, healthy Pod: phase Running and the Ready condition True. */
export async function markReady(client: KubeClient, namespace: string, name: string): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: now }];
  await client.patchStatus(builtin.pods, name, { status: { phase: 'Running', conditions } }, { namespace });
}

export interface Recorded {
  type: string;
  name: string;
  object: KubeObject;
}

/** Records every watch event of a kind in arrival order; `onEvent` runs on each, before the next. */
export function record(
  client: KubeClient,
  ref: ResourceRef,
  namespace: string,
  onEvent?: (e: Recorded) => void | Promise<void>,
): { events: Recorded[]; names(type: string): string[]; close(): void } {
  const events: Recorded[] = [];
  const stream = client.watch(ref, { namespace });
  void (async () => {
    try {
      for await (const e of stream) {
        const r = { type: e.type, name: e.object.metadata.name ?? '', object: e.object };
        events.push(r);
        await onEvent?.(r);
      }
    } catch {
      // closed by the test
    }
  })();
  return {
    events,
    names: (type) => events.filter((e) => e.type === type).map((e) => e.name),
    close: () => stream.close(),
  };
}
