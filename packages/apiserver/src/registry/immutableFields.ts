/**
 * Update rules that pin fields of workloads and claims as created: a Deployment's, ReplicaSet's or
 * StatefulSet's selector, a StatefulSet's claim templates, service name and pod management policy, and
 * a PersistentVolumeClaim's spec (bar the volume binding), with the real field paths and messages.
 *
 * Start with {@link validateWorkloadUpdate} and {@link validateClaimUpdate}.
 */
import type { StatusCause } from '../errors/status.js';
import type { KObject } from '../storage/storedObject.js';
import { asObj, canonical, type Obj } from './jsonValues.js';
import { invalidCause } from './nameValidation.js';

/** `ValidateImmutableField`: the new value is shown (JSON for structures), with `field is immutable`. */
function immutable(spec: Obj, oldSpec: Obj, key: string, causes: StatusCause[]): void {
  if (canonical(spec[key] ?? null) !== canonical(oldSpec[key] ?? null))
    causes.push(invalidCause(`spec.${key}`, spec[key] ?? null, 'field is immutable'));
}

const STATEFULSET_IMMUTABLE = ['selector', 'volumeClaimTemplates', 'serviceName', 'podManagementPolicy'];

/** apps/v1 workloads: the selector (and for StatefulSets three more fields) cannot change. */
export function validateWorkloadUpdate(kind: 'deployment' | 'replicaset' | 'statefulset') {
  return (o: KObject, old: KObject): StatusCause[] => {
    const spec = asObj(o['spec']) ?? {};
    const oldSpec = asObj(old['spec']) ?? {};
    const causes: StatusCause[] = [];
    for (const key of kind === 'statefulset' ? STATEFULSET_IMMUTABLE : ['selector'])
      immutable(spec, oldSpec, key, causes);
    return causes;
  };
}

/** A line per leaf (`path: value`), the input of the rough spec diff below. */
function leaves(v: unknown, path: string, out: Map<string, string>): void {
  if (typeof v === 'object' && v !== null && !(Array.isArray(v) && v.length === 0)) {
    for (const [k, x] of Object.entries(v)) leaves(x, path === '' ? k : `${path}.${k}`, out);
    return;
  }
  out.set(path, JSON.stringify(v));
}

/**
 * A readable diff of two specs: `-` lines for the old values, `+` lines for the new. The real server prints
 * a go-cmp diff of its internal Go structs, which cannot be reproduced exactly; the first line is exact.
 */
function specDiff(oldSpec: Obj, spec: Obj): string {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  leaves(oldSpec, '', a);
  leaves(spec, '', b);
  const lines: string[] = [];
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (a.get(k) === b.get(k)) continue;
    if (a.has(k)) lines.push(`- \t${k}: ${a.get(k) ?? ''}`);
    if (b.has(k)) lines.push(`+ \t${k}: ${b.get(k) ?? ''}`);
  }
  return `  core.PersistentVolumeClaimSpec{\n${lines.join('\n')}\n  }\n`;
}

function storageOf(spec: Obj): unknown {
  return asObj(asObj(spec['resources'])?.['requests'])?.['storage'];
}

/**
 * `ValidatePersistentVolumeClaimUpdate`'s spec rule: a claim's spec is fixed at creation, except that
 * its volumeName may be set once, and a bound claim may change its storage request and attributes class.
 */
export function validateClaimUpdate(o: KObject, old: KObject): StatusCause[] {
  const spec = asObj(o['spec']) ?? {};
  const oldSpec = asObj(old['spec']) ?? {};
  const comparedOld: Obj = { ...oldSpec };
  const comparedNew: Obj = { ...spec };
  // The volume binder sets volumeName once.
  if (!oldSpec['volumeName']) {
    if (spec['volumeName'] === undefined) delete comparedOld['volumeName'];
    else comparedOld['volumeName'] = spec['volumeName'];
  }
  // A claim without a class may get one once (the default class is assigned later).
  if (oldSpec['storageClassName'] === undefined && spec['storageClassName'] !== undefined)
    comparedOld['storageClassName'] = spec['storageClassName'];
  const bound = (asObj(o['status'])?.['phase'] ?? asObj(old['status'])?.['phase']) === 'Bound';
  if (bound) {
    // Expansion: a bound claim's storage request may grow (a shrink is refused elsewhere).
    const resources = asObj(comparedNew['resources']) ?? {};
    const requests = { ...asObj(resources['requests']) };
    const oldStorage = storageOf(oldSpec);
    if (asObj(resources['requests'])) {
      if (oldStorage === undefined) delete requests['storage'];
      else requests['storage'] = oldStorage;
      comparedNew['resources'] = { ...resources, requests };
    }
    if (oldSpec['volumeAttributesClassName'] === undefined) delete comparedNew['volumeAttributesClassName'];
    else comparedNew['volumeAttributesClassName'] = oldSpec['volumeAttributesClassName'];
  }
  if (canonical(comparedNew) === canonical(comparedOld)) return [];
  return [
    {
      reason: 'FieldValueForbidden',
      message: `Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${specDiff(comparedOld, comparedNew)}`,
      field: 'spec',
    },
  ];
}
