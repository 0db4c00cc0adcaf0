/**
 * The safety rules of a Postgres cluster as `@steward/testing` invariants, checked on every event the
 * perturbation runner observes: {@link onePrimaryLabel}, {@link rwSelectsOne} and
 * {@link noPrimaryRestarted}. Each names the pods that break it.
 */
import { builtin } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { invariant, never } from '@steward/testing';
import type { Invariant } from '@steward/testing';
import { clusterSelector, LABELS, names, ROLE_PRIMARY } from '../../src/api/labels.js';

const podNames = (pods: readonly KubeObject[]): string => pods.map((p) => p.metadata.name).join(', ');

/** At most one pod of `cluster` carries `role=primary` (a terminating one counts: it may still serve). */
export function onePrimaryLabel(namespace: string, cluster: string): Invariant {
  return never(
    'at most one pod labelled primary',
    (s) => {
      const primaries = s.list(builtin.pods, {
        namespace,
        labelSelector: `${clusterSelector(cluster)},${LABELS.role}=${ROLE_PRIMARY}`,
      });
      return primaries.length > 1 ? `pods labelled primary: ${podNames(primaries)}` : false;
    },
    { kinds: [builtin.pods] },
  );
}

/** The `-rw` Service selects at most one pod that is not terminating (as its Endpoints would). */
export function rwSelectsOne(namespace: string, cluster: string): Invariant {
  return invariant(
    '-rw selects at most one pod',
    (s) => {
      const svc = s.get(builtin.services, namespace, names.readWrite(cluster));
      if (svc === undefined) return undefined;
      const selector = (svc['spec'] as { selector?: Record<string, string> } | undefined)?.selector;
      if (selector === undefined) return `${names.readWrite(cluster)} has no selector: it selects nothing`;
      const selected = s
        .list(builtin.pods, { namespace, labelSelector: selector })
        .filter((p) => p.metadata.deletionTimestamp === undefined);
      return selected.length <= 1 || `${names.readWrite(cluster)} selects ${podNames(selected)}`;
    },
    { kinds: [builtin.pods, builtin.services] },
  );
}

/**
 * No pod is restarted while it is the primary. Pods restart here only by being deleted and created
 * again (the operator's rolling change, scale-down), so the rule is about deletions, with history:
 * per pod incarnation (uid), the moment its deletion *begins* — the first event showing a
 * `deletionTimestamp`, or the delete event itself for a pod removed without grace — is checked once,
 * and the pod must not carry `role=primary` then. A pod the operator fenced first (label moved to
 * `replica`) and then deleted is fine: that is how a primary is retired. A deletion that begins on a
 * fenced pod and is followed by more label changes is not re-checked.
 *
 * `userDeletes` lists pods the scenario itself deletes (a failover test kills the primary on
 * purpose): each name's first deletion is the user's, not the operator's, and is allowed.
 */
export function noPrimaryRestarted(
  namespace: string,
  cluster: string,
  userDeletes: readonly string[] = [],
): Invariant {
  return {
    name: 'no pod restarted while it is the primary',
    kinds: [builtin.pods],
    begin() {
      const checked = new Set<string>();
      const allowed = new Map<string, number>();
      for (const name of userDeletes) allowed.set(name, (allowed.get(name) ?? 0) + 1);
      return (_s, e) => {
        const pod = e.object;
        if (pod === undefined || e.ref?.plural !== 'pods' || pod.metadata.namespace !== namespace)
          return undefined;
        if (pod.metadata.labels?.[LABELS.cluster] !== cluster) return undefined;
        const deleting = e.type === 'delete' || pod.metadata.deletionTimestamp !== undefined;
        const id = pod.metadata.uid ?? `${pod.metadata.name ?? ''}@${pod.metadata.creationTimestamp ?? ''}`;
        if (!deleting || checked.has(id)) return undefined;
        checked.add(id);
        const name = pod.metadata.name ?? '';
        const left = allowed.get(name) ?? 0;
        if (left > 0) {
          allowed.set(name, left - 1);
          return undefined;
        }
        return pod.metadata.labels[LABELS.role] === ROLE_PRIMARY
          ? `${name} (uid ${id}) was deleted while labelled primary`
          : undefined;
      };
    },
  };
}
