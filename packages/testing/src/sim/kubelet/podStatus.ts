/**
 * What the simulated kubelet remembers about each pod it runs ({@link PodRuntime}) and the pod status
 * it posts from that memory: phase, IPs, container statuses and the four kubelet conditions. Start
 * with {@link desiredPodStatus}; {@link statusDiffers} keeps the kubelet from writing what is stored.
 */
import type { KubeObject } from '@steward/core';

/** The kubelet's memory of one pod incarnation (keyed by uid). */
export interface PodRuntime {
  uid: string;
  nodeName: string;
  podIP: string;
  /** When the kubelet first saw the pod bound to its node (ms). */
  seenAt: number;
  /** When the containers last started (ms); undefined while Pending. */
  startedAt?: number;
  /** `status.startTime`: when the kubelet accepted the pod. */
  startTime: string;
  /** Restarts per container name. */
  restarts: Map<string, number>;
  /** When each restarted container last terminated (ISO). */
  terminatedAt: Map<string, string>;
  readyOverride?: boolean;
  /** The node failed: the containers count as stopped until it recovers. */
  down: boolean;
  /** The data planes' `started` ran for this incarnation of the containers. */
  systemsStarted: boolean;
}

interface Container {
  name: string;
  image?: string;
}
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: null;
}

export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function podConditions(pod: KubeObject): Condition[] {
  return ((pod['status'] as { conditions?: Condition[] } | undefined)?.conditions ?? []).filter(
    (c) => typeof c.type === 'string',
  );
}

/** The condition types `spec.readinessGates` names that are not True on the pod. */
export function unmetReadinessGates(pod: KubeObject): string[] {
  const gates = (pod['spec'] as { readinessGates?: { conditionType: string }[] } | undefined)?.readinessGates;
  const conditions = podConditions(pod);
  return (gates ?? [])
    .map((g) => g.conditionType)
    .filter((type) => conditions.find((c) => c.type === type)?.status !== 'True');
}

/** What decides the Ready condition beyond the runtime's own timings. */
export interface Readiness {
  /** The containers are up, past the ready delay, and every data plane says ready (or an override). */
  containersReady: boolean;
  /** Why not, for the condition's message (`NodeNotReady`, `ContainersNotReady`). */
  reason?: string;
  hostIP: string;
}

/** The status the kubelet posts for `pod`, as a strategic-merge patch body's `status`. */
export function desiredPodStatus(
  pod: KubeObject,
  rt: PodRuntime,
  readiness: Readiness,
): Record<string, unknown> {
  const spec = (pod['spec'] ?? {}) as { containers?: Container[]; initContainers?: Container[] };
  const containers = spec.containers ?? [];
  const running = rt.startedAt !== undefined && !rt.down;
  const containersReady = running && readiness.containersReady;
  const gates = unmetReadinessGates(pod);
  const ready = containersReady && gates.length === 0;
  const names = containers.map((c) => c.name).join(' ');
  const notReadyReason = readiness.reason ?? 'ContainersNotReady';
  const notReadyMessage =
    notReadyReason === 'NodeNotReady' ? 'Node is not ready' : `containers with unready status: [${names}]`;
  const existing = podConditions(pod);
  const condition = (type: string, status: boolean, reason?: string, message?: string): Condition => {
    const s = status ? 'True' : 'False';
    const old = existing.find((c) => c.type === type);
    const c: Condition = { type, status: s, lastProbeTime: null };
    c.lastTransitionTime =
      old?.status === s && old.lastTransitionTime ? old.lastTransitionTime : isoSeconds(Date.now());
    if (!status && reason !== undefined) c.reason = reason;
    if (!status && message !== undefined) c.message = message;
    return c;
  };
  const gateMessage = `corresponding condition of pod readiness gate "${gates[0] ?? ''}" does not exist.`;
  const conditions = [
    condition('PodReadyToStartContainers', running),
    condition('Initialized', true),
    gates.length > 0 && containersReady
      ? condition('Ready', false, 'ReadinessGatesNotReady', gateMessage)
      : condition('Ready', ready, notReadyReason, notReadyMessage),
    condition('ContainersReady', containersReady, notReadyReason, notReadyMessage),
    condition('PodScheduled', true),
  ];
  const startedAt = rt.startedAt === undefined ? undefined : isoSeconds(rt.startedAt);
  const containerStatuses = containers.map((c) => {
    const restartCount = rt.restarts.get(c.name) ?? 0;
    const terminatedAt = rt.terminatedAt.get(c.name);
    return {
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      containerID: running ? `steward-sim://${rt.uid}-${c.name}-${restartCount}` : undefined,
      ready: containersReady,
      started: running,
      restartCount,
      state: running
        ? { running: { startedAt } }
        : { waiting: { reason: rt.down ? 'NodeNotReady' : 'ContainerCreating' } },
      lastState:
        terminatedAt === undefined
          ? {}
          : {
              terminated: {
                exitCode: 137,
                reason: 'Error',
                startedAt: rt.startTime,
                finishedAt: terminatedAt,
              },
            },
    };
  });
  const status: Record<string, unknown> = {
    phase: rt.startedAt === undefined ? 'Pending' : 'Running',
    conditions,
    hostIP: readiness.hostIP,
    hostIPs: [{ ip: readiness.hostIP }],
    startTime: rt.startTime,
    containerStatuses,
  };
  if (rt.startedAt !== undefined) {
    status['podIP'] = rt.podIP;
    status['podIPs'] = [{ ip: rt.podIP }];
  }
  if ((spec.initContainers ?? []).length > 0)
    status['initContainerStatuses'] = (spec.initContainers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready: true,
      started: false,
      restartCount: 0,
      state: {
        terminated: { exitCode: 0, reason: 'Completed', startedAt: rt.startTime, finishedAt: rt.startTime },
      },
    }));
  return status;
}

const conditionKey = (c: Condition): string => `${c.status}|${c.reason ?? ''}|${c.message ?? ''}`;

/**
 * Whether writing `desired` would change what `pod.status` holds (timestamps of unchanged conditions
 * aside). A real server reorders keys and adds fields, so stored values only need to cover desired ones.
 */
export function statusDiffers(pod: KubeObject, desired: Record<string, unknown>): boolean {
  const current = (pod['status'] ?? {}) as Record<string, unknown>;
  const existing = podConditions(pod);
  for (const c of desired['conditions'] as Condition[]) {
    const old = existing.find((e) => e.type === c.type);
    if (old === undefined || conditionKey(old) !== conditionKey(c)) return true;
  }
  const { conditions: _ours, ...rest } = desired;
  const { conditions: _theirs, ...stored } = current;
  return !covers(stored, JSON.parse(JSON.stringify(rest)) as unknown);
}

/** `actual` holds every value `wanted` has: objects by key, arrays element by element and same length. */
function covers(actual: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted))
    return (
      Array.isArray(actual) && actual.length === wanted.length && wanted.every((w, i) => covers(actual[i], w))
    );
  if (wanted !== null && typeof wanted === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(wanted).every(([k, w]) => covers(a[k], w));
  }
  return actual === wanted;
}
