/**
 * Known fields of the built-in kinds (top level and ObjectMeta), so that decoding can drop unknown ones and
 * report them for `fieldValidation`, and a scanner for duplicate JSON keys (which Strict rejects).
 *
 * Start with {@link pruneBuiltinUnknown} and {@link duplicateFields}.
 */
import { OBJECT_META_FIELDS } from '../schema/prune.js';
import type { KObject } from '../storage/storedObject.js';

// ObjectMeta's JSON fields: the same list pruning uses for custom resources.
const META = OBJECT_META_FIELDS;

const SPEC_STATUS = ['spec', 'status'];

const TOP: Record<string, string[]> = {
  configmaps: ['data', 'binaryData', 'immutable'],
  secrets: ['data', 'stringData', 'type', 'immutable'],
  endpoints: ['subsets'],
  serviceaccounts: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  events: [
    'involvedObject',
    'reason',
    'message',
    'source',
    'firstTimestamp',
    'lastTimestamp',
    'count',
    'type',
    'eventTime',
    'series',
    'action',
    'related',
    'reportingComponent',
    'reportingInstance',
  ],
  'events.events.k8s.io': [
    'eventTime',
    'series',
    'reportingController',
    'reportingInstance',
    'action',
    'reason',
    'regarding',
    'related',
    'note',
    'type',
    'deprecatedSource',
    'deprecatedFirstTimestamp',
    'deprecatedLastTimestamp',
    'deprecatedCount',
  ],
  'leases.coordination.k8s.io': ['spec'],
  'controllerrevisions.apps': ['data', 'revision'],
  'endpointslices.discovery.k8s.io': ['addressType', 'endpoints', 'ports'],
  'storageclasses.storage.k8s.io': [
    'provisioner',
    'parameters',
    'reclaimPolicy',
    'mountOptions',
    'allowVolumeExpansion',
    'volumeBindingMode',
    'allowedTopologies',
  ],
  'roles.rbac.authorization.k8s.io': ['rules'],
  'clusterroles.rbac.authorization.k8s.io': ['rules', 'aggregationRule'],
  'rolebindings.rbac.authorization.k8s.io': ['subjects', 'roleRef'],
  'clusterrolebindings.rbac.authorization.k8s.io': ['subjects', 'roleRef'],
};

/**
 * Drops top-level and `metadata` fields the kind does not have, returning their paths (`bogus`,
 * `metadata.bogus`) as the typed decoder reports them.
 */
export function pruneBuiltinUnknown(collection: string, o: KObject): string[] {
  const known = new Set(['apiVersion', 'kind', 'metadata', ...(TOP[collection] ?? SPEC_STATUS)]);
  const unknown: string[] = [];
  for (const k of Object.keys(o)) {
    if (!known.has(k)) {
      unknown.push(k);
      delete o[k];
    }
  }
  const meta = o.metadata;
  if (meta && typeof meta === 'object') {
    for (const k of Object.keys(meta)) {
      if (!META.has(k)) {
        unknown.push(`metadata.${k}`);
        delete meta[k];
      }
    }
  }
  return unknown.sort();
}

/** Paths of keys that appear twice in the same JSON object (`data`, `metadata.name`), in order found. */
export function duplicateFields(text: string): string[] {
  const dups: string[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      while (i < text.length) {
        ws();
        const key = str();
        const p = path === '' ? key : `${path}.${key}`;
        if (seen.has(key)) dups.push(p);
        seen.add(key);
        ws();
        i++; // ':'
        value(p);
        ws();
        if (text[i] === ',') i++;
        else {
          i++;
          return;
        }
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      let n = 0;
      while (i < text.length) {
        value(`${path}[${n++}]`);
        ws();
        if (text[i] === ',') i++;
        else {
          i++;
          return;
        }
      }
    } else if (c === '"') {
      str();
    } else {
      while (i < text.length && !',}] \t\n\r'.includes(text[i]!)) i++;
    }
  };
  try {
    value('');
  } catch {
    return dups;
  }
  return dups;
}
