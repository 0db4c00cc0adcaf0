/**
 * `validatePodUpdate()`: a Pod's spec is fixed once created, except container images, a shorter
 * activeDeadlineSeconds, added tolerations and a grace period of 1 in place of a negative one — the
 * real server's message and a short diff of what else changed.
 *
 * Start with {@link validatePodUpdate}.
 */
import type { StatusCause } from '../errors/status.js';
import type { KObject } from '../storage/storedObject.js';
import { asList, asObj, canonical, type Obj } from './jsonValues.js';
import { forbiddenCause, renderValue } from './nameValidation.js';

const UPDATABLE = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
].join(',');

/** The new spec with every field that may change put back to its old value ("munged" as the real check). */
function munge(spec: Obj, old: Obj): Obj {
  const out: Obj = { ...spec };
  for (const key of ['containers', 'initContainers']) {
    const before = asList(old[key]);
    const after = asList(spec[key]);
    if (after.length === 0 && before.length === 0) continue;
    out[key] = after.map((c, i) => {
      const was = asObj(before[i]);
      const now = asObj(c);
      return now && was ? { ...now, image: was['image'] } : c;
    });
  }
  const deadline = spec['activeDeadlineSeconds'];
  const oldDeadline = old['activeDeadlineSeconds'];
  // Setting a deadline, or shortening one, is allowed; clearing or lengthening it is not.
  if (
    typeof deadline === 'number' &&
    deadline > 0 &&
    (oldDeadline === undefined || (typeof oldDeadline === 'number' && deadline <= oldDeadline))
  ) {
    if (oldDeadline === undefined) delete out['activeDeadlineSeconds'];
    else out['activeDeadlineSeconds'] = oldDeadline;
  }
  const tolerations = asList(spec['tolerations']);
  const oldTolerations = asList(old['tolerations']);
  const kept = oldTolerations.every((t) => tolerations.some((n) => canonical(n) === canonical(t)));
  if (kept) {
    if (old['tolerations'] === undefined) delete out['tolerations'];
    else out['tolerations'] = old['tolerations'];
  }
  const grace = old['terminationGracePeriodSeconds'];
  if (typeof grace === 'number' && grace < 0 && spec['terminationGracePeriodSeconds'] === 1)
    out['terminationGracePeriodSeconds'] = grace;
  return out;
}

/** A JSON field name as the Go struct field (`restartPolicy` → `RestartPolicy`). */
function goName(k: string): string {
  return k.charAt(0).toUpperCase() + k.slice(1);
}

/** `- Field: old` / `+ Field: new` lines in the style of the Go diff the real message carries. */
function specDiff(old: Obj, munged: Obj): string {
  const lines = ['  core.PodSpec{'];
  const keys = [...new Set([...Object.keys(old), ...Object.keys(munged)])];
  for (const k of keys) {
    if (canonical(old[k]) === canonical(munged[k])) continue;
    if (old[k] !== undefined) lines.push(`- \t${goName(k)}: ${renderValue(old[k])},`);
    if (munged[k] !== undefined) lines.push(`+ \t${goName(k)}: ${renderValue(munged[k])},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

/** Update causes for a Pod whose spec changed beyond what the API allows. */
export function validatePodUpdate(o: KObject, old: KObject): StatusCause[] {
  const spec = asObj(o['spec']) ?? {};
  const oldSpec = asObj(old['spec']) ?? {};
  if (asList(spec['containers']).length !== asList(oldSpec['containers']).length)
    return [forbiddenCause('spec.containers', 'pod updates may not add or remove containers')];
  const causes: StatusCause[] = [];
  const munged = munge(spec, oldSpec);
  if (canonical(munged) !== canonical(oldSpec))
    causes.push(
      forbiddenCause(
        'spec',
        `pod updates may not change fields other than ${UPDATABLE}\n${specDiff(oldSpec, munged)}`,
      ),
    );
  return causes;
}
