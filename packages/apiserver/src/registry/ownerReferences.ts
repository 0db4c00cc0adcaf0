/**
 * `validateOwnerReferences()`: the ownerReferences rules every kind shares (apimachinery's object-meta
 * validation): apiVersion with a version, kind, name and uid present, no Event as an owner, and at most
 * one reference marked as the controller.
 *
 * Start with {@link validateOwnerReferences}.
 */
import type { StatusCause } from '../errors/status.js';
import { invalidCause, requiredCause } from './nameValidation.js';

type Obj = Record<string, unknown>;

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Group and version of an apiVersion as Go's ParseGroupVersion reads it; both empty when malformed. */
function groupVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0] ?? '', version: parts[1] ?? '' };
  return { group: '', version: '' };
}

/** Causes for `metadata.ownerReferences`, each reference's fields under its index (`[0].uid`). */
export function validateOwnerReferences(refs: unknown): StatusCause[] {
  if (!Array.isArray(refs)) return [];
  const base = 'metadata.ownerReferences';
  const causes: StatusCause[] = [];
  let firstController = '';
  for (const [i, raw] of refs.entries()) {
    const ref: Obj = typeof raw === 'object' && raw !== null ? (raw as Obj) : {};
    const path = `${base}[${i}]`;
    const apiVersion = text(ref['apiVersion']);
    const kind = text(ref['kind']);
    const name = text(ref['name']);
    const { group, version } = groupVersion(apiVersion);
    if (apiVersion === '') causes.push(requiredCause(`${path}.apiVersion`, 'must not be empty'));
    else if (version === '')
      causes.push(invalidCause(`${path}.apiVersion`, apiVersion, 'must be <group>/<version> or <version>'));
    if (kind === '') causes.push(requiredCause(`${path}.kind`, 'must not be empty'));
    if (name === '') causes.push(requiredCause(`${path}.name`, 'must not be empty'));
    if (text(ref['uid']) === '') causes.push(requiredCause(`${path}.uid`, 'must not be empty'));
    // Events are the one banned owner: they expire, and their dependents would be collected with them.
    if (group === '' && version === 'v1' && kind === 'Event')
      causes.push(invalidCause(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
    if (ref['controller'] === true) {
      const current = `${kind}/${name}`;
      if (firstController === '') firstController = current;
      else
        causes.push(
          invalidCause(
            base,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
    }
  }
  return causes;
}
