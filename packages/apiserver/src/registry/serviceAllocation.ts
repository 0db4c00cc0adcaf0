/**
 * `allocateServiceAddresses()`: what the Service REST storage does beyond defaulting — a ClusterIP from
 * the service CIDR (10.96.0.0/12, kubeadm's default) and node ports from 30000-32767, unique across the
 * stored Services, kept across updates that omit them, and refused when taken or out of range.
 *
 * Start with {@link allocateServiceAddresses}; it mutates the Service in place and returns 422 causes.
 */
import type { StatusCause } from '../errors/status.js';
import type { KObject } from '../storage/storedObject.js';
import { invalidCause } from './nameValidation.js';

type Obj = Record<string, unknown>;

/** The service CIDR the embedded server allocates from. */
export const SERVICE_CIDR = '10.96.0.0/12';
const BASE = (10 << 24) | (96 << 16);
const SIZE = 1 << 20;
// The lower part of the range is left for static picks (KEP-3070): offset min(max(16, size/16), 256).
const STATIC_BAND = 256;
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

const asObj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

function ipToNumber(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((n, o) => n * 256 + o, 0);
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

function needsClusterIP(spec: Obj): boolean {
  return spec['type'] !== 'ExternalName' && spec['clusterIP'] !== 'None';
}

function needsNodePorts(spec: Obj): boolean {
  return (
    spec['type'] === 'NodePort' ||
    (spec['type'] === 'LoadBalancer' && spec['allocateLoadBalancerNodePorts'] !== false)
  );
}

function portsOf(spec: Obj): Obj[] {
  return (Array.isArray(spec['ports']) ? spec['ports'] : []).map((p) => asObj(p) ?? {});
}

function inUse(others: Iterable<KObject>, self: KObject): { ips: Set<string>; nodePorts: Set<number> } {
  const ips = new Set<string>();
  const nodePorts = new Set<number>();
  const me = `${self.metadata?.namespace ?? ''}/${self.metadata?.name ?? ''}`;
  for (const o of others) {
    if (`${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}` === me) continue;
    const spec = asObj(o['spec']) ?? {};
    for (const ip of Array.isArray(spec['clusterIPs']) ? spec['clusterIPs'] : [spec['clusterIP']])
      if (typeof ip === 'string') ips.add(ip);
    for (const p of portsOf(spec)) if (typeof p['nodePort'] === 'number') nodePorts.add(p['nodePort']);
  }
  return { ips, nodePorts };
}

function pickIP(taken: Set<string>): string | undefined {
  // Dynamic picks come from above the static band first, at random, as the real allocator does.
  const start = STATIC_BAND;
  const span = SIZE - 1 - start;
  const first = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const ip = numberToIp(BASE + start + ((first + i) % span));
    if (!taken.has(ip)) return ip;
  }
  for (let off = 2; off < start; off++) if (!taken.has(numberToIp(BASE + off))) return numberToIp(BASE + off);
  return undefined;
}

function pickNodePort(taken: Set<number>): number | undefined {
  const span = NODE_PORT_MAX - NODE_PORT_MIN + 1;
  const first = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = NODE_PORT_MIN + ((first + i) % span);
    if (!taken.has(port)) return port;
  }
  return undefined;
}

function allocateClusterIP(spec: Obj, oldSpec: Obj | undefined, taken: Set<string>): StatusCause[] {
  if (!needsClusterIP(spec)) {
    if (spec['clusterIP'] === 'None') spec['clusterIPs'] = ['None'];
    return [];
  }
  // An update that leaves the address out keeps the one allocated before (patchAllocatedValues).
  if (oldSpec && needsClusterIP(oldSpec) && !spec['clusterIP'] && !spec['clusterIPs']) {
    spec['clusterIP'] = oldSpec['clusterIP'];
    spec['clusterIPs'] = oldSpec['clusterIPs'];
    return [];
  }
  const clusterIPs = Array.isArray(spec['clusterIPs']) ? (spec['clusterIPs'] as unknown[]) : [];
  const requested = typeof spec['clusterIP'] === 'string' ? spec['clusterIP'] : clusterIPs[0];
  if (oldSpec && needsClusterIP(oldSpec) && oldSpec['clusterIP'] !== undefined) {
    if (requested !== oldSpec['clusterIP'])
      return [invalidCause('spec.clusterIPs[0]', requested ?? '', 'may not change once set')];
    spec['clusterIP'] = oldSpec['clusterIP'];
    spec['clusterIPs'] = oldSpec['clusterIPs'];
    return [];
  }
  if (typeof requested === 'string' && requested !== '') {
    const n = ipToNumber(requested);
    const list = [requested];
    if (n === undefined)
      return [
        invalidCause(
          'spec.clusterIPs[0]',
          requested,
          'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        ),
      ];
    if (n < BASE || n >= BASE + SIZE || n === BASE || n === BASE + SIZE - 1)
      return [
        invalidCause(
          'spec.clusterIPs',
          list,
          `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`,
        ),
      ];
    if (taken.has(requested))
      return [
        invalidCause(
          'spec.clusterIPs',
          list,
          `failed to allocate IP ${requested}: provided IP is already allocated`,
        ),
      ];
    spec['clusterIP'] = requested;
    spec['clusterIPs'] = list;
    return [];
  }
  const ip = pickIP(taken);
  if (ip === undefined)
    return [invalidCause('spec.clusterIPs', [], 'failed to allocate a serviceIP: range is full')];
  spec['clusterIP'] = ip;
  spec['clusterIPs'] = [ip];
  return [];
}

function allocateNodePorts(spec: Obj, oldSpec: Obj | undefined, taken: Set<number>): StatusCause[] {
  const ports = portsOf(spec);
  if (!needsNodePorts(spec)) return [];
  const causes: StatusCause[] = [];
  const oldPorts = oldSpec ? portsOf(oldSpec) : [];
  ports.forEach((p, i) => {
    if (p['nodePort'] === undefined || p['nodePort'] === 0) {
      // Keep the port an update left out, matched by port number and protocol.
      const before = oldPorts.find(
        (o) => o['port'] === p['port'] && (o['protocol'] ?? 'TCP') === (p['protocol'] ?? 'TCP'),
      );
      const kept = before?.['nodePort'];
      const port = typeof kept === 'number' ? kept : pickNodePort(taken);
      if (port === undefined) causes.push(invalidCause(`spec.ports[${i}].nodePort`, 0, 'range is full'));
      else {
        p['nodePort'] = port;
        taken.add(port);
      }
      return;
    }
    const n = p['nodePort'];
    if (typeof n !== 'number') return;
    const wasOurs = oldPorts.some((o) => o['nodePort'] === n);
    if (wasOurs) return;
    if (n < NODE_PORT_MIN || n > NODE_PORT_MAX)
      causes.push(
        invalidCause(
          `spec.ports[${i}].nodePort`,
          n,
          `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`,
        ),
      );
    else if (taken.has(n))
      causes.push(invalidCause(`spec.ports[${i}].nodePort`, n, 'provided port is already allocated'));
    else taken.add(n);
  });
  return causes;
}

/** Allocates (or keeps, or checks) the Service's cluster IP and node ports; returns 422 causes. */
export function allocateServiceAddresses(
  o: KObject,
  old: KObject | undefined,
  stored: Iterable<KObject>,
): StatusCause[] {
  const spec = asObj(o['spec']);
  if (!spec) return [];
  const oldSpec = asObj(old?.['spec']);
  const { ips, nodePorts } = inUse(stored, o);
  return [...allocateClusterIP(spec, oldSpec, ips), ...allocateNodePorts(spec, oldSpec, nodePorts)];
}
