/**
 * `validateEventsV1()`: create rules of an events.k8s.io/v1 Event as the real server runs them on the
 * internal (core) Event — the legacy checks, which need the reporting fields only once eventTime is set,
 * then the strict ones (eventTime, type, deprecated fields unset), with the internal field names.
 *
 * Start with {@link validateEventsV1}.
 */
import type { StatusCause } from '../errors/status.js';
import type { KObject } from '../storage/storedObject.js';
import { asObj } from './jsonValues.js';
import { invalidCause, qualifiedNameProblems, requiredCause } from './nameValidation.js';

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

const set = (v: unknown): boolean => v !== undefined && v !== null && v !== 0 && v !== '';

/** `field.Invalid(path, "", msg)`: these rules print an empty value and put the detail in the message. */
const unsetOrTooLong = (field: string, message: string): StatusCause => invalidCause(field, '', message);

function legacy(o: KObject, causes: StatusCause[]): void {
  const ns = o.metadata?.namespace ?? '';
  const regardingNs = text(asObj(o['regarding'])?.['namespace']);
  if (!o['eventTime']) {
    const ok = regardingNs === '' ? ns === '' || ns === 'default' : ns === regardingNs;
    if (!ok)
      causes.push(invalidCause('involvedObject.namespace', regardingNs, 'does not match event.namespace'));
    return;
  }
  if (regardingNs === '' && ns !== 'default' && ns !== 'kube-system')
    causes.push(invalidCause('involvedObject.namespace', regardingNs, 'does not match event.namespace'));
  const controller = text(o['reportingController']);
  if (controller === '') causes.push(requiredCause('reportingController'));
  for (const msg of qualifiedNameProblems(controller))
    causes.push(invalidCause('reportingController', controller, msg));
  const limits: [string, number][] = [
    ['reportingInstance', 128],
    ['action', 128],
    ['reason', 128],
  ];
  for (const [f, max] of limits) {
    const v = text(o[f]);
    if (v === '') causes.push(requiredCause(f));
    if (v.length > max) causes.push(unsetOrTooLong(f, `can have at most ${max} characters`));
  }
  // `note` is the internal Event's `message`.
  if (text(o['note']).length > 1024)
    causes.push(unsetOrTooLong('message', 'can have at most 1024 characters'));
}

export function validateEventsV1(o: KObject): StatusCause[] {
  const causes: StatusCause[] = [];
  legacy(o, causes);
  const series = asObj(o['series']);
  if (series) {
    if (typeof series['count'] !== 'number' || series['count'] < 2)
      causes.push(unsetOrTooLong('series.count', 'should be at least 2'));
    if (!series['lastObservedTime']) causes.push(requiredCause('series.lastObservedTime'));
  }
  if (!o['eventTime']) causes.push(requiredCause('eventTime'));
  const type = o['type'];
  if (type !== 'Normal' && type !== 'Warning')
    causes.push(unsetOrTooLong('type', `has invalid value: ${text(type)}`));
  // The deprecated v1 fields map to the internal Event's legacy fields, which must stay unset.
  if (set(o['deprecatedFirstTimestamp'])) causes.push(unsetOrTooLong('firstTimestamp', 'needs to be unset'));
  if (set(o['deprecatedLastTimestamp'])) causes.push(unsetOrTooLong('lastTimestamp', 'needs to be unset'));
  if (set(o['deprecatedCount'])) causes.push(unsetOrTooLong('count', 'needs to be unset'));
  const source = asObj(o['deprecatedSource']);
  if (text(source?.['component']) !== '' || text(source?.['host']) !== '')
    causes.push(unsetOrTooLong('source', 'needs to be unset'));
  return causes;
}
