/**
 * The simulated kubelet (and scheduler): registers Nodes, binds unscheduled Pods to them and runs them
 * Pending → Running → Ready, with controls to fail nodes and restart containers, and hooks through
 * which a test's data plane (a fake database ring) decides readiness. Start with
 * {@link kubeletSimulation}; `kubelet/podLifecycle.ts` holds what happens to one pod.
 */
import { builtin, ConflictError } from '@steward/core';
import type { CachedReader, ControllerLogger, KubeClient, KubeObject, Manager } from '@steward/core';
import { dataPlanes } from './kubelet/dataPlane.js';
import type { KubeletSimulation, KubeletSimulationOptions, PodName } from './kubelet/kubeletTypes.js';
import { heartbeat, nodeReadyStatus, nodeStatus, registerNode, simNodes } from './kubelet/nodes.js';
import { KubeletSimulationError, keyOf, podLifecycle } from './kubelet/podLifecycle.js';

export { KubeletSimulationError } from './kubelet/podLifecycle.js';
export type {
  KubeletSimulation,
  KubeletSimulationOptions,
  PodName,
  SimulatedDataPlane,
} from './kubelet/kubeletTypes.js';

const DEFAULT_ZONES = ['zone-a', 'zone-b', 'zone-c'];

/** The imperative controls read with the manager's client: no cache, so they see their own writes. */
const directReader = (client: KubeClient): CachedReader => ({
  get: (ref, name, o) => client.get(ref, name, o).catch(() => undefined) as never,
  list: async (ref, o) => (await client.list(ref, o ?? {})).items as never,
});

export function kubeletSimulation(options: KubeletSimulationOptions = {}): KubeletSimulation {
  const nodes = simNodes(options.nodes, options.zones ?? DEFAULT_ZONES);
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  let manager: Manager | undefined;
  let log: ControllerLogger | undefined;
  const planes = dataPlanes(() => log);
  const life = podLifecycle({
    nodes,
    planes,
    startDelayMs: options.startDelayMs ?? 50,
    readyDelayMs: options.readyDelayMs ?? 50,
    probeIntervalMs: options.probeIntervalMs ?? 100,
  });

  const installed = (what: string): Manager => {
    if (manager === undefined)
      throw new KubeletSimulationError(
        `kubelet simulation: ${what} before install(manager); install the part first`,
      );
    return manager;
  };
  /** Runs the kubelet's pass over one pod now, retrying on conflicts with the controller's own writes. */
  const syncNow = async (pod: PodName): Promise<void> => {
    const { client } = installed('a control');
    for (let attempt = 0; ; attempt++) {
      try {
        const current = await client.get(builtin.pods, pod.name, { namespace: pod.namespace });
        await life.sync(current, client, directReader(client));
        return;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= 10) throw error;
      }
    }
  };
  const podsOn = (nodeName: string): PodName[] =>
    [...(life.podsByNode.get(nodeName) ?? [])].map((key) => {
      const [namespace = '', name = ''] = key.split('/');
      return { namespace, name };
    });
  const nodeNamed = (name: string) => {
    const node = life.byName.get(name);
    if (node === undefined)
      throw new KubeletSimulationError(
        `node ${name} is not simulated here: use one of ${nodes.map((n) => n.name).join(', ')}`,
      );
    return node;
  };
  const runningPod = async (pod: PodName): Promise<KubeObject> => {
    const current = await installed('a control').client.get(builtin.pods, pod.name, {
      namespace: pod.namespace,
    });
    if (!life.runtimes.has(current.metadata.uid ?? ''))
      throw new KubeletSimulationError(
        `pod ${pod.namespace}/${pod.name} is not running on a simulated node yet`,
      );
    return current;
  };
  const setNodeReady = async (name: string, ready: boolean): Promise<void> => {
    const node = nodeNamed(name);
    if (ready) life.failed.delete(name);
    else life.failed.add(name);
    await installed('a control').client.patchStatus(builtin.nodes, name, { status: nodeStatus(node, ready) });
    await Promise.all(podsOn(name).map((p) => syncNow(p).catch(() => undefined)));
  };

  return {
    name: 'kubelet',
    get nodeNames() {
      return nodes.map((n) => n.name);
    },
    async install(m) {
      manager = m;
      log = m.log;
      for (const node of nodes) await registerNode(m.client, node);
      const podInformer = m.informers.informer({
        ref: builtin.pods,
        ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
      });
      podInformer.events$.subscribe((e) => {
        if (e.type === 'delete') life.forget(e.object);
      });
      m.add({
        name: 'steward-sim-kubelet-nodes',
        for: builtin.nodes,
        async reconcile(node, ctx) {
          const sim = life.byName.get(ctx.name);
          if (sim === undefined) return undefined;
          const ready = !life.failed.has(sim.name);
          if (nodeReadyStatus(node) !== (ready ? 'True' : 'Unknown'))
            await ctx.client.patchStatus(builtin.nodes, sim.name, { status: nodeStatus(sim, ready) });
          // A failed node stops heartbeating, so a real node-lifecycle controller sees it go too.
          if (!ready) return undefined;
          await heartbeat(ctx.client, node);
          return { requeueAfter: heartbeatMs };
        },
      });
      m.add({
        name: 'steward-sim-kubelet',
        for: builtin.pods,
        ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
        maxConcurrentReconciles: 4,
        // A node's change (failed, recovered, Ready at last) concerns its pods and the unbound ones.
        watches: [
          {
            ref: builtin.nodes,
            map: (node) => [...(life.podsByNode.get(node.metadata.name ?? '') ?? []), ...life.unscheduled],
          },
        ],
        reconcile: (pod, ctx) => life.sync(pod, ctx.client, ctx.reader),
      });
    },
    failNode: (name) => setNodeReady(name, false),
    recoverNode: (name) => setNodeReady(name, true),
    async restartContainer(pod, container) {
      const current = await runningPod(pod);
      const rt = life.runtimes.get(current.metadata.uid ?? '');
      if (rt === undefined || rt.startedAt === undefined)
        throw new KubeletSimulationError(
          `pod ${pod.namespace}/${pod.name} has not started yet: restart it once Running`,
        );
      const names = ((current['spec'] as { containers?: { name: string }[] }).containers ?? []).map(
        (c) => c.name,
      );
      if (container !== undefined && !names.includes(container))
        throw new KubeletSimulationError(
          `pod ${pod.namespace}/${pod.name} has no container ${container} (it has ${names.join(', ')})`,
        );
      const now = Date.now();
      for (const name of container === undefined ? names : [container]) {
        rt.restarts.set(name, (rt.restarts.get(name) ?? 0) + 1);
        rt.terminatedAt.set(name, new Date(now).toISOString().replace(/\.\d+Z$/, 'Z'));
      }
      rt.startedAt = now;
      if (rt.systemsStarted) {
        rt.systemsStarted = false;
        await planes.stopped(current);
      }
      await syncNow(pod);
    },
    async setPodReady(pod, ready) {
      const current = await runningPod(pod);
      const rt = life.runtimes.get(current.metadata.uid ?? '');
      if (rt === undefined) return;
      if (ready === undefined) delete rt.readyOverride;
      else rt.readyOverride = ready;
      await syncNow(pod);
    },
    attach: (system) => planes.attach(system),
  };
}

export { keyOf as podKey };
