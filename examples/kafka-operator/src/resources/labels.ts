/**
 * The names, labels and annotations the operator puts on what it creates, per the pod convention
 * (Strimzi-style, KRaft): `<cluster>-controller-<id>` and `<cluster>-broker-<id>`. Start with
 * {@link LABELS}; {@link nodeIds} says which node ids a spec asks for.
 */
import type { KubeObject } from '@steward/core';

export const LABELS = {
  cluster: 'kafka.steward.dev/cluster',
  role: 'kafka.steward.dev/role',
  nodeId: 'kafka.steward.dev/node-id',
  name: 'app.kubernetes.io/name',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

export const ANNOTATIONS = {
  /** Hash of what a restart changes (version, static settings, rack): a pod with another one is rolled. */
  revision: 'kafka.steward.dev/revision',
  /** The Kafka version the pod runs. */
  version: 'kafka.steward.dev/version',
  /** Hash of the dynamic broker settings last applied to this broker through the Admin API. */
  dynamicConfig: 'kafka.steward.dev/dynamic-config',
} as const;

export type Role = 'controller' | 'broker';

/**
 * Controllers are nodes 0..n-1, brokers 100.. . Separate ranges keep a broker id from ever
 * meaning a controller, and make the role readable from the id in Kafka's own logs.
 */
export const FIRST_BROKER_ID = 100;

export const names = {
  pod: (cluster: string, role: Role, id: number): string => `${cluster}-${role}-${id}`,
  claim: (cluster: string, role: Role, id: number): string => `data-${cluster}-${role}-${id}`,
  bootstrap: (cluster: string): string => `${cluster}-kafka-bootstrap`,
  nodes: (cluster: string): string => `${cluster}-kafka-nodes`,
  config: (cluster: string): string => `${cluster}-kafka-config`,
  pdb: (cluster: string, role: Role): string => `${cluster}-kafka-${role}s`,
};

/** The node ids a spec asks for, per role. */
export function nodeIds(role: Role, replicas: number): number[] {
  const first = role === 'controller' ? 0 : FIRST_BROKER_ID;
  return Array.from({ length: replicas }, (_, i) => first + i);
}

/** The labels every object of one cluster carries; `role` and `id` narrow them to one node. */
export function clusterLabels(cluster: string, role?: Role, id?: number): Record<string, string> {
  return {
    [LABELS.name]: 'kafka',
    [LABELS.managedBy]: 'kafka-operator',
    [LABELS.cluster]: cluster,
    ...(role === undefined ? {} : { [LABELS.role]: role }),
    ...(id === undefined ? {} : { [LABELS.nodeId]: String(id) }),
  };
}

/** A selector string for one cluster's pods, optionally one role. */
export function podSelector(cluster: string, role?: Role): string {
  return role === undefined
    ? `${LABELS.cluster}=${cluster}`
    : `${LABELS.cluster}=${cluster},${LABELS.role}=${role}`;
}

/** The role and node id a pod's labels say, if it is one of ours. */
export function nodeOf(pod: KubeObject): { role: Role; id: number } | undefined {
  const labels = pod.metadata.labels ?? {};
  const role = labels[LABELS.role];
  const id = Number(labels[LABELS.nodeId]);
  if ((role !== 'controller' && role !== 'broker') || !Number.isInteger(id)) return undefined;
  return { role, id };
}
