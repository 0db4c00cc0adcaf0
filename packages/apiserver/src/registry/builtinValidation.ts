/**
 * `validateBuiltin()`: the required-field checks of the built-in kinds that operators create (Pod
 * containers, Service ports, workload selectors, Lease and Event rules), with the real field paths and
 * messages; and `checkMicroTimes()`, the decode-time MicroTime check that answers 400.
 *
 * Start with {@link validateBuiltin}.
 */
import { badRequest, type StatusCause } from '../errors/status.js';
import type { KObject } from '../storage/storedObject.js';
import { invalidCause, nameProblems, notSupportedCause, requiredCause } from './nameValidation.js';
import { validateConfigMapData, validateSecretData } from './dataKeys.js';
import { validateEventsV1 } from './eventValidation.js';
import { validateClaimUpdate, validateWorkloadUpdate } from './immutableFields.js';
import { validatePodUpdate } from './podUpdate.js';
import {
  validateControllerRevision,
  validateControllerRevisionUpdate,
} from './controllerRevisionValidation.js';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './endpointSliceValidation.js';
import { validateStorageClass, validateStorageClassUpdate } from './storageClassValidation.js';
import { validateJob, validateJobUpdate, validatePodDisruptionBudget } from './workloadValidation.js';

type Obj = Record<string, unknown>;

const asObj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function validateContainers(list: unknown, path: string, required: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  const containers = asList(list);
  if (required && containers.length === 0) causes.push(requiredCause(path));
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const o = asObj(c) ?? {};
    const name = typeof o['name'] === 'string' ? o['name'] : '';
    if (name === '') causes.push(requiredCause(`${path}[${i}].name`));
    else {
      for (const p of nameProblems(name, 'label')) causes.push(invalidCause(`${path}[${i}].name`, name, p));
      if (seen.has(name))
        causes.push({
          reason: 'FieldValueDuplicate',
          message: `Duplicate value: ${JSON.stringify(name)}`,
          field: `${path}[${i}].name`,
        });
      seen.add(name);
    }
    if (typeof o['image'] !== 'string' || o['image'].trim() === '')
      causes.push(requiredCause(`${path}[${i}].image`));
  });
  return causes;
}

function validatePodSpec(spec: unknown, path: string): StatusCause[] {
  const s = asObj(spec) ?? {};
  const causes = [
    ...validateContainers(s['containers'], `${path}.containers`, true),
    ...validateContainers(s['initContainers'], `${path}.initContainers`, false),
  ];
  const rp = s['restartPolicy'];
  if (rp !== undefined && !['Always', 'OnFailure', 'Never'].includes(rp as string)) {
    causes.push(notSupportedCause(`${path}.restartPolicy`, rp, ['Always', 'OnFailure', 'Never']));
  }
  return causes;
}

function selectorMatchesTemplate(spec: Obj, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const selector = asObj(spec['selector']);
  if (!selector) {
    causes.push(requiredCause(`${path}.selector`));
    return causes;
  }
  const matchLabels = asObj(selector['matchLabels']) ?? {};
  const expressions = asList(selector['matchExpressions']);
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) {
    causes.push(invalidCause(`${path}.selector`, selector, 'empty selector is invalid for deployment'));
  }
  const template = asObj(spec['template']);
  const labels = asObj(asObj(template?.['metadata'])?.['labels']) ?? {};
  const matches = Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
  if (!matches) {
    causes.push(
      invalidCause(`${path}.template.metadata.labels`, labels, '`selector` does not match template `labels`'),
    );
  }
  return causes;
}

function workload(kind: 'deployment' | 'statefulset' | 'replicaset') {
  return (o: KObject): StatusCause[] => {
    const spec = asObj(o['spec']) ?? {};
    const causes = selectorMatchesTemplate(spec, 'spec').map((c) =>
      c.message?.includes('empty selector') ? { ...c, message: c.message.replace('deployment', kind) } : c,
    );
    const replicas = spec['replicas'];
    if (typeof replicas === 'number' && replicas < 0) {
      causes.push(invalidCause('spec.replicas', replicas, 'must be greater than or equal to 0'));
    }
    causes.push(...validatePodSpec(asObj(spec['template'])?.['spec'], 'spec.template.spec'));
    return causes;
  };
}

