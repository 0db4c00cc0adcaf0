/**
 * The Pod printer's columns, like kube-apiserver's `printPod`: Ready, Status (the aggregate reason
 * kubectl shows), Restarts, Age, and the wide IP, Node, Nominated Node and Readiness Gates.
 * Start with {@link POD_COLUMNS}.
 */
import { age } from './humanDuration.js';
import { a, AGE, meta, n, o, orNone, s, spec, status } from './cells.js';
import type { BuiltinColumn, Json } from './cells.js';

/** The aggregate status kubectl shows: init progress, a waiting or terminated reason, Terminating. */
function podStatus(pod: Json): string {
  const st = status(pod);
  let reason = s(st['reason']) || s(st['phase']);
  for (const c of a(st['initContainerStatuses'])) {
    const state = o(c['state']);
    const term = o(state['terminated']);
    if (state['terminated'] !== undefined && n(term['exitCode']) === 0) continue;
    if (state['terminated'] !== undefined)
      return `Init:${s(term['reason']) || `ExitCode:${n(term['exitCode'])}`}`;
    const waiting = s(o(state['waiting'])['reason']);
    if (waiting !== '' && waiting !== 'PodInitializing') return `Init:${waiting}`;
  }
  let running = false;
  for (const c of [...a(st['containerStatuses'])].reverse()) {
    const state = o(c['state']);
    const waiting = s(o(state['waiting'])['reason']);
    const term = o(state['terminated']);
    if (waiting !== '') reason = waiting;
    else if (state['terminated'] !== undefined)
      reason =
        s(term['reason']) ||
        (term['signal'] ? `Signal:${n(term['signal'])}` : `ExitCode:${n(term['exitCode'])}`);
    else if (state['running'] !== undefined && c['ready'] === true) running = true;
  }
  if (reason === 'Completed' && running) reason = 'Running';
  if (meta(pod)['deletionTimestamp'] !== undefined)
    reason = s(st['reason']) === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

/** The restart count, with how long ago the last container ended when it did. */
function podRestarts(pod: Json, now: Date): string {
  let restarts = 0;
  let last = '';
  for (const c of a(status(pod)['containerStatuses'])) {
    restarts += n(c['restartCount']);
    const finished = s(o(o(c['lastState'])['terminated'])['finishedAt']);
    if (finished !== '' && (last === '' || Date.parse(finished) > Date.parse(last))) last = finished;
  }
  return last !== '' && restarts > 0 ? `${restarts} (${age(last, now)} ago)` : String(restarts);
}

/** `<trueGates>/<gates>`, counting a gate when the pod condition of its type is True. */
function readinessGates(pod: Json): string {
  const gates = a(spec(pod)['readinessGates']);
  if (gates.length === 0) return '<none>';
  const conditions = a(status(pod)['conditions']);
  const passed = gates.filter(
    (g) => conditions.find((c) => c['type'] === g['conditionType'])?.['status'] === 'True',
  ).length;
  return `${passed}/${gates.length}`;
}

/** The first of `status.podIPs`, as the printer reads it; `status.podIP` for objects that carry only that. */
function podIp(pod: Json): string {
  return s(a(status(pod)['podIPs'])[0]?.['ip']) || s(status(pod)['podIP']);
}

export const POD_COLUMNS: BuiltinColumn[] = [
  {
    name: 'Ready',
    type: 'string',
    description: 'The aggregate readiness state of this pod for accepting traffic.',
    cell: (p) =>
      `${a(status(p)['containerStatuses']).filter((c) => c['ready'] === true).length}/${a(spec(p)['containers']).length}`,
  },
  {
    name: 'Status',
    type: 'string',
    description: 'The aggregate status of the containers in this pod.',
    cell: (p) => podStatus(p),
  },
  {
    name: 'Restarts',
    type: 'string',
    description:
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    cell: (p, now) => podRestarts(p, now),
  },
  AGE,
  { name: 'IP', type: 'string', priority: 1, cell: (p) => orNone(podIp(p)) },
  { name: 'Node', type: 'string', priority: 1, cell: (p) => orNone(s(spec(p)['nodeName'])) },
  {
    name: 'Nominated Node',
    type: 'string',
    priority: 1,
    cell: (p) => orNone(s(status(p)['nominatedNodeName'])),
  },
  { name: 'Readiness Gates', type: 'string', priority: 1, cell: (p) => readinessGates(p) },
];
