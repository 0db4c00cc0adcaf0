/**
 * POST `pods/<name>/binding`: assigns a Pod to a Node, as a scheduler does — sets `spec.nodeName`, copies
 * the Binding's annotations and labels, and marks the Pod `PodScheduled`; answers 201 with a Success Status.
 *
 * Start with {@link handlePodBinding}; `podSubresource.ts` holds the parts it shares with eviction.
 */
import { conflict, StatusError } from '../errors/status.js';
import { nameProblems } from '../registry/nameValidation.js';
import type { KObject } from '../storage/storedObject.js';
import type { RequestContext } from './context.js';
import { getExisting } from './get.js';
import { isDryRun } from './options.js';
import {
  commitPod,
  readSubresourceBody,
  sendCreatedSuccess,
  storagePreconditionConflict,
  upsertPodCondition,
} from './podSubresource.js';

interface Binding {
  metadata?: {
    name?: string;
    uid?: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  target?: { kind?: string; name?: string };
}

/**
 * `ValidatePodBinding`. Its errors are returned as a plain aggregate (not a StatusError), which the real
 * server answers as a 500 without a reason.
 */
function validateBinding(b: Binding): void {
  const kind = b.target?.kind ?? '';
  const name = b.target?.name ?? '';
  const errs: string[] = [];
  if (kind !== '' && kind !== 'Node')
    errs.push(`target.kind: Unsupported value: ${JSON.stringify(kind)}: supported values: "Node", "<empty>"`);
  if (name === '') errs.push('target.name: Required value');
  else if (kind === '' || kind === 'Node')
    for (const msg of nameProblems(name, 'subdomain'))
      errs.push(`target.name: Invalid value: ${JSON.stringify(name)}: ${msg}`);
  if (errs.length === 0) return;
  throw new StatusError({ code: 500, message: errs.length === 1 ? (errs[0] ?? '') : `[${errs.join(', ')}]` });
}

/** The storage update's refusals are wrapped as a Conflict on `pods/binding`. */
function bindingConflict(name: string, why: string): StatusError {
  return conflict('pods/binding', '', name, why);
}

export async function handlePodBinding(ctx: RequestContext): Promise<void> {
  const b = (await readSubresourceBody(ctx, 'Binding', ['v1'])) as Binding;
  if ((b.metadata?.name ?? '') !== ctx.name)
    throw new StatusError({
      reason: 'BadRequest',
      code: 400,
      message: 'name in URL does not match name in Binding object',
    });
  validateBinding(b);
  const s = getExisting(ctx);
  const meta = s.obj.metadata ?? {};
  storagePreconditionConflict(ctx, s, b.metadata?.uid, b.metadata?.resourceVersion);
  const pod = JSON.parse(s.json) as KObject;
  const spec = (pod['spec'] ?? {}) as { nodeName?: string; schedulingGates?: unknown[] };
  if (meta.deletionTimestamp)
    throw bindingConflict(ctx.name, `pod ${ctx.name} is being deleted, cannot be assigned to a host`);
  if (spec.nodeName)
    throw bindingConflict(
      ctx.name,
      `pod ${ctx.name} is already assigned to node ${JSON.stringify(spec.nodeName)}`,
    );
  if ((spec.schedulingGates ?? []).length > 0)
    throw bindingConflict(ctx.name, `pod ${ctx.name} has non-empty .spec.schedulingGates`);
  pod['spec'] = { ...spec, nodeName: b.target?.name ?? '' };
  const podMeta = { ...pod.metadata };
  podMeta.annotations = { ...podMeta.annotations, ...b.metadata?.annotations };
  // The Binding's labels (topology labels the admission plugin adds) overwrite the Pod's.
  if (b.metadata?.labels && Object.keys(b.metadata.labels).length > 0)
    podMeta.labels = { ...podMeta.labels, ...b.metadata.labels };
  pod.metadata = podMeta;
  const status = { ...(pod['status'] as Record<string, unknown> | undefined) };
  // A nomination only guides scheduling; once bound it is stale (ClearingNominatedNodeNameAfterBinding).
  delete status['nominatedNodeName'];
  upsertPodCondition(status, { type: 'PodScheduled', status: 'True' });
  pod['status'] = status;
  if (!isDryRun(ctx)) commitPod(ctx, pod);
  sendCreatedSuccess(ctx);
}
