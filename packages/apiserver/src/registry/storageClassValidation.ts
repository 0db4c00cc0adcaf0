/**
 * Kind rules of storage.k8s.io/v1 StorageClass with the real field paths and messages (as kube-apiserver
 * v1.37.2 answers them): a provisioner is required and is a qualified name, reclaimPolicy and
 * volumeBindingMode take known values, and the provisioning fields never change after creation.
 *
 * Start with {@link validateStorageClass} and {@link validateStorageClassUpdate}.
 */
import type { StatusCause } from '../errors/status.js';
import type { KObject } from '../storage/storedObject.js';
import { asList, asObj, canonical } from './jsonValues.js';
import { invalidCause, nameProblems, notSupportedCause, requiredCause } from './nameValidation.js';

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const KEY_MSG =
  "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";

/**
 * `IsQualifiedName` as v1.37.2 phrases it (lengths in bytes; an empty name part fails both the emptiness
 * and the pattern check).
 */
export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) return [KEY_MSG];
  const out: string[] = [];
  const name = parts.length === 2 ? (parts[1] ?? '') : value;
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') out.push('prefix part must be non-empty');
    else for (const p of nameProblems(prefix, 'subdomain')) out.push(`prefix part ${p}`);
  }
  if (name === '') out.push('name part must be non-empty');
  else if (Buffer.byteLength(name) > 63) out.push('name part must be no more than 63 bytes');
  if (!NAME_PART.test(name)) out.push(NAME_PART_MSG);
  return out;
}

const RECLAIM = ['Delete', 'Retain'];
const BINDING = ['Immediate', 'WaitForFirstConsumer'];

function validateTopologies(list: unknown): StatusCause[] {
  const causes: StatusCause[] = [];
  asList(list).forEach((term, i) => {
    asList(asObj(term)?.['matchLabelExpressions']).forEach((e, j) => {
      const path = `allowedTopologies[${i}].matchLabelExpressions[${j}]`;
      const expr = asObj(e) ?? {};
      const values = asList(expr['values']);
      if (values.length === 0) causes.push(requiredCause(`${path}.values`));
      const seen = new Set<unknown>();
      values.forEach((v, k) => {
        if (seen.has(v))
          causes.push({
            reason: 'FieldValueDuplicate',
            message: `Duplicate value: ${JSON.stringify(v)}`,
            field: `${path}.values[${k}]`,
          });
        seen.add(v);
      });
      const key = typeof expr['key'] === 'string' ? expr['key'] : '';
      for (const p of qualifiedNameErrors(key)) causes.push(invalidCause(`${path}.key`, key, p));
    });
  });
  return causes;
}

/** Create and update rules of a StorageClass (after defaulting). */
export function validateStorageClass(o: KObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const provisioner = typeof o['provisioner'] === 'string' ? o['provisioner'] : '';
  if (provisioner === '') causes.push(requiredCause('provisioner'));
  else {
    // The server validates the lower-cased name, and shows it so.
    const lower = provisioner.toLowerCase();
    for (const p of qualifiedNameErrors(lower)) causes.push(invalidCause('provisioner', lower, p));
  }
  const parameters = asObj(o['parameters']) ?? {};
  if (Object.keys(parameters).includes(''))
    causes.push(invalidCause('parameters', '', 'field can not be empty.'));
  const reclaim = o['reclaimPolicy'];
  // An empty policy is accepted as given (only a non-empty unknown one is refused).
  if (typeof reclaim === 'string' && reclaim !== '' && !RECLAIM.includes(reclaim))
    causes.push(notSupportedCause('reclaimPolicy', reclaim, RECLAIM));
  const binding = o['volumeBindingMode'];
  if (binding !== undefined && !BINDING.includes(binding as string))
    causes.push(notSupportedCause('volumeBindingMode', binding, BINDING));
  causes.push(...validateTopologies(o['allowedTopologies']));
  return causes;
}

/** An empty map or list is stored as absent, so it never counts as a change. */
function normal(v: unknown): string {
  const empty = v === undefined || v === null || (asObj(v) !== undefined && Object.keys(v).length === 0);
  return empty ? 'null' : canonical(v);
}

const IMMUTABLE = ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode'];

/**
 * Update rules: the four provisioning fields are immutable. The real server's declarative check
 * prints no value (`Invalid value: null: field is immutable`), whatever the field holds.
 */
export function validateStorageClassUpdate(o: KObject, old: KObject): StatusCause[] {
  return IMMUTABLE.filter((k) => normal(o[k]) !== normal(old[k])).map((k) =>
    invalidCause(k, null, 'field is immutable'),
  );
}
