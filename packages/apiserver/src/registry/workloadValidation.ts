/**
 * Kind rules of batch/v1 Job and policy/v1 PodDisruptionBudget with the real field paths and messages:
 * a Job's pods never restart in place (restartPolicy OnFailure or Never), its selector matches its
 * template and does not change; a PDB sets minAvailable or maxUnavailable, not both, and its status
 * starts zeroed.
 *
 * Start with {@link validateJob} and {@link validatePodDisruptionBudget}.
 */
import type { StatusCause } from '../errors/status.js';
import type { KObject } from '../storage/storedObject.js';
import { asObj, canonical, type Obj } from './jsonValues.js';
import { validateLabelSelector } from './labelSelectorValidation.js';
import { invalidCause, notSupportedCause, requiredCause } from './nameValidation.js';

function nonNegative(spec: Obj, key: string, causes: StatusCause[]): void {
  const v = spec[key];
  if (typeof v === 'number' && v < 0)
    causes.push(invalidCause(`spec.${key}`, v, 'must be greater than or equal to 0'));
}

/** Create and update rules of a Job's spec. */
export function validateJob(o: KObject): StatusCause[] {
  const spec = asObj(o['spec']) ?? {};
  const causes: StatusCause[] = [];
  for (const key of [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'ttlSecondsAfterFinished',
  ])
    nonNegative(spec, key, causes);
  const template = asObj(spec['template']) ?? {};
  const selector = asObj(spec['selector']);
  if (!selector) causes.push(requiredCause('spec.selector'));
  else {
    const labels = asObj(asObj(template['metadata'])?.['labels']) ?? {};
    const matchLabels = asObj(selector['matchLabels']) ?? {};
    if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v))
      causes.push(
        invalidCause('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'),
      );
  }
  // A failed container is retried by the Job controller with a new pod, never restarted forever in place.
  const restartPolicy = asObj(template['spec'])?.['restartPolicy'];
  if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never')
    causes.push(
      notSupportedCause('spec.template.spec.restartPolicy', restartPolicy ?? '', ['OnFailure', 'Never']),
    );
  return causes;
}

/** Update-only Job rules: the selector and (for a running Job) the pod template stay as created. */
export function validateJobUpdate(o: KObject, old: KObject): StatusCause[] {
  const spec = asObj(o['spec']) ?? {};
  const oldSpec = asObj(old['spec']) ?? {};
  const causes: StatusCause[] = [];
  if (canonical(spec['selector']) !== canonical(oldSpec['selector']))
    causes.push(invalidCause('spec.selector', spec['selector'] ?? null, 'field is immutable'));
  // The template of a suspended Job may change (so a queue can adjust it before it starts).
  if (oldSpec['suspend'] !== true && canonical(spec['template']) !== canonical(oldSpec['template']))
    causes.push(invalidCause('spec.template', spec['template'] ?? null, 'field is immutable'));
  return causes;
}

const PERCENT = /^[0-9]+%$/;

function intOrPercent(v: unknown, field: string, causes: StatusCause[]): void {
  if (typeof v === 'number') {
    if (v < 0) causes.push(invalidCause(field, v, 'must be greater than or equal to 0'));
    return;
  }
  if (typeof v !== 'string') return;
  if (!PERCENT.test(v)) {
    causes.push(
      invalidCause(
        field,
        v,
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ),
    );
    return;
  }
  if (Number(v.slice(0, -1)) > 100) causes.push(invalidCause(field, v, 'must not be greater than 100%'));
}

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/**
 * A PDB's spec: minAvailable and maxUnavailable exclusive, each a non-negative int or a percentage, a valid
 * selector, a known unhealthyPodEvictionPolicy.
 */
export function validatePodDisruptionBudget(o: KObject): StatusCause[] {
  const spec = asObj(o['spec']) ?? {};
  const causes: StatusCause[] = [];
  if (spec['minAvailable'] !== undefined && spec['maxUnavailable'] !== undefined) {
    // The value shown is the internal Go struct marshalled without JSON tags: its field names, nulls kept.
    const shown: Obj = {
      MinAvailable: spec['minAvailable'] ?? null,
      Selector: spec['selector'] ?? null,
      MaxUnavailable: spec['maxUnavailable'] ?? null,
      UnhealthyPodEvictionPolicy: spec['unhealthyPodEvictionPolicy'] ?? null,
    };
    causes.push(invalidCause('spec', shown, 'minAvailable and maxUnavailable cannot be both set'));
  }
  intOrPercent(spec['minAvailable'], 'spec.minAvailable', causes);
  intOrPercent(spec['maxUnavailable'], 'spec.maxUnavailable', causes);
  causes.push(...validateLabelSelector(spec['selector'], 'spec.selector'));
  const policy = spec['unhealthyPodEvictionPolicy'];
  if (policy !== undefined && !EVICTION_POLICIES.includes(policy as string))
    causes.push(notSupportedCause('spec.unhealthyPodEvictionPolicy', policy, EVICTION_POLICIES));
  return causes;
}

/** A new PDB's status: the zero value, whose counters are not omitempty (the create strategy resets it). */
export function initialPodDisruptionBudgetStatus(): Obj {
  return { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
}
