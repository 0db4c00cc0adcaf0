/**
 * Kind rules of discovery.k8s.io/v1 EndpointSlice with the real field paths, messages and order
 * (kube-apiserver v1.37.2): addressType required, known and immutable; addresses of that type; port
 * names DNS labels and unique; and the defaults the server fills in (port name and protocol, endpoint
 * conditions, absent lists as null).
 *
 * Start with {@link validateEndpointSlice} and {@link defaultEndpointSlice}.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { StatusCause } from '../errors/status.js';
import type { KObject } from '../storage/storedObject.js';
import { asList, asObj, type Obj } from './jsonValues.js';
import { invalidCause, nameProblems, notSupportedCause, requiredCause } from './nameValidation.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/**
 * Defaults: each port gets `name: ""` and `protocol: TCP` (written in the Go struct's field order), each
 * endpoint `conditions: {}`, and an empty or absent list reads back as null (the fields are not omitempty).
 */
export function defaultEndpointSlice(o: KObject): void {
  const endpoints = asList(o['endpoints']);
  o['endpoints'] =
    endpoints.length === 0
      ? null
      : endpoints.map((e) => {
          const endpoint = asObj(e);
          if (!endpoint) return e;
          return endpoint['conditions'] === undefined ? { ...endpoint, conditions: {} } : endpoint;
        });
  const ports = asList(o['ports']);
  o['ports'] =
    ports.length === 0
      ? null
      : ports.map((p) => {
          const port = asObj(p);
          if (!port) return p;
          const { name = '', protocol = 'TCP', ...rest } = port;
          return { name, protocol, ...rest };
        });
}

function validatePorts(list: unknown): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  asList(list).forEach((p, i) => {
    const port: Obj = asObj(p) ?? {};
    const name = typeof port['name'] === 'string' ? port['name'] : '';
    if (name !== '')
      for (const problem of nameProblems(name, 'label'))
        causes.push(invalidCause(`ports[${i}].name`, name, problem));
    if (seen.has(name))
      causes.push({
        reason: 'FieldValueDuplicate',
        message: `Duplicate value: ${JSON.stringify(name)}`,
        field: `ports[${i}].name`,
      });
    seen.add(name);
    const protocol = port['protocol'];
    if (protocol !== undefined && !PROTOCOLS.includes(protocol as string))
      causes.push(notSupportedCause(`ports[${i}].protocol`, protocol, PROTOCOLS));
  });
  return causes;
}

function validateAddress(type: string, address: unknown, path: string, index: number): StatusCause[] {
  const a = typeof address === 'string' ? address : '';
  if (type === 'FQDN')
    return nameProblems(a, 'subdomain').map((p) => invalidCause(`${path}[${index}]`, a, p));
  if (!isIPv4(a) && !isIPv6(a))
    return [
      invalidCause(`${path}[${index}]`, a, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'),
    ];
  // A valid address of the other family is reported on the list, not the item.
  if (type === 'IPv4' && !isIPv4(a)) return [invalidCause(path, a, 'must be an IPv4 address')];
  if (type === 'IPv6' && !isIPv6(a)) return [invalidCause(path, a, 'must be an IPv6 address')];
  return [];
}

function validateEndpoints(type: string, list: unknown): { checks: StatusCause[]; required: StatusCause[] } {
  const checks: StatusCause[] = [];
  const required: StatusCause[] = [];
  asList(list).forEach((e, i) => {
    const endpoint: Obj = asObj(e) ?? {};
    const path = `endpoints[${i}]`;
    const addresses = asList(endpoint['addresses']);
    if (addresses.length === 0) required.push(requiredCause(`${path}.addresses`));
    if (ADDRESS_TYPES.includes(type))
      addresses.forEach((a, j) => checks.push(...validateAddress(type, a, `${path}.addresses`, j)));
    const nodeName = endpoint['nodeName'];
    if (typeof nodeName === 'string')
      for (const p of nameProblems(nodeName, 'subdomain'))
        checks.push(invalidCause(`${path}.nodeName`, nodeName, p));
    const hostname = endpoint['hostname'];
    if (typeof hostname === 'string')
      for (const p of nameProblems(hostname, 'label'))
        checks.push(invalidCause(`${path}.hostname`, hostname, p));
  });
  return { checks, required };
}

/**
 * Create and update rules. The order is the real server's: addressType, the ports, the per-endpoint
 * checks, then the required-addresses errors (reported after the hand-written checks).
 */
export function validateEndpointSlice(o: KObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const type = o['addressType'];
  if (type === undefined || type === null || type === '') causes.push(requiredCause('addressType'));
  else if (!ADDRESS_TYPES.includes(type as string))
    causes.push(notSupportedCause('addressType', type, ADDRESS_TYPES));
  causes.push(...validatePorts(o['ports']));
  const { checks, required } = validateEndpoints(typeof type === 'string' ? type : '', o['endpoints']);
  return [...causes, ...checks, ...required];
}

/** Update rule: addressType is immutable (the declarative check prints no value). */
export function validateEndpointSliceUpdate(o: KObject, old: KObject): StatusCause[] {
  if ((o['addressType'] ?? null) === (old['addressType'] ?? null)) return [];
  return [invalidCause('addressType', null, 'field is immutable')];
}