const VALIDATORS: Record<string, (o: KObject) => StatusCause[]> = {
  pods: (o) => validatePodSpec(o['spec'], 'spec'),
  configmaps: validateConfigMapData,
  secrets: validateSecretData,
  services(o) {
    const spec = asObj(o['spec']) ?? {};
    const causes: StatusCause[] = [];
    const type = spec['type'];
    const ports = asList(spec['ports']);
    if (type !== 'ExternalName' && spec['clusterIP'] !== 'None' && ports.length === 0)
      causes.push(requiredCause('spec.ports'));
    ports.forEach((p, i) => {
      const port = asObj(p) ?? {};
      const n = port['port'];
      if (typeof n !== 'number' || n < 1 || n > 65535) {
        causes.push(invalidCause(`spec.ports[${i}].port`, n ?? 0, 'must be between 1 and 65535, inclusive'));
      }
      if (ports.length > 1 && !port['name']) causes.push(requiredCause(`spec.ports[${i}].name`));
    });
    if (
      type !== undefined &&
      !['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(type as string)
    ) {
      causes.push(
        notSupportedCause('spec.type', type, ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']),
      );
    }
    return causes;
  },
  'deployments.apps': workload('deployment'),
  'statefulsets.apps': workload('statefulset'),
  'replicasets.apps': workload('replicaset'),
  'jobs.batch': (o) => [
    ...validatePodSpec(asObj(asObj(o['spec'])?.['template'])?.['spec'], 'spec.template.spec'),
    ...validateJob(o),
  ],
  'poddisruptionbudgets.policy': validatePodDisruptionBudget,
  'storageclasses.storage.k8s.io': validateStorageClass,
  'controllerrevisions.apps': validateControllerRevision,
  'endpointslices.discovery.k8s.io': validateEndpointSlice,
  events(o) {
    const involved = asObj(o['involvedObject']) ?? {};
    const ns = o.metadata?.namespace ?? '';
    const causes: StatusCause[] = [];
    if (involved['namespace'] !== undefined && involved['namespace'] !== ns) {
      causes.push(
        invalidCause('involvedObject.namespace', involved['namespace'], 'does not match event.namespace'),
      );
    }
    return causes;
  },
  'events.events.k8s.io': validateEventsV1,
};

/** The built-in validation causes for an object of the resource stored as `collection`. */
export function validateBuiltin(collection: string, o: KObject): StatusCause[] {
  return VALIDATORS[collection]?.(o) ?? [];
}

const canon = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );

function immutableData(o: KObject, old: KObject): StatusCause[] {
  if (old['immutable'] !== true) return [];
  const causes: StatusCause[] = [];
  const msg = 'Forbidden: field is immutable when `immutable` is set';
  if (o['immutable'] !== true)
    causes.push({ reason: 'FieldValueForbidden', message: msg, field: 'immutable' });
  if (canon(o['data'] ?? {}) !== canon(old['data'] ?? {}))
    causes.push({ reason: 'FieldValueForbidden', message: msg, field: 'data' });
  if (canon(o['binaryData'] ?? {}) !== canon(old['binaryData'] ?? {}))
    causes.push({ reason: 'FieldValueForbidden', message: msg, field: 'binaryData' });
  return causes;
}

const UPDATE_VALIDATORS: Record<string, (o: KObject, old: KObject) => StatusCause[]> = {
  configmaps: immutableData,
  pods: validatePodUpdate,
  'jobs.batch': validateJobUpdate,
  'deployments.apps': validateWorkloadUpdate('deployment'),
  'replicasets.apps': validateWorkloadUpdate('replicaset'),
  'statefulsets.apps': validateWorkloadUpdate('statefulset'),
  persistentvolumeclaims: validateClaimUpdate,
  'storageclasses.storage.k8s.io': validateStorageClassUpdate,
  'controllerrevisions.apps': validateControllerRevisionUpdate,
  'endpointslices.discovery.k8s.io': validateEndpointSliceUpdate,
  secrets(o, old) {
    const causes = immutableData(o, old);
    if ((o['type'] ?? 'Opaque') !== (old['type'] ?? 'Opaque'))
      causes.push(invalidCause('type', o['type'], 'field is immutable'));
    return causes;
  },
};

/** Update-only rules of the built-ins (immutable ConfigMaps and Secrets). */
export function validateBuiltinUpdate(collection: string, o: KObject, old: KObject): StatusCause[] {
  return UPDATE_VALIDATORS[collection]?.(o, old) ?? [];
}

const MICRO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Go's error text for a MicroTime that does not have exactly six fractional digits. */
function microTimeError(value: string): string | undefined {
  const m = MICRO.exec(value);
  const layout = '2006-01-02T15:04:05.000000Z07:00';
  if (!m)
    return `parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(value)} as "2006"`;
  const frac = m[1] ?? '';
  const rest = value.slice(19);
  if (frac.length === 7) return undefined;
  if (frac.length < 7)
    return `parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ".000000"`;
  return `parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest.slice(7))} as "Z07:00"`;
}

const MICRO_FIELDS: Record<string, string[][]> = {
  'leases.coordination.k8s.io': [
    ['spec', 'acquireTime'],
    ['spec', 'renewTime'],
  ],
  'events.events.k8s.io': [['eventTime']],
  events: [['eventTime']],
};

/** Throws the real server's 400 decode error when a MicroTime field lacks six fractional digits. */
export function checkMicroTimes(collection: string, kind: string, version: string, o: KObject): void {
  for (const path of MICRO_FIELDS[collection] ?? []) {
    let v: unknown = o;
    for (const p of path) v = asObj(v)?.[p];
    if (v === undefined || v === null) continue;
    const err = typeof v === 'string' ? microTimeError(v) : 'invalid MicroTime';
    if (err) throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${err}`);
  }
}
