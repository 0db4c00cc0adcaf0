/**
 * `validateOwnerReferences()`: the ownerReferences rules every kind shares (apimachinery's object-meta
 * validation): apiVersion with a version, kind, name and uid present, no Event as an owner, and at most
 * one reference marked as the controller.
 *
 * Start with {@link validateOwnerReferences}.
 */
import type { StatusCause } from '../errors/status.js';
import { invalidCause } from './nameValidation.js';

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

/** Causes for `metadata.ownerReferences` (the field path carries no index, as in the real server). */
export function validateOwnerReferences(refs: unknown): StatusCause[] {
  if (!Array.isArray(refs)) return [];
  const path = 'metadata.ownerReferences';
  const causes: StatusCause[] = [];
  let firstController = '';
  for (const raw of refs) {
    const ref: Obj = typeof raw === 'object' && raw !== null ? (raw as Obj) : {};
    const apiVersion = text(ref['apiVersion']);
    const kind = text(ref['kind']);
    const name = text(ref['name']);
    const { group, version } = groupVersion(apiVersion);
    // A malformed apiVersion loses its kind too (FromAPIVersionAndKind keeps only the kind on parse errors).
    if (version === '')
      causes.push(invalidCause(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (kind === '') causes.push(invalidCause(`${path}.kind`, kind, 'must not be empty'));
    if (name === '') causes.push(invalidCause(`${path}.name`, name, 'must not be empty'));
    if (text(ref['uid']) === '')
      causes.push(invalidCause(`${path}.uid`, text(ref['uid']), 'must not be empty'));
    // Events are the one banned owner: they expire, and their dependents would be collected with them.
    if (group === '' && version === 'v1' && kind === 'Event')
      causes.push(invalidCause(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
    if (ref['controller'] === true) {
      const current = `${kind}/${name}`;
      if (firstController === '') firstController = current;
      else
        causes.push(
          invalidCause(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
    }
  }
  return causes;
}
