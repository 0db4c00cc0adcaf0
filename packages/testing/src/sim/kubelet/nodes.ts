/**
 * The simulated Nodes: the objects a kubelet registers (labels, capacity, addresses, a pod CIDR), their
 * Ready condition, and the Lease heartbeat a real control plane's node-lifecycle controller watches.
 * Start with {@link nodeObject}.
 */
import { AlreadyExistsError, builtin, microTime } from '@steward/core';
import type { KubeClient, KubeObject } from '@steward/core';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** Marks nodes made by the simulation, so they can be told apart on a shared cluster. */
export const SIMULATED_LABEL = 'steward.dev/simulated-node';
const FIELD_MANAGER = 'steward-simulated-kubelet';

/** One simulated node's fixed facts. */
export interface SimNode {
  name: string;
  index: number;
  zone: string;
  /** The node's InternalIP: `172.20.0.<10 + index>`. */
  hostIP: string;
}

export function simNodes(nodes: number | string[] | undefined, zones: string[]): SimNode[] {
  const names = Array.isArray(nodes) ? nodes : Array.from({ length: nodes ?? 3 }, (_, i) => `sim-node-${i}`);
  return names.map((name, index) => ({
    name,
    index,
    zone: zones[index % zones.length] ?? 'zone-a',
    hostIP: `172.20.${Math.floor((10 + index) / 250)}.${(10 + index) % 250}`,
  }));
}

/** The pod CIDR of node `index`: `10.244.<index>.0/24` (as kube-controller-manager's IPAM would give). */
export function podCidrPrefix(index: number): string {
  return `10.${244 + Math.floor(index / 256)}.${index % 256}`;
}

const capacity = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };

export function nodeObject(node: SimNode): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        [ZONE_LABEL]: node.zone,
        [SIMULATED_LABEL]: 'true',
      },
    },
    spec: { podCIDR: `${podCidrPrefix(node.index)}.0/24`, podCIDRs: [`${podCidrPrefix(node.index)}.0/24`] },
    status: nodeStatus(node, true),
  };
}

/** The status a kubelet posts: Ready (True, or Unknown once the node "failed"), capacity, addresses. */
export function nodeStatus(node: SimNode, ready: boolean): Record<string, unknown> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const pressure = (type: string, reason: string) => ({
    type,
    status: ready ? 'False' : 'Unknown',
    reason: ready ? reason : 'NodeStatusUnknown',
    message: ready ? `kubelet has no ${type}` : 'Kubelet stopped posting node status.',
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  });
  return {
    capacity,
    allocatable: capacity,
    conditions: [
      pressure('MemoryPressure', 'KubeletHasSufficientMemory'),
      pressure('DiskPressure', 'KubeletHasNoDiskPressure'),
      pressure('PIDPressure', 'KubeletHasSufficientPID'),
      {
        type: 'Ready',
        status: ready ? 'True' : 'Unknown',
        reason: ready ? 'KubeletReady' : 'NodeStatusUnknown',
        message: ready ? 'kubelet is posting ready status' : 'Kubelet stopped posting node status.',
        lastHeartbeatTime: now,
        lastTransitionTime: now,
      },
    ],
    addresses: [
      { type: 'InternalIP', address: node.hostIP },
      { type: 'Hostname', address: node.name },
    ],
    nodeInfo: {
      kubeletVersion: 'v1.37.2-steward-sim',
      kubeProxyVersion: 'v1.37.2-steward-sim',
      operatingSystem: 'linux',
      architecture: 'amd64',
      containerRuntimeVersion: 'steward-sim://1.0',
      osImage: 'Steward simulated node',
      kernelVersion: '6.0.0',
      machineID: '',
      systemUUID: '',
      bootID: '',
    },
  };
}

/** The node's Ready condition status as stored ('True', 'False', 'Unknown', or undefined). */
export function nodeReadyStatus(node: KubeObject | undefined): string | undefined {
  const status = node?.['status'] as { conditions?: { type?: string; status?: string }[] } | undefined;
  return status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

/** Registers the node (or takes over one left by an earlier run), then posts its status. */
export async function registerNode(client: KubeClient, node: SimNode): Promise<void> {
  const object = nodeObject(node);
  try {
    await client.create(builtin.nodes, object);
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
  }
  // A create may drop status (as the API does for most kinds), so post it through the subresource.
  await client.patchStatus(builtin.nodes, node.name, { status: object['status'] });
}

/** Renews the node's Lease in `kube-node-lease`, as a kubelet does every 10 s. */
export async function heartbeat(client: KubeClient, node: KubeObject): Promise<void> {
  const name = node.metadata.name ?? '';
  const lease = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: 'kube-node-lease',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? '' }],
    },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime() },
  };
  await client.apply(builtin.leases, lease, { fieldManager: FIELD_MANAGER, force: true });
}
