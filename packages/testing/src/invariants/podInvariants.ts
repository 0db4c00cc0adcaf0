/**
 * Ready-made invariants about Pods, Services and PersistentVolumeClaims — the things a data-system
 * operator must never get wrong during a rollout or a failure: {@link atMostNotReady},
 * {@link serviceSelectsExactly} and {@link noClaimDeletedWhilePodExists}.
 */
import { builtin } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { invariant } from './invariant.js';
import type { Invariant, InvariantCheck } from './invariantTypes.js';
import { selectorMatcher, type LabelSelector } from './labelSelector.js';

interface Pod extends KubeObject {
  spec?: { volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[] };
  status?: { conditions?: { type: string; status: string }[] };
}
interface Service extends KubeObject {
  spec?: { selector?: Record<string, string> };
}

/** The Pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

const names = (pods: readonly KubeObject[]): string =>
  pods
    .map((p) => p.metadata.name ?? '')
    .sort()
    .join(', ');

const selectorText = (s: LabelSelector): string =>
  typeof s === 'string'
    ? s
    : Object.entries(s)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');

/**
 * Never more than `max` of the Pods matching `selector` in `namespace` not Ready (a Pod that does not
 * exist is not counted: pair it with a count check if a missing Pod matters).
 */
export function atMostNotReady(options: {
  namespace: string;
  selector: LabelSelector;
  max: number;
}): Invariant {
  const { namespace, selector, max } = options;
  return invariant(
    `atMostNotReady(${namespace}, ${selectorText(selector)}, ${max})`,
    (s) => {
      const notReady = s
        .list<Pod>(builtin.pods, { namespace, labelSelector: selector })
        .filter((p) => !isPodReady(p));
      if (notReady.length <= max) return undefined;
      return `${notReady.length} Pods matching ${selectorText(selector)} in ${namespace} are not Ready (${names(notReady)}); at most ${max} allowed`;
    },
    { kinds: [builtin.pods] },
  );
}

/**
 * Service `namespace/service` selects exactly `count` Pods, not counting Pods being deleted (their
 * endpoints are withdrawn); with `ready: true` only Ready Pods count. Holds while the Service does not
 * exist; a Service without a selector selects none.
 */
export function serviceSelectsExactly(options: {
  namespace: string;
  service: string;
  count: number;
  ready?: boolean;
}): Invariant {
  const { namespace, service, count } = options;
  return invariant(
    `serviceSelectsExactly(${namespace}/${service}, ${count})`,
    (s) => {
      const svc = s.get<Service>(builtin.services, namespace, service);
      if (!svc) return undefined;
      const selector = svc.spec?.selector;
      const matches = selector && Object.keys(selector).length > 0 ? selectorMatcher(selector) : () => false;
      const selected = s
        .list<Pod>(builtin.pods, { namespace })
        .filter((p) => matches(p.metadata.labels) && p.metadata.deletionTimestamp === undefined)
        .filter((p) => !options.ready || isPodReady(p));
      if (selected.length === count) return undefined;
      return `Service ${namespace}/${service} selects ${selected.length} ${options.ready ? 'Ready ' : ''}Pods (${names(selected) || 'none'}); expected exactly ${count}`;
    },
    { kinds: [builtin.pods, builtin.services] },
  );
}

/** A resourceVersion as a number to order events of different kinds; undefined when it is not one. */
function rvOf(o: KubeObject | undefined): bigint | undefined {
  const rv = o?.metadata.resourceVersion;
  if (rv === undefined || !/^\d+$/.test(rv)) return undefined;
  return BigInt(rv);
}

const claimsOf = (pod: Pod): string[] =>
  (pod.spec?.volumes ?? []).flatMap((v) =>
    v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : [],
  );

interface Suspect {
  pod: string;
  podUid: string;
  claim: string;
  deletedAt: bigint;
}

/**
 * No PersistentVolumeClaim in `namespace` is deleted while a Pod that mounts it exists. Events of Pods
 * and claims arrive on separate watches, so a claim's deletion can be seen before the deletion of its
 * Pod that happened earlier: the check remembers each deletion (with its resourceVersion) and decides
 * when the Pod's own deletion (or a later change of it) arrives, or at the final check.
 */
export function noClaimDeletedWhilePodExists(options: { namespace: string }): Invariant {
  const { namespace } = options;
  const name = `noClaimDeletedWhilePodExists(${namespace})`;
  return {
    name,
    kinds: [builtin.pods, builtin.persistentvolumeclaims],
    begin(): InvariantCheck {
      /** When each Pod (by uid) was first seen; 0 for Pods that existed when the watch began. */
      const seenAt = new Map<string, bigint>();
      const suspects: Suspect[] = [];
      const message = (s: Suspect, until: string): string =>
        `PersistentVolumeClaim ${namespace}/${s.claim} was deleted (resourceVersion ${s.deletedAt}) while Pod ${namespace}/${s.pod}, which mounts it, existed (${until})`;
      const settle = (podUid: string, decide: (s: Suspect) => string | undefined): string[] => {
        const found: string[] = [];
        for (let i = suspects.length - 1; i >= 0; i--) {
          const s = suspects[i];
          if (s?.podUid !== podUid) continue;
          const verdict = decide(s);
          suspects.splice(i, 1);
          if (verdict !== undefined) found.push(verdict);
        }
        return found;
      };
      return (snap, event) => {
        const pods = (): Pod[] => snap.list<Pod>(builtin.pods, { namespace });
        if (event.type === 'sync') {
          for (const p of pods()) seenAt.set(p.metadata.uid ?? '', 0n);
          return undefined;
        }
        if (event.type === 'final') {
          const alive = new Set(pods().map((p) => p.metadata.uid ?? ''));
          const found = suspects
            .filter((s) => alive.has(s.podUid))
            .map((s) => message(s, 'and still exists'));
          suspects.length = 0;
          return found;
        }
        const obj = event.object;
        if (!obj || obj.metadata.namespace !== namespace) return undefined;
        const rv = rvOf(obj);
        if (event.ref?.plural === 'pods') {
          const uid = obj.metadata.uid ?? '';
          if (event.type === 'add') seenAt.set(uid, rv ?? 0n);
          if (event.type === 'delete') seenAt.delete(uid);
          return settle(uid, (s) => {
            if (rv !== undefined && rv < s.deletedAt) return undefined; // the Pod went first; its event was late
            return message(
              s,
              event.type === 'delete'
                ? `until resourceVersion ${rv ?? '?'}`
                : `at resourceVersion ${rv ?? '?'}`,
            );
          });
        }
        if (event.ref?.plural !== 'persistentvolumeclaims' || event.type !== 'delete') return undefined;
        const claim = obj.metadata.name ?? '';
        const found: string[] = [];
        for (const pod of pods()) {
          if (!claimsOf(pod).includes(claim)) continue;
          const uid = pod.metadata.uid ?? '';
          const first = seenAt.get(uid) ?? 0n;
          const suspect = { pod: pod.metadata.name ?? '', podUid: uid, claim, deletedAt: rv ?? 0n };
          if (rv === undefined) found.push(message(suspect, 'resourceVersions cannot be ordered'));
          else if (first < rv) suspects.push(suspect);
        }
        return found;
      };
    },
  };
}
