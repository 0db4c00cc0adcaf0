/**
 * What the operator sees of one datacenter: its StatefulSets, pods and claims from the cache, and
 * the ring from one started node, as the {@link DatacenterView} that `plan.ts` decides on. Start with
 * {@link observe}.
 */
import { builtin } from '@steward/core';
import type { CachedReader, KubeObject } from '@steward/core';
import type { CassandraAdmin, Node, RingMember } from '../admin/cassandraAdmin.js';
import { specOf } from '../api/cassandraDatacenter.js';
import type { Datacenter } from '../api/cassandraDatacenter.js';
import { ANNOTATIONS, CONTAINER, LABELS, NODE_STATES, ordinalOf } from '../resources/labels.js';
import { rackSizes, rackStatefulSet } from '../resources/statefulSet.js';
import type { ClaimView, DatacenterView, NodeView, RackView } from './plan.js';

/** The cache the reconcile reads (`ctx.reader`). */
export type Reader = Pick<CachedReader, 'list'>;

/** How the operator reaches a pod's management API; the default uses the pod's IP and port 8080. */
export type ResolveNode = (pod: KubeObject) => Node;

export const defaultResolveNode: ResolveNode = (pod) => ({
  namespace: pod.metadata.namespace ?? '',
  pod: pod.metadata.name ?? '',
  host: (pod['status'] as { podIP?: string } | undefined)?.podIP ?? '',
  port: 8080,
});

/** Everything one reconcile knows, plus the objects behind the view (for the step to act on). */
export interface Observed {
  view: DatacenterView;
  pods: Map<string, KubeObject>;
  statefulSets: Map<string, KubeObject>;
  /** Every rack with a StatefulSet or in the spec (a removed rack keeps its set until emptied). */
  rackNames: string[];
}

interface PodStatus {
  phase?: string;
  podIP?: string;
  conditions?: { type: string; status: string }[];
  containerStatuses?: { name: string; state?: { running?: unknown } }[];
}

