/**
 * POST `pods/<name>/eviction`: deletes a Pod unless a PodDisruptionBudget forbids it (429), as the real
 * eviction subresource does. Budgets are read as stored: with no disruption controller running, a budget
 * whose status was never computed refuses evictions of running Pods, exactly as on a fresh real cluster.
 *
 * Start with {@link handlePodEviction}.
 */
import { invalid, StatusError, type StatusCause } from '../errors/status.js';
import { toStorageShape } from '../registry/eventConversion.js';
import type { LabelRequirement } from '../selectors/index.js';
import { labelSelectorOf } from '../selectors/index.js';
import type { KObject, StoredObject } from '../storage/storedObject.js';
import type { RequestContext } from './context.js';
import { deleteOne, type DeleteOptions } from './delete.js';
import { getExisting } from './get.js';
import { isDryRun } from './options.js';
import {
  commitPod,
  readSubresourceBody,
  sendCreatedStatus,
  sendCreatedSuccess,
  upsertPodCondition,
} from './podSubresource.js';
import { nowTimestamp } from './time.js';

/** Beyond this many unconfirmed evictions the budget refuses more (`MaxDisruptedPodSize`). */
const MAX_DISRUPTED_PODS = 2000;
const PDB_COLLECTION = 'poddisruptionbudgets.policy';

type Obj = Record<string, unknown>;

interface Eviction {
  metadata?: { name?: string };
  deleteOptions?: DeleteOptions & {
    dryRun?: string[];
    ignoreStoreReadErrorWithClusterBreakingPotential?: boolean;
  };
}

interface Budget {
  metadata?: { name?: string; generation?: number };
  spec?: { selector?: unknown; unhealthyPodEvictionPolicy?: string };
  status?: {
    observedGeneration?: number;
    disruptionsAllowed?: number;
    currentHealthy?: number;
    desiredHealthy?: number;
    disruptedPods?: Record<string, string>;
    conditions?: Obj[];
  };
}

function podPhase(pod: KObject): string {
  return ((pod['status'] ?? {}) as { phase?: string }).phase ?? '';
}

/** Terminal, pending and deleting Pods are deleted without consulting any budget (`canIgnorePDB`). */
function canIgnoreBudget(pod: KObject): boolean {
  const phase = podPhase(pod);
  return ['Succeeded', 'Failed', 'Pending'].includes(phase) || pod.metadata?.deletionTimestamp !== undefined;
}

function isReady(pod: KObject): boolean {
  const conditions = ((pod['status'] ?? {}) as { conditions?: Obj[] }).conditions ?? [];
  return conditions.some((c) => c['type'] === 'Ready' && c['status'] === 'True');
}

/** `LabelSelectorAsSelector`: a missing selector matches nothing, an empty one everything; invalid ones none. */
function selectorMatches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  if (typeof selector !== 'object' || selector === null) return false;
  const s = selector as {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  const reqs: LabelRequirement[] = [];
  for (const [key, v] of Object.entries(s.matchLabels ?? {})) reqs.push({ key, operator: '=', values: [v] });
  const ops: Record<string, LabelRequirement['operator']> = {
    In: 'in',
    NotIn: 'notin',
    Exists: 'exists',
    DoesNotExist: '!',
  };
  for (const e of s.matchExpressions ?? []) {
    const operator = ops[e.operator];
    if (operator === undefined) return false;
    reqs.push({ key: e.key, operator, values: [...new Set(e.values ?? [])].sort() });
  }
  return labelSelectorOf(reqs).matches(labels ?? {});
}

function disruptionBudgetCause(message: string): StatusCause {
  return { reason: 'DisruptionBudget', message };
}

function tooManyRequests(retryAfterSeconds: number, cause: StatusCause): StatusError {
  const details: { causes: StatusCause[]; retryAfterSeconds?: number } = { causes: [cause] };
  if (retryAfterSeconds > 0) details.retryAfterSeconds = retryAfterSeconds;
  return new StatusError(
    {
      reason: 'TooManyRequests',
      code: 429,
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details,
    },
    retryAfterSeconds > 0 ? { 'Retry-After': String(retryAfterSeconds) } : {},
  );
}

function budgetForbidden(name: string, why: string, causeMessage: string): StatusError {
  return new StatusError({
    reason: 'Forbidden',
    code: 403,
    message: `poddisruptionbudget.policy "${name}" is forbidden: ${why}`,
    details: {
      name,
      group: 'policy',
      kind: 'poddisruptionbudget',
      causes: [
        disruptionBudgetCause(
          `The disruption budget ${name} does not allow evicting pods currently: ${causeMessage}`,
        ),
      ],
    },
  });
}

