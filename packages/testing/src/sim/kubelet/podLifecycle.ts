/**
 * The simulated kubelet's pod lifecycle: schedule an unbound pod, then drive a bound one Pending →
 * Running → Ready (honouring failed nodes, restarts, overrides, readiness gates and data planes), and
 * finalise a deleted one. Start with {@link podLifecycle}; `../kubelet.ts` calls it from its controller
 * and its imperative controls.
 */
import { builtin, ConflictError, NotFoundError, StewardError } from '@steward/core';
import type { CachedReader, KubeClient, KubeObject, ReconcileResult } from '@steward/core';
import type { DataPlanes } from './dataPlane.js';
import { podCidrPrefix } from './nodes.js';
import type { SimNode } from './nodes.js';
import { desiredPodStatus, isoSeconds, podConditions, statusDiffers } from './podStatus.js';
import type { PodRuntime, Readiness } from './podStatus.js';
import { bindPod, misfit, podSpec, unschedulableMessage, wantsScheduling } from './scheduler.js';

/** A control named a pod the kubelet does not run, or a node it did not create. */
export class KubeletSimulationError extends StewardError {
  constructor(message: string) {
    super('KUBELET_SIMULATION', message, false);
    this.name = 'KubeletSimulationError';
  }
}

export interface LifecycleOptions {
  nodes: SimNode[];
  startDelayMs: number;
  readyDelayMs: number;
  probeIntervalMs: number;
  planes: DataPlanes;
}