const rackOf = (o: KubeObject): string => o.metadata.labels?.[LABELS.rack] ?? '';
const stateOf = (p: KubeObject): string | undefined => p.metadata.labels?.[LABELS.nodeState];
const isReady = (p: KubeObject): boolean =>
  ((p['status'] as PodStatus | undefined)?.conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

/** Reads the cache and asks the ring; never writes. */
export async function observe(
  dc: Datacenter,
  reader: Reader,
  admin: CassandraAdmin,
  resolveNode: ResolveNode,
): Promise<Observed> {
  const spec = specOf(dc);
  const name = dc.metadata.name ?? '';
  const namespace = dc.metadata.namespace ?? '';
  const selector = { namespace, labelSelector: `${LABELS.datacenter}=${name}` };
  const [sets, pods, claims] = await Promise.all([
    reader.list(builtin.statefulsets, selector),
    reader.list(builtin.pods, selector),
    reader.list(builtin.persistentvolumeclaims, selector),
  ]);

  const desired = rackSizes(spec.size, spec.racks);
  const extraRacks = sets.map(rackOf).filter((r) => r !== '' && !desired.has(r));
  const rackNames = [...spec.racks.map((r) => r.name), ...new Set(extraRacks)];
  const statefulSets = new Map(sets.map((s) => [rackOf(s), s]));
  const racks: RackView[] = rackNames.map((rack) => ({
    name: rack,
    replicas: (statefulSets.get(rack)?.['spec'] as { replicas?: number } | undefined)?.replicas ?? 0,
    desired: desired.get(rack) ?? 0,
    templateCurrent: templateCurrent(dc, rack, statefulSets.get(rack)),
  }));

  const ring = await readRing(pods, admin, resolveNode);
  const known = dc.status?.nodes ?? {};
  const nodes: NodeView[] = pods.map((pod) => {
    const status = (pod['status'] ?? {}) as PodStatus;
    const podName = pod.metadata.name ?? '';
    const rack = rackOf(pod);
    const address = status.podIP;
    const running =
      status.phase === 'Running' &&
      address !== undefined &&
      (status.containerStatuses ?? []).some((c) => c.name === CONTAINER && c.state?.running !== undefined);
    // By address first; a pod recreated with a new IP is still the node its claim holds (same hostId).
    const member =
      ring?.find((m) => address !== undefined && m.address === address) ??
      ring?.find((m) => m.hostId === known[podName]?.hostId);
    const view: NodeView = {
      pod: podName,
      rack,
      ordinal: ordinalOf(podName) ?? -1,
      uid: pod.metadata.uid ?? '',
      state: pod.metadata.labels?.[LABELS.nodeState] ?? NODE_STATES.readyToStart,
      seed: pod.metadata.labels?.[LABELS.seed] === 'true',
      running,
      ready: isReady(pod),
      terminating: pod.metadata.deletionTimestamp !== undefined,
      restarting: pod.metadata.annotations?.[ANNOTATIONS.restarting] === 'true',
      updated: isUpdated(pod, dc),
    };
    if (address !== undefined) view.address = address;
    const hostId = member?.hostId ?? known[podName]?.hostId;
    if (hostId !== undefined) view.hostId = hostId;
    if (member !== undefined) view.member = member;
    return view;
  });

  const claimViews: ClaimView[] = claims.flatMap((claim) => {
    const claimName = claim.metadata.name ?? '';
    const ordinal = ordinalOf(claimName);
    if (ordinal === undefined) return [];
    const view: ClaimView = { name: claimName, uid: claim.metadata.uid ?? '', rack: rackOf(claim), ordinal };
    const left = claim.metadata.annotations?.[ANNOTATIONS.leftRing];
    if (left !== undefined) view.leftRing = left;
    return [view];
  });

  return {
    view: {
      size: spec.size,
      stopped: spec.stopped,
      racks,
      nodes,
      claims: claimViews,
      ring,
      pendingCleanup: dc.status?.pendingCleanup ?? [],
    },
    pods: new Map(pods.map((p) => [p.metadata.name ?? '', p])),
    statefulSets,
    rackNames,
  };
}

/**
 * The ring as a started node sees it: healthy nodes are asked first, then any node whose agent runs.
 * Undefined when nobody answers (the first node of a datacenter, or every node down).
 */
async function readRing(
  pods: KubeObject[],
  admin: CassandraAdmin,
  resolveNode: ResolveNode,
): Promise<RingMember[] | undefined> {
  const askable = pods
    .filter(
      (p) =>
        (p['status'] as PodStatus | undefined)?.podIP !== undefined &&
        stateOf(p) !== NODE_STATES.readyToStart,
    )
    .filter((p) => p.metadata.deletionTimestamp === undefined)
    .sort((a, b) => Number(isReady(b)) - Number(isReady(a)));
  for (const pod of askable) {
    try {
      return await admin.ring(resolveNode(pod));
    } catch {
      // This node cannot answer (down, restarting): ask the next.
    }
  }
  return undefined;
}

/** The template key the spec asks for, for a rack. */
function wantedKey(dc: Datacenter, rack: string): string {
  return templateKey(rackStatefulSet(dc, { name: rack }, 0)['spec']);
}

/**
 * Whether a rack's StatefulSet already carries the template the spec asks for, as its controller has
 * seen it: deleting a pod earlier would bring it back on the old template.
 */
function templateCurrent(dc: Datacenter, rack: string, set: KubeObject | undefined): boolean {
  if (set === undefined || templateKey(set['spec']) !== wantedKey(dc, rack)) return false;
  const generation = (set.metadata as { generation?: number }).generation ?? 0;
  const observed = (set['status'] as { observedGeneration?: number } | undefined)?.observedGeneration;
  return observed !== undefined && observed >= generation;
}

/** Whether a pod runs the template the spec asks for now (image, config, restart stamp). */
function isUpdated(pod: KubeObject, dc: Datacenter): boolean {
  return podKey(pod) === wantedKey(dc, pod.metadata.labels?.[LABELS.rack] ?? '');
}

interface TemplateLike {
  template?: { metadata?: { annotations?: Record<string, string> }; spec?: unknown };
}

/** What of a pod decides whether it must restart: its container image, environment and restart stamp. */
function templateKey(spec: unknown): string {
  const template = (spec as TemplateLike | undefined)?.template;
  return podKey({ metadata: template?.metadata ?? {}, spec: template?.spec });
}

function podKey(pod: KubeObject): string {
  const containers = (
    (pod['spec'] as { containers?: { name: string; image?: string; env?: unknown }[] } | undefined)
      ?.containers ?? []
  ).filter((c) => c.name === CONTAINER);
  const restart = pod.metadata.annotations?.[ANNOTATIONS.restartRequestedAt] ?? '';
  return JSON.stringify([containers[0]?.image, containers[0]?.env, restart]);
}
