/**
 * Which field labels each resource supports in field selectors, and how to read them from an object,
 * after the server's field-label conversion functions and `ToSelectableFields` (Pod, Event, Secret,
 * Node, Namespace, Service, ReplicaSet, Job, ...) and CRDs' `selectableFields`. Start with {@link fieldGetter}.
 */
import type { ResourceInfo } from '../registry/types.js';
import { badRequest } from '../errors/status.js';
import type { FieldSelector } from './fieldSelector.js';
import { goQuote } from './nameValidation.js';

type Obj = Record<string, unknown>;
type Getter = (obj: Obj) => string;

function at(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[p];
  }
  return cur;
}

/** A scalar as the server's field set holds it: strings as they are, numbers and booleans printed. */
function scalar(v: unknown, dflt = ''): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return dflt;
}

const path = (p: string, dflt = ''): Getter => {
  const parts = p.split('.');
  return (obj) => scalar(at(obj, parts), dflt);
};

const metaName = path('metadata.name');
const metaNamespace = path('metadata.namespace');

/** The Pod's first IP, preferring `status.podIPs[0].ip` as the server's field set does. */
const podIP: Getter = (obj) => {
  const ips = at(obj, ['status', 'podIPs']);
  if (Array.isArray(ips) && ips.length > 0) return scalar(at(ips[0], ['ip']));
  return scalar(at(obj, ['status', 'podIP']));
};

const EVENT_FIELDS: Record<string, Getter> = {
  'involvedObject.kind': path('involvedObject.kind'),
  'involvedObject.namespace': path('involvedObject.namespace'),
  'involvedObject.name': path('involvedObject.name'),
  'involvedObject.uid': path('involvedObject.uid'),
  'involvedObject.apiVersion': path('involvedObject.apiVersion'),
  'involvedObject.resourceVersion': path('involvedObject.resourceVersion'),
  'involvedObject.fieldPath': path('involvedObject.fieldPath'),
  reason: path('reason'),
  reportingComponent: path('reportingComponent'),
  source: path('source.component'),
  type: path('type'),
};

/** The text most registered field-label conversion functions (core/v1, certificates, CRDs) fail with. */
const notSupported = (label: string): string => `field label not supported: ${label}`;

/**
 * A kind with its own field-label conversion function: the labels it accepts besides metadata.name
 * (`withNamespace: false` mirrors conversions that omit metadata.namespace) and the text it fails with.
 */
interface KindFields {
  fields: Record<string, Getter>;
  withNamespace?: false;
  unsupported?: (label: string) => string;
}

/**
 * Kinds with a conversion function, keyed `group/Kind`. Every other built-in kind falls back to
 * apimachinery's default conversion and its own message. apps/v1 ReplicaSet is deliberately absent: its
 * storage lists `status.replicas` as selectable but no conversion is registered for apps/v1, so the
 * real server rejects that label (kubernetes/kubernetes#135136).
 */
const BUILTIN: Record<string, KindFields> = {
  '/Pod': {
    fields: {
      'spec.nodeName': path('spec.nodeName'),
      // Old v1 clients send spec.host; the server converts it to spec.nodeName.
      'spec.host': path('spec.nodeName'),
      'spec.restartPolicy': path('spec.restartPolicy'),
      'spec.schedulerName': path('spec.schedulerName'),
      'spec.serviceAccountName': path('spec.serviceAccountName'),
      'spec.hostNetwork': path('spec.hostNetwork', 'false'),
      'status.phase': path('status.phase'),
      'status.podIP': podIP,
      'status.nominatedNodeName': path('status.nominatedNodeName'),
    },
  },
  '/Event': { fields: EVENT_FIELDS },
  '/Secret': { fields: { type: path('type') } },
  '/Namespace': { fields: { 'status.phase': path('status.phase') }, withNamespace: false },
  '/Node': { fields: { 'spec.unschedulable': path('spec.unschedulable', 'false') }, withNamespace: false },
  '/Service': { fields: { 'spec.clusterIP': path('spec.clusterIP'), 'spec.type': path('spec.type') } },
  '/ReplicationController': { fields: { 'status.replicas': path('status.replicas', '0') } },
  'batch/Job': {
    fields: { 'status.successful': path('status.successful', '0') },
    unsupported: (label) => `field label ${goQuote(label)} not supported for Job`,
  },
  'certificates.k8s.io/CertificateSigningRequest': { fields: { 'spec.signerName': path('spec.signerName') } },
};

/** Reads a CRD selectable field given as a JSON path such as `.spec.color`. */
function jsonPathGetter(jsonPath: string): Getter {
  const parts = jsonPath
    .replace(/^\./, '')
    .split('.')
    .filter((p) => p !== '');
  return (obj) => scalar(at(obj, parts));
}

/**
 * The value of `label` for an object of this resource, or undefined if the server does not support the
 * label for it (it then answers 400 with {@link unsupportedFieldMessage}).
 */
export function fieldGetter(info: ResourceInfo, label: string): ((obj: Obj) => string) | undefined {
  const builtin = info.crdName === undefined ? BUILTIN[`${info.group}/${info.kind}`] : undefined;
  if (label === 'metadata.name') return metaName;
  if (label === 'metadata.namespace') return builtin?.withNamespace === false ? undefined : metaNamespace;
  if (builtin !== undefined && Object.hasOwn(builtin.fields, label)) return builtin.fields[label];
  if (Object.hasOwn(info.selectableFields, label)) {
    const p = info.selectableFields[label];
    if (p !== undefined) return jsonPathGetter(p);
  }
  return undefined;
}

/**
 * What the server's field-label conversion answers for a label this resource does not support: the
 * kind's own conversion text, CRDs' `field label not supported: <label>`, or for kinds without a
 * conversion apimachinery's `DefaultMetaV1FieldSelectorConversion` text.
 */
export function unsupportedFieldMessage(info: ResourceInfo, label: string): string {
  if (info.crdName !== undefined) return notSupported(label);
  const builtin = BUILTIN[`${info.group}/${info.kind}`];
  if (builtin !== undefined) return (builtin.unsupported ?? notSupported)(label);
  return `${goQuote(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`;
}

/** Throws the server's 400 if any label in the selector is not supported for this resource. */
export function validateFieldSelector(selector: FieldSelector, info: ResourceInfo): void {
  for (const r of selector.requirements) {
    if (fieldGetter(info, r.field) === undefined) throw badRequest(unsupportedFieldMessage(info, r.field));
  }
}

/** Whether the object satisfies every requirement; an unsupported label throws the server's 400. */
export function matchesFields(selector: FieldSelector, info: ResourceInfo, obj: Obj): boolean {
  for (const r of selector.requirements) {
    const get = fieldGetter(info, r.field);
    if (get === undefined) throw badRequest(unsupportedFieldMessage(info, r.field));
    const v = get(obj);
    if (r.operator === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
