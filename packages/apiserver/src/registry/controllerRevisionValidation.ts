/**
 * Kind rules of apps/v1 ControllerRevision with the real field paths and messages (kube-apiserver
 * v1.37.2): `data` is a JSON object that never changes after creation, `revision` is non-negative and
 * may change (controllers renumber a revision they reuse).
 *
 * Start with {@link validateControllerRevision} and {@link validateControllerRevisionUpdate}.
 */
import type { StatusCause } from '../errors/status.js';
import type { KObject } from '../storage/storedObject.js';
import { asObj, canonical } from './jsonValues.js';
import { invalidCause, requiredCause } from './nameValidation.js';

/** Create and update rules: revision ≥ 0, then data present and an object. */
export function validateControllerRevision(o: KObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const revision = o['revision'];
  if (typeof revision === 'number' && revision < 0)
    causes.push(invalidCause('revision', revision, 'must be greater than or equal to 0'));
  const data = o['data'];
  if (data === undefined || data === null) causes.push(requiredCause('data', 'data is mandatory'));
  else if (!asObj(data)) causes.push(requiredCause('data', 'data must be a valid JSON object'));
  return causes;
}

/**
 * Update rule: data is immutable. The value shown is the new data as the client sent it (compact JSON,
 * its own key order), or null when it was removed.
 */
export function validateControllerRevisionUpdate(o: KObject, old: KObject): StatusCause[] {
  if (canonical(o['data'] ?? null) === canonical(old['data'] ?? null)) return [];
  return [invalidCause('data', o['data'] ?? null, 'field is immutable')];
}
