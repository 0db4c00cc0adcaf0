/**
 * How the simulated Postgres reads a pod: which pods it runs in, the claim holding the pod's data and
 * the bootstrap environment of the pod bootstrap convention. Start with {@link podEntry}.
 */
import type { KubeObject } from '@steward/core';
import { LABELS } from '../api/labels.js';

/** The label selector forms the kubelet simulation accepts (string or `metav1.LabelSelector`). */
export type PodSelector = {
  namespace?: string;
  labelSelector?:
    | string
    | {
        matchLabels?: Record<string, string>;
        matchExpressions?: { key: string; operator: string; values?: string[] }[];
      };
};

/** What the simulation remembers of a pod: where its data is and how it boots. */
export interface PodEntry {
  namespace: string;
  pod: string;
  claim: string;
  running: boolean;
  bootstrap: { mode?: string; source?: string; cluster: string };
  bootstrapError?: string;
  /** `POSTGRES_PASSWORD`, as the official image's initdb reads it: a value or a Secret's key. */
  password?: { value: string } | { secret: string; key: string };
}

export const DEFAULT_SELECTOR: PodSelector = {
  labelSelector: { matchExpressions: [{ key: LABELS.cluster, operator: 'Exists' }] },
};

/** The pod's view of itself: its claim and its bootstrap environment (the convention's env vars). */
export function podEntry(pod: KubeObject): PodEntry {
  const spec = pod['spec'] as
    | {
        volumes?: { persistentVolumeClaim?: { claimName?: string } }[];
        containers?: { name: string; env?: EnvVar[] }[];
      }
    | undefined;
  const name = pod.metadata.name ?? '';
  const claim = spec?.volumes?.find((v) => v.persistentVolumeClaim?.claimName !== undefined)
    ?.persistentVolumeClaim?.claimName;
  const container = spec?.containers?.find((c) => c.name === 'postgres') ?? spec?.containers?.[0];
  const vars = new Map((container?.env ?? []).map((e) => [e.name, e]));
  const env = new Map([...vars].map(([k, e]) => [k, e.value]));
  const bootstrap: PodEntry['bootstrap'] = {
    cluster: env.get('PG_CLUSTER') ?? pod.metadata.labels?.[LABELS.cluster] ?? name,
  };
  const mode = env.get('PG_BOOTSTRAP');
  const source = env.get('PG_SOURCE');
  if (mode !== undefined) bootstrap.mode = mode;
  if (source !== undefined) bootstrap.source = source;
  const entry: PodEntry = {
    namespace: pod.metadata.namespace ?? '',
    pod: name,
    claim: claim ?? `pod:${name}`,
    running: true,
    bootstrap,
  };
  const password = vars.get('POSTGRES_PASSWORD');
  const ref = password?.valueFrom?.secretKeyRef;
  if (password?.value !== undefined) entry.password = { value: password.value };
  else if (ref?.name !== undefined && ref.key !== undefined)
    entry.password = { secret: ref.name, key: ref.key };
  return entry;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name?: string; key?: string } };
}
