/**
 * Printer columns of the workload kinds (apps and batch), like kube-apiserver's printers: the counts
 * each shows by default, then the wide Containers, Images and Selector of its pod template.
 * Start with {@link WORKLOAD_COLUMNS}.
 */
import { age } from './humanDuration.js';
import { a, AGE, conditionStatus, formatLabels, n, o, orNone, s, spec, status } from './cells.js';
import type { BuiltinColumn, Json } from './cells.js';

/** `LabelSelectorAsSelector(...).String()`: requirements sorted by key, set values sorted. */
export function labelSelectorString(selector: unknown): string {
  const sel = o(selector);
  const reqs: Array<[string, string]> = Object.entries(o(sel['matchLabels'])).map(([k, v]) => [
    k,
    `${k}=${s(v)}`,
  ]);
  for (const e of a(sel['matchExpressions'])) {
    const key = s(e['key']);
    const values = (Array.isArray(e['values']) ? e['values'] : []).map(s).sort();
    const set = `(${[...new Set(values)].join(',')})`;
    const op = s(e['operator']);
    if (op === 'In') reqs.push([key, `${key} in ${set}`]);
    else if (op === 'NotIn') reqs.push([key, `${key} notin ${set}`]);
    else if (op === 'Exists') reqs.push([key, key]);
    else if (op === 'DoesNotExist') reqs.push([key, `!${key}`]);
    else return '<invalid>';
  }
  return reqs
    .sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))
    .map(([, text]) => text)
    .join(',');
}

/** The pod template's containers laid out on one line each for names and images. */
function templateContainers(template: unknown): Json[] {
  return a(o(o(template)['spec'])['containers']);
}

/** The wide columns every pod-template workload ends with; `selector` is omitted for StatefulSets. */
function wide(template: (obj: Json) => unknown, selector?: (obj: Json) => unknown): BuiltinColumn[] {
  const cols: BuiltinColumn[] = [
    {
      name: 'Containers',
      type: 'string',
      priority: 1,
      description: 'Names of each container in the template.',
      cell: (v) =>
        templateContainers(template(v))
          .map((c) => s(c['name']))
          .join(','),
    },
    {
      name: 'Images',
      type: 'string',
      priority: 1,
      description: 'Images referenced by each container in the template.',
      cell: (v) =>
        templateContainers(template(v))
          .map((c) => s(c['image']))
          .join(','),
    },
  ];
  if (selector !== undefined)
    cols.push({
      name: 'Selector',
      type: 'string',
      priority: 1,
      cell: (v) => labelSelectorString(selector(v)),
    });
  return cols;
}

const podTemplate = (v: Json): unknown => spec(v)['template'];
const specSelector = (v: Json): unknown => spec(v)['selector'];
const jobTemplate = (v: Json): Json => o(spec(v)['jobTemplate']);
const replicas = (v: Json): number => (spec(v)['replicas'] === undefined ? 1 : n(spec(v)['replicas']));

export const WORKLOAD_COLUMNS: Record<string, BuiltinColumn[]> = {
  'apps/StatefulSet': [
    {
      name: 'Ready',
      type: 'string',
      description: 'Number of the pod with ready state',
      cell: (v) => `${n(status(v)['readyReplicas'])}/${replicas(v)}`,
    },
    AGE,
    ...wide(podTemplate),
  ],
  'apps/Deployment': [
    {
      name: 'Ready',
      type: 'string',
      description: 'Number of the pod with ready state',
      cell: (v) => `${n(status(v)['readyReplicas'])}/${replicas(v)}`,
    },
    { name: 'Up-to-date', type: 'integer', cell: (v) => n(status(v)['updatedReplicas']) },
    { name: 'Available', type: 'integer', cell: (v) => n(status(v)['availableReplicas']) },
    AGE,
    ...wide(podTemplate, specSelector),
  ],
  'apps/ReplicaSet': [
    { name: 'Desired', type: 'integer', cell: (v) => replicas(v) },
    { name: 'Current', type: 'integer', cell: (v) => n(status(v)['replicas']) },
    { name: 'Ready', type: 'integer', cell: (v) => n(status(v)['readyReplicas']) },
    AGE,
    ...wide(podTemplate, specSelector),
  ],
  'apps/DaemonSet': [
    { name: 'Desired', type: 'integer', cell: (v) => n(status(v)['desiredNumberScheduled']) },
    { name: 'Current', type: 'integer', cell: (v) => n(status(v)['currentNumberScheduled']) },
    { name: 'Ready', type: 'integer', cell: (v) => n(status(v)['numberReady']) },
    { name: 'Up-to-date', type: 'integer', cell: (v) => n(status(v)['updatedNumberScheduled']) },
    { name: 'Available', type: 'integer', cell: (v) => n(status(v)['numberAvailable']) },
    {
      name: 'Node Selector',
      type: 'string',
      cell: (v) => formatLabels(o(o(o(podTemplate(v))['spec'])['nodeSelector'])),
    },
    AGE,
    ...wide(podTemplate, specSelector),
  ],
  'batch/Job': [
    {
      name: 'Status',
      type: 'string',
      description: 'Status of the job.',
      cell: (v) =>
        conditionStatus(v, 'Complete') === 'True'
          ? 'Complete'
          : conditionStatus(v, 'Failed') === 'True'
            ? 'Failed'
            : 'Running',
    },
    {
      name: 'Completions',
      type: 'string',
      cell: (v) =>
        `${n(status(v)['succeeded'])}/${spec(v)['completions'] === undefined ? 1 : n(spec(v)['completions'])}`,
    },
    {
      name: 'Duration',
      type: 'string',
      description: 'Time required to complete the job.',
      cell: (v, now) => {
        const st = s(status(v)['startTime']);
        const end = s(status(v)['completionTime']);
        return st === '' ? '' : age(st, end === '' ? now : new Date(end));
      },
    },
    AGE,
    ...wide(podTemplate, specSelector),
  ],
  'batch/CronJob': [
    { name: 'Schedule', type: 'string', cell: (v) => s(spec(v)['schedule']) },
    { name: 'Timezone', type: 'string', cell: (v) => orNone(s(spec(v)['timeZone'])) },
    {
      name: 'Suspend',
      type: 'boolean',
      // The printer writes the pointer's value as text, <unset> when absent.
      cell: (v) => {
        const suspend = spec(v)['suspend'];
        return typeof suspend === 'boolean' ? (suspend ? 'True' : 'False') : '<unset>';
      },
    },
    { name: 'Active', type: 'integer', cell: (v) => a(status(v)['active']).length },
    {
      name: 'Last Schedule',
      type: 'string',
      cell: (v, now) => {
        const last = status(v)['lastScheduleTime'];
        return last === undefined ? '<none>' : age(last, now);
      },
    },
    AGE,
    ...wide(
      (v) => o(jobTemplate(v)['spec'])['template'],
      (v) => o(jobTemplate(v)['spec'])['selector'],
    ),
  ],
};