export const keyOf = (pod: KubeObject): string =>
  `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;

/** Merge-patches the status with the read resourceVersion: a concurrent writer makes it a 409, retried. */
async function writeStatus(
  client: KubeClient,
  pod: KubeObject,
  status: Record<string, unknown>,
): Promise<void> {
  const ours = new Set((status['conditions'] as { type: string }[]).map((c) => c.type));
  const conditions = [
    ...(status['conditions'] as object[]),
    ...podConditions(pod).filter((c) => !ours.has(c.type)),
  ];
  const patch = {
    metadata: { resourceVersion: pod.metadata.resourceVersion },
    status: { ...status, conditions },
  };
  await client.patchStatus(builtin.pods, pod.metadata.name ?? '', patch, {
    namespace: pod.metadata.namespace ?? '',
  });
}

/** Writes the status the runtime implies, unless the pod already holds it. */
async function write(
  client: KubeClient,
  pod: KubeObject,
  rt: PodRuntime,
  readiness: Readiness,
): Promise<void> {
  const desired = desiredPodStatus(pod, rt, readiness);
  if (statusDiffers(pod, desired)) await writeStatus(client, pod, desired);
}

export function podLifecycle(options: LifecycleOptions) {
  const { nodes, planes } = options;
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const failed = new Set<string>();
  const runtimes = new Map<string, PodRuntime>();
  const podsByNode = new Map<string, Set<string>>(nodes.map((n) => [n.name, new Set<string>()]));
  /** Unbound pods waiting for a node to fit: a node's change reconciles them. */
  const unscheduled = new Set<string>();
  const usedIPs = new Map<string, Set<string>>(nodes.map((n) => [n.name, new Set<string>()]));
  /**
   * Pods bound to each node by this kubelet (from the bind, before they start): the scheduler picks
   * the least-loaded node that fits, ties to the first, so placement depends on what runs where — not
   * on how many scheduling attempts came before (which would differ between two runs of one scenario).
   */
  const assigned = new Map<string, Set<string>>(nodes.map((n) => [n.name, new Set<string>()]));

  const allocateIP = (node: SimNode, current: unknown): string => {
    const used = usedIPs.get(node.name) ?? new Set<string>();
    const prefix = `${podCidrPrefix(node.index)}.`;
    let ip =
      typeof current === 'string' && current.startsWith(prefix) && !used.has(current) ? current : undefined;
    for (let i = 2; ip === undefined && i < 255; i++) if (!used.has(prefix + i)) ip = prefix + i;
    if (ip === undefined)
      throw new KubeletSimulationError(`node ${node.name}: no free pod IP in ${prefix}0/24`);
    used.add(ip);
    return ip;
  };

  const runtimeOf = (pod: KubeObject, node: SimNode): PodRuntime => {
    const uid = pod.metadata.uid ?? '';
    let rt = runtimes.get(uid);
    if (rt === undefined) {
      const status = (pod['status'] ?? {}) as { podIP?: unknown; startTime?: string };
      rt = {
        uid,
        nodeName: node.name,
        podIP: allocateIP(node, status.podIP),
        seenAt: Date.now(),
        startTime: status.startTime ?? isoSeconds(Date.now()),
        restarts: new Map(),
        terminatedAt: new Map(),
        down: false,
        systemsStarted: false,
      };
      const counts = (pod['status'] as { containerStatuses?: { name: string; restartCount?: number }[] })
        ?.containerStatuses;
      for (const c of counts ?? []) if (c.restartCount) rt.restarts.set(c.name, c.restartCount);
      runtimes.set(uid, rt);
      podsByNode.get(node.name)?.add(keyOf(pod));
      assigned.get(node.name)?.add(keyOf(pod));
    }
    return rt;
  };

  async function schedule(
    pod: KubeObject,
    client: KubeClient,
    reader: CachedReader,
  ): Promise<ReconcileResult> {
    const cached = await reader.list(builtin.nodes);
    const ours = nodes
      .map((n) => cached.find((c) => c.metadata.name === n.name))
      .filter((n) => n !== undefined);
    const reasons: string[] = [];
    const fits = ours.filter((node) => {
      const why = failed.has(node.metadata.name ?? '') ? 'node(s) were not ready' : misfit(pod, node);
      if (why !== undefined) reasons.push(why);
      return why === undefined;
    });
    const load = (n: KubeObject): number => assigned.get(n.metadata.name ?? '')?.size ?? 0;
    const chosen = fits.reduce<KubeObject | undefined>(
      (best, n) => (best === undefined || load(n) < load(best) ? n : best),
      undefined,
    );
    if (chosen === undefined) {
      unscheduled.add(keyOf(pod));
      const message = unschedulableMessage(reasons, nodes.length);
      const old = podConditions(pod).find((c) => c.type === 'PodScheduled');
      if (old?.message !== message) {
        const condition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message };
        await writeStatus(client, pod, {
          conditions: [{ ...condition, lastProbeTime: null, lastTransitionTime: isoSeconds(Date.now()) }],
        });
      }
      return { requeueAfter: 1000 };
    }
    unscheduled.delete(keyOf(pod));
    // Reserved before the bind is sent: schedules run concurrently and must see each other's choice.
    const reserved = assigned.get(chosen.metadata.name ?? '');
    reserved?.add(keyOf(pod));
    try {
      await bindPod(client, pod, chosen.metadata.name ?? '');
    } catch (error) {
      // Bound meanwhile (409) or gone (404): the next event tells the truth.
      reserved?.delete(keyOf(pod));
      if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
    }
    return undefined;
  }

  /** The pod was deleted (or force-deleted): its containers stop and its IP is free again. */
  function forget(pod: KubeObject): void {
    unscheduled.delete(keyOf(pod));
    for (const pods of assigned.values()) pods.delete(keyOf(pod));
    const rt = runtimes.get(pod.metadata.uid ?? '');
    if (rt === undefined) return;
    runtimes.delete(rt.uid);
    usedIPs.get(rt.nodeName)?.delete(rt.podIP);
    podsByNode.get(rt.nodeName)?.delete(keyOf(pod));
    if (rt.systemsStarted) {
      rt.systemsStarted = false;
      void planes.stopped(pod);
    }
  }

  async function finalise(pod: KubeObject, client: KubeClient, node: SimNode): Promise<ReconcileResult> {
    // A failed node's kubelet confirms nothing: its pods stay Terminating, as on a real cluster.
    if (failed.has(node.name)) return undefined;
    const rt = runtimes.get(pod.metadata.uid ?? '');
    if (rt?.systemsStarted) {
      rt.systemsStarted = false;
      await planes.stopped(pod);
    }
    const deleteOptions = {
      namespace: pod.metadata.namespace ?? '',
      gracePeriodSeconds: 0,
      preconditions: { uid: pod.metadata.uid ?? '' },
    };
    await client.delete(builtin.pods, pod.metadata.name ?? '', deleteOptions).catch((error: unknown) => {
      if (!(error instanceof NotFoundError) && !(error instanceof ConflictError)) throw error;
    });
    return undefined;
  }

  /** One pass of the kubelet over `pod`: what a reconcile and every imperative control run. */
  async function sync(pod: KubeObject, client: KubeClient, reader: CachedReader): Promise<ReconcileResult> {
    if (wantsScheduling(pod)) return schedule(pod, client, reader);
    const node = byName.get(podSpec(pod).nodeName ?? '');
    if (node === undefined) return undefined;
    if (pod.metadata.deletionTimestamp !== undefined) return finalise(pod, client, node);
    const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return undefined;
    const rt = runtimeOf(pod, node);
    const now = Date.now();
    if (failed.has(node.name)) {
      rt.down = true;
      if (rt.systemsStarted) {
        rt.systemsStarted = false;
        await planes.stopped(pod);
      }
      await write(client, pod, rt, { containersReady: false, reason: 'NodeNotReady', hostIP: node.hostIP });
      return undefined;
    }
    if (rt.down) {
      rt.down = false; // the node is back: its containers start again
      if (rt.startedAt !== undefined) rt.startedAt = now;
    }
    if (rt.startedAt === undefined) {
      const wait = rt.seenAt + options.startDelayMs - now;
      if (wait > 0) {
        await write(client, pod, rt, { containersReady: false, hostIP: node.hostIP });
        return { requeueAfter: wait };
      }
      rt.startedAt = now;
    }
    if (!rt.systemsStarted) {
      rt.systemsStarted = true;
      await planes.started(pod);
    }
    let containersReady = false;
    let requeueAfter: number | undefined;
    const readyIn = rt.startedAt + options.readyDelayMs - now;
    if (rt.readyOverride !== undefined) containersReady = rt.readyOverride;
    else if (readyIn > 0) requeueAfter = readyIn;
    else {
      containersReady = await planes.ready(pod);
      if (planes.probes(pod)) requeueAfter = options.probeIntervalMs;
    }
    await write(client, pod, rt, { containersReady, hostIP: node.hostIP });
    return requeueAfter === undefined ? undefined : { requeueAfter };
  }

  return { sync, forget, failed, runtimes, podsByNode, unscheduled, byName };
}

export type PodLifecycle = ReturnType<typeof podLifecycle>;