/** `checkAndDecrement`: refuses when the budget allows no disruption, else records the eviction in it. */
function checkAndDecrement(
  ctx: RequestContext,
  stored: StoredObject,
  podName: string,
  dryRun: boolean,
): void {
  const pdb = JSON.parse(stored.json) as KObject & Budget;
  const name = pdb.metadata?.name ?? '';
  const st = { ...pdb.status };
  if ((st.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0))
    throw tooManyRequests(
      10,
      disruptionBudgetCause(`The disruption budget ${name} is still being processed by the server.`),
    );
  const allowed = st.disruptionsAllowed ?? 0;
  if (allowed < 0)
    throw budgetForbidden(name, 'pdb disruptions allowed is negative', 'pdb disruptions allowed is negative');
  if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS)
    throw budgetForbidden(
      name,
      'DisruptedPods map too big - too many evictions not confirmed by PDB controller',
      'too many pending evictions not confirmed by PDB controller',
    );
  if (allowed === 0) throw tooManyRequests(0, disruptionBudgetCause(noDisruptionMessage(name, st)));
  st.disruptionsAllowed = allowed - 1;
  if (st.disruptionsAllowed === 0) {
    const conditions = [...(st.conditions ?? [])];
    const at = conditions.findIndex((c) => c['type'] === 'DisruptionAllowed');
    const old = at >= 0 ? conditions[at] : undefined;
    const next: Obj = {
      type: 'DisruptionAllowed',
      status: 'False',
      observedGeneration: st.observedGeneration ?? 0,
      lastTransitionTime: old && old['status'] === 'False' ? old['lastTransitionTime'] : nowTimestamp(),
      reason: 'InsufficientPods',
      message: old?.['message'] ?? '',
    };
    if (at >= 0) conditions[at] = next;
    else conditions.push(next);
    st.conditions = conditions;
  }
  if (dryRun) return;
  // Tells the disruption controller this Pod is about to go, so it stops counting it as available.
  st.disruptedPods = { ...st.disruptedPods, [podName]: nowTimestamp() };
  pdb.status = st;
  const info = ctx.state.registry.lookup('policy', 'v1', 'poddisruptionbudgets');
  ctx.state.storage.collection(PDB_COLLECTION).put(info ? toStorageShape(info, pdb) : pdb);
}

function noDisruptionMessage(name: string, st: NonNullable<Budget['status']>): string {
  const c = (st.conditions ?? []).find((x) => x['type'] === 'DisruptionAllowed');
  const msg = typeof c?.['message'] === 'string' ? c['message'] : '';
  if (c && c['status'] === 'False' && msg !== '' && c['reason'] === 'SyncFailed')
    return `The disruption budget ${name} does not allow evicting pods currently because it failed sync: ${msg}`;
  if ((st.currentHealthy ?? 0) <= (st.desiredHealthy ?? 0))
    return `The disruption budget ${name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`;
  if (c && c['status'] === 'False' && msg !== '')
    return `The disruption budget ${name} does not allow evicting pods currently (${String(c['reason'])}): ${msg}`;
  return `The disruption budget ${name} does not allow evicting pods currently`;
}

/** Marks the Pod `DisruptionTarget` (through the status strategy), then deletes it with the options given. */
function markAndDelete(ctx: RequestContext, s: StoredObject, opts: DeleteOptions, dryRun: boolean): void {
  let current = s;
  if (!dryRun) {
    const pod = JSON.parse(s.json) as KObject;
    const status = { ...(pod['status'] as Obj | undefined) };
    upsertPodCondition(status, {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'EvictionByEvictionAPI',
      message: 'Eviction API: evicting',
    });
    pod['status'] = status;
    current = commitPod(ctx, pod);
    // The precondition was on the Pod before the condition was added; move it along.
    if (opts.preconditions?.resourceVersion !== undefined)
      opts = {
        ...opts,
        preconditions: {
          ...opts.preconditions,
          resourceVersion: current.obj.metadata?.resourceVersion ?? '',
        },
      };
  }
  deleteOne(ctx, current, opts);
}

export async function handlePodEviction(ctx: RequestContext): Promise<void> {
  const ev = (await readSubresourceBody(ctx, 'Eviction', ['policy/v1', 'policy/v1beta1'])) as Eviction;
  if ((ev.metadata?.name ?? '') !== ctx.name)
    throw new StatusError({
      reason: 'BadRequest',
      code: 400,
      message: 'name in URL does not match name in Eviction object',
    });
  const opts: DeleteOptions & { dryRun?: string[] } = { ...ev.deleteOptions };
  if (ev.deleteOptions?.ignoreStoreReadErrorWithClusterBreakingPotential === true)
    throw invalid('Eviction', 'policy', ctx.name, [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: true: can not be set for pod eviction, try after removing the option',
        field: 'deleteOptions.ignoreStoreReadErrorWithClusterBreakingPotential',
      },
    ]);
  const queryDryRun = ctx.query.getAll('dryRun');
  const bodyDryRun = opts.dryRun ?? [];
  if (
    queryDryRun.length > 0 &&
    bodyDryRun.length > 0 &&
    queryDryRun.join('\u0000') !== bodyDryRun.join('\u0000')
  )
    throw new StatusError({
      code: 500,
      message: `Non-matching dry-run options in request and content: [${queryDryRun.join(' ')}] and [${bodyDryRun.join(' ')}]`,
    });
  // The delete below reads dry-run from the query, as a DELETE request does.
  for (const d of bodyDryRun) if (!queryDryRun.includes(d)) ctx.query.append('dryRun', d);
  const dryRun = isDryRun(ctx);
  const s = getExisting(ctx);
  if (canIgnoreBudget(s.obj)) {
    markAndDelete(ctx, s, opts, dryRun);
    sendCreatedSuccess(ctx);
    return;
  }
  const budgets = [...ctx.state.storage.collection(PDB_COLLECTION).objects.values()].filter(
    (b) =>
      b.namespace === s.namespace &&
      selectorMatches((b.obj as Budget).spec?.selector, s.obj.metadata?.labels),
  );
  if (budgets.length > 1) {
    // Returned as the result, not as an error: the client sees HTTP 201 carrying a Failure Status.
    sendCreatedStatus(
      ctx,
      new StatusError({
        code: 500,
        message:
          'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      }),
    );
    return;
  }
  const budget = budgets[0];
  if (budget) {
    const b = budget.obj as Budget;
    const st = b.status ?? {};
    const unhealthyGoes =
      !isReady(s.obj) &&
      (b.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' ||
        ((st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (st.desiredHealthy ?? 0) > 0));
    // An unready Pod whose loss disrupts nothing goes without using up the budget.
    if (!unhealthyGoes) checkAndDecrement(ctx, budget, s.name, dryRun);
  }
  markAndDelete(ctx, s, opts, dryRun);
  sendCreatedSuccess(ctx);
}
