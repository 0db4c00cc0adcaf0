/**
 * What the endpoints controller computes for one Service: its pods' addresses (ready ones in
 * `addresses`, the rest in `notReadyAddresses`), grouped into subsets by the ports each pod resolves
 * (a named `targetPort` is looked up in the pod's container ports). Start with {@link endpointSubsets}.
 */
import type { KubeObject } from '@steward/core';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
}
interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}
interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

interface ServiceSpec {
  selector?: Record<string, string>;
  ports?: ServicePort[];
  publishNotReadyAddresses?: boolean;
  clusterIP?: string;
}
interface PodFacts {
  spec?: {
    nodeName?: string;
    hostname?: string;
    subdomain?: string;
    containers?: { ports?: { name?: string; containerPort: number; protocol?: string }[] }[];
  };
  status?: { podIP?: string; phase?: string; conditions?: { type: string; status: string }[] };
}

export const serviceSpec = (service: KubeObject): ServiceSpec => service['spec'] ?? {};

/** The pod's port for a service port, or undefined when a named target port is not declared. */
function resolvePort(pod: PodFacts, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? [])
    for (const p of c.ports ?? [])
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  return undefined;
}

const podReady = (pod: PodFacts): boolean =>
  pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

/** The subsets for `service` from `pods` (already selected by its selector, in its namespace). */
export function endpointSubsets(service: KubeObject, pods: KubeObject[]): EndpointSubset[] {
  const spec = serviceSpec(service);
  const groups = new Map<
    string,
    { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }
  >();
  for (const pod of pods) {
    const facts = pod as PodFacts;
    const ip = facts.status?.podIP;
    const phase = facts.status?.phase;
    // As the real controller: no IP, finished, or terminating (unless not-ready ones are published) → left out.
    if (ip === undefined || ip === '' || phase === 'Succeeded' || phase === 'Failed') continue;
    if (pod.metadata.deletionTimestamp !== undefined && spec.publishNotReadyAddresses !== true) continue;
    const ports: EndpointPort[] = [];
    for (const sp of spec.ports ?? []) {
      const port = resolvePort(facts, sp);
      if (port === undefined) continue;
      const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
      if (sp.name !== undefined && sp.name !== '') ep.name = sp.name;
      if (sp.appProtocol !== undefined) ep.appProtocol = sp.appProtocol;
      ports.push(ep);
    }
    if ((spec.ports ?? []).length > 0 && ports.length === 0) continue;
    ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const address: EndpointAddress = {
      ip,
      targetRef: {
        kind: 'Pod',
        namespace: pod.metadata.namespace ?? '',
        name: pod.metadata.name ?? '',
        uid: pod.metadata.uid ?? '',
      },
    };
    if (facts.spec?.nodeName) address.nodeName = facts.spec.nodeName;
    if (facts.spec?.hostname && facts.spec.subdomain === service.metadata.name)
      address.hostname = facts.spec.hostname;
    const key = JSON.stringify(ports);
    const group = groups.get(key) ?? { ports, ready: [], notReady: [] };
    groups.set(key, group);
    (podReady(facts) || spec.publishNotReadyAddresses === true ? group.ready : group.notReady).push(address);
  }
  const byIP = (a: EndpointAddress, b: EndpointAddress): number => a.ip.localeCompare(b.ip);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => {
      const subset: EndpointSubset = {};
      if (g.ready.length > 0) subset.addresses = g.ready.sort(byIP);
      if (g.notReady.length > 0) subset.notReadyAddresses = g.notReady.sort(byIP);
      if (g.ports.length > 0) subset.ports = g.ports;
      return subset;
    });
}
