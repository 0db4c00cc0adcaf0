/**
 * What is in a namespace being deleted, and the status conditions Kubernetes' namespace controller
 * reports about it (with the real controller's reasons and messages, observed on a kube-controller-manager).
 * Start with {@link deleteContent}; {@link deletionConditions} turns its outcome into conditions, and
 * {@link finalizeNamespace} removes the `kubernetes` finalizer.
 */
import { builtin, NotFoundError, refFor } from '@steward/core';
import type { KubeClient, KubeObject, ResourceRef } from '@steward/core';
import { crdResources } from '../garbageCollector/gcKinds.js';

/** The namespaced built-in kinds; `events.k8s.io` Events share core Events' storage, so they are left out. */
const BUILTIN_NAMESPACED: readonly ResourceRef[] = [
  ...Object.values(builtin).filter((r) => r.namespaced && r !== builtin.eventsV1),
  refFor('rbac.authorization.k8s.io/v1', 'Role', 'roles', true),
  refFor('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true),
];

export interface ContentOutcome {
  /** Whether the custom kinds could be listed (the real controller's discovery). */
  discoveryError?: string;
  /** Deletions that failed, as `resource: message`. */
  deleteErrors: string[];
  /** Objects still there after this pass, per resource (`plural.group`). */
  remaining: Map<string, number>;
  /** Finalizers still on those objects, with how many objects carry each. */
  finalizers: Map<string, number>;
}

const resourceName = (ref: ResourceRef): string => `${ref.plural}.${ref.group}`;

/** Every namespaced kind: the built-in ones and each Established namespaced custom resource. */
async function namespacedKinds(client: KubeClient): Promise<{ kinds: ResourceRef[]; error?: string }> {
  try {
    const { items } = await client.list(builtin.customresourcedefinitions);
    const custom = items.map(crdResources).filter((r): r is ResourceRef => r?.namespaced === true);
    return { kinds: [...BUILTIN_NAMESPACED, ...custom] };
  } catch (error) {
    return { kinds: [...BUILTIN_NAMESPACED], error: error instanceof Error ? error.message : String(error) };
  }
}

const listIn = async (client: KubeClient, ref: ResourceRef, namespace: string): Promise<KubeObject[]> =>
  client.list(ref, { namespace }).then(
    (r) => r.items,
    (error: unknown) => {
      if (error instanceof NotFoundError) return []; // a kind this server does not serve (any more)
      throw error;
    },
  );

/** Deletes every object in `namespace` not already being deleted, then counts what is left. */
export async function deleteContent(client: KubeClient, namespace: string): Promise<ContentOutcome> {
  const { kinds, error } = await namespacedKinds(client);
  const outcome: ContentOutcome = {
    ...(error === undefined ? {} : { discoveryError: error }),
    deleteErrors: [],
    remaining: new Map(),
    finalizers: new Map(),
  };
  for (const ref of kinds) {
    try {
      for (const obj of await listIn(client, ref, namespace)) {
        if (obj.metadata.deletionTimestamp !== undefined) continue;
        await client
          .delete(ref, obj.metadata.name ?? '', { namespace, propagationPolicy: 'Background' })
          .catch((e: unknown) => {
            if (!(e instanceof NotFoundError)) throw e;
          });
      }
      const left = await listIn(client, ref, namespace);
      if (left.length > 0) outcome.remaining.set(resourceName(ref), left.length);
      for (const obj of left)
        for (const f of obj.metadata.finalizers ?? [])
          outcome.finalizers.set(f, (outcome.finalizers.get(f) ?? 0) + 1);
    } catch (e) {
      outcome.deleteErrors.push(`${resourceName(ref)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return outcome;
}

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

const sorted = (m: Map<string, number>, word: string): string =>
  [...m.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${word} ${n} resource instances`)
    .join(', ');

function condition(
  type: string,
  bad: boolean,
  reasons: [string, string],
  messages: [string, string],
): NamespaceCondition {
  return {
    type,
    status: bad ? 'True' : 'False',
    reason: bad ? reasons[0] : reasons[1],
    message: bad ? messages[0] : messages[1],
  };
}

/** The five conditions, in the real controller's order; `status: 'False'` means all is well. */
export function deletionConditions(outcome: ContentOutcome): NamespaceCondition[] {
  return [
    condition(
      'NamespaceDeletionDiscoveryFailure',
      outcome.discoveryError !== undefined,
      ['DiscoveryFailed', 'ResourcesDiscovered'],
      [
        `Discovery failed for some groups: ${outcome.discoveryError ?? ''}`,
        'All resources successfully discovered',
      ],
    ),
    condition(
      'NamespaceDeletionGroupVersionParsingFailure',
      false,
      ['GroupVersionParsingFailed', 'ParsedGroupVersions'],
      ['', 'All legacy kube types successfully parsed'],
    ),
    condition(
      'NamespaceDeletionContentFailure',
      outcome.deleteErrors.length > 0,
      ['ContentDeletionFailed', 'ContentDeleted'],
      [
        `Failed to delete all resource types, ${outcome.deleteErrors.length} remaining: ${outcome.deleteErrors.join(', ')}`,
        'All content successfully deleted, may be waiting on finalization',
      ],
    ),
    condition(
      'NamespaceContentRemaining',
      outcome.remaining.size > 0,
      ['SomeResourcesRemain', 'ContentRemoved'],
      [
        `Some resources are remaining: ${sorted(outcome.remaining, 'has')}`,
        'All content successfully removed',
      ],
    ),
    condition(
      'NamespaceFinalizersRemaining',
      outcome.finalizers.size > 0,
      ['SomeFinalizersRemain', 'ContentHasNoFinalizers'],
      [
        `Some content in the namespace has finalizers remaining: ${sorted(outcome.finalizers, 'in')}`,
        'All content-preserving finalizers finished',
      ],
    ),
  ];
}

/** `PUT /api/v1/namespaces/{name}/finalize`, the only write that changes `spec.finalizers`. */
export async function finalizeNamespace(
  client: KubeClient,
  ns: KubeObject,
  finalizers: string[],
): Promise<void> {
  const spec = { ...(ns['spec'] as object | undefined), finalizers };
  await client
    .replace(builtin.namespaces, { ...ns, spec }, { subresource: 'finalize' })
    .catch((e: unknown) => {
      if (!(e instanceof NotFoundError)) throw e;
    });
}
