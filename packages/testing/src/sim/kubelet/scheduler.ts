/**
 * The scheduling half of the simulated kubelet, standing in for kube-scheduler (which neither the
 * embedded server nor the integration control plane runs): which simulated nodes a pod fits, and the
 * `pods/binding` call that assigns it. Start with {@link fitsNode}.
 */
import { builtin } from '@steward/core';
import type { KubeClient, KubeObject } from '@steward/core';
import { matchesNodeSelectorTerms, tolerates } from './selectors.js';
import type { NodeSelectorTerm, Taint, Toleration } from './selectors.js';
import { nodeReadyStatus } from './nodes.js';

interface PodSchedulingSpec {
  nodeName?: string;
  schedulerName?: string;
  schedulingGates?: unknown[];
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  affinity?: {
    nodeAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
    };
  };
}

export function podSpec(pod: KubeObject): PodSchedulingSpec {
  return pod['spec'] ?? {};
}

/** Unbound, not being deleted, meant for the default scheduler, and not held by scheduling gates. */
export function wantsScheduling(pod: KubeObject): boolean {
  const spec = podSpec(pod);
  if ((spec.nodeName ?? '') !== '' || pod.metadata.deletionTimestamp !== undefined) return false;
  if ((spec.schedulingGates ?? []).length > 0) return false;
  return (
    spec.schedulerName === undefined ||
    spec.schedulerName === '' ||
    spec.schedulerName === 'default-scheduler'
  );
}

/** Why `pod` cannot go on `node`, or `undefined` when it fits. */
export function misfit(pod: KubeObject, node: KubeObject): string | undefined {
  const spec = podSpec(pod);
  const name = node.metadata.name ?? '';
  const labels = node.metadata.labels ?? {};
  if (nodeReadyStatus(node) !== 'True') return 'node(s) were not ready';
  if ((node['spec'] as { unschedulable?: boolean } | undefined)?.unschedulable === true)
    return 'node(s) were unschedulable';
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {}))
    if (labels[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
  const terms =
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms !== undefined && !matchesNodeSelectorTerms(terms, { name, labels }))
    return "node(s) didn't match Pod's node affinity/selector";
  const taints = ((node['spec'] as { taints?: Taint[] } | undefined)?.taints ?? []).filter(
    (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  );
  const untolerated = taints.find((t) => !tolerates(spec.tolerations ?? [], t));
  if (untolerated) return `node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`;
  return undefined;
}

/** kube-scheduler's summary line: `0/3 nodes are available: 2 node(s) were not ready, …`. */
export function unschedulableMessage(reasons: string[], nodeCount: number): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
  return `0/${nodeCount} nodes are available: ${parts.join(', ')}.`;
}

/** POSTs a Binding to `pods/<name>/binding`, as kube-scheduler does. */
export async function bindPod(client: KubeClient, pod: KubeObject, nodeName: string): Promise<void> {
  const name = pod.metadata.name ?? '';
  const binding = {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name, namespace: pod.metadata.namespace ?? '', uid: pod.metadata.uid ?? '' },
    target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
  };
  await client.create(builtin.pods, binding, { subresource: 'binding' });
}
