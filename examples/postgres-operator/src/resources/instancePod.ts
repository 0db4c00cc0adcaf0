/**
 * The instance Pod and its claim: one Postgres per pod, its data on a claim of the same name that
 * outlives the pod. Start with {@link instancePod}. Plain Pods, not a StatefulSet (as CloudNativePG
 * does): a StatefulSet restarts and removes pods by ordinal and knows nothing of which one is the
 * primary, while a Postgres cluster must choose which pod to touch by its role.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '@steward/core';
import { ANNOTATIONS, LABELS, names } from '../api/labels.js';
import type { PostgresClusterSpec } from '../api/postgresCluster.js';

export const PGDATA_MOUNT = '/var/lib/postgresql/data';
export const PGDATA = `${PGDATA_MOUNT}/pgdata`;
export const POSTGRES_PORT = 5432;

export interface InstancePodInput {
  cluster: string;
  namespace: string;
  serial: number;
  spec: PostgresClusterSpec;
  /** `initdb` for the cluster's first instance; `clone` for every other (from `source`). */
  bootstrap: { mode: 'initdb' } | { mode: 'clone'; source: string };
  /** The role label to start with; only the first instance starts as primary. */
  role: string;
}

/** `-c name=value` arguments for the postgres server, sorted so the hash is stable. */
export function serverArgs(parameters: Record<string, string> | undefined): string[] {
  return Object.entries(parameters ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

/**
 * What a rolling change compares: a pod whose hash differs from the spec's runs an older image,
 * parameters or resources, and is replaced (replicas first, the primary last).
 */
export function specHash(spec: PostgresClusterSpec): string {
  const parts = { image: imageOf(spec), args: serverArgs(spec.parameters), resources: spec.resources ?? {} };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

export const imageOf = (spec: PostgresClusterSpec): string => `postgres:${spec.version}`;

export function instancePod(input: InstancePodInput): KubeObject {
  const { cluster, namespace, serial, spec } = input;
  const name = names.instance(cluster, serial);
  const env: Record<string, string> = {
    PG_BOOTSTRAP: input.bootstrap.mode,
    PG_CLUSTER: cluster,
    PGDATA,
    ...(input.bootstrap.mode === 'clone' ? { PG_SOURCE: input.bootstrap.source } : {}),
  };
  const resources = spec.resources === undefined ? {} : { resources: spec.resources };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { [LABELS.cluster]: cluster, [LABELS.instance]: name, [LABELS.role]: input.role },
      annotations: { [ANNOTATIONS.specHash]: specHash(spec) },
    },
    spec: {
      hostname: name,
      // Two instances on one node die together: spread them when the scheduler can.
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              podAffinityTerm: {
                topologyKey: 'kubernetes.io/hostname',
                labelSelector: { matchLabels: { [LABELS.cluster]: cluster } },
              },
            },
          ],
        },
      },
      containers: [
        {
          name: 'postgres',
          image: imageOf(spec),
          args: serverArgs(spec.parameters),
          env: [
            ...Object.entries(env).map(([n, value]) => ({ name: n, value })),
            // The official image's initdb needs the superuser password; it comes from the Secret.
            {
              name: 'POSTGRES_PASSWORD',
              valueFrom: { secretKeyRef: { name: names.superuser(cluster), key: 'password' } },
            },
          ],
          ports: [{ name: 'postgres', containerPort: POSTGRES_PORT, protocol: 'TCP' }],
          // Ready = Postgres accepts connections: what the Services and the operator rely on.
          readinessProbe: {
            exec: { command: ['pg_isready', '-h', '127.0.0.1', '-p', String(POSTGRES_PORT)] },
            periodSeconds: 5,
            failureThreshold: 3,
          },
          volumeMounts: [{ name: 'pgdata', mountPath: PGDATA_MOUNT }],
          ...resources,
        },
      ],
      volumes: [{ name: 'pgdata', persistentVolumeClaim: { claimName: name } }],
      // Postgres finishes a fast shutdown (and a checkpoint) within this.
      terminationGracePeriodSeconds: 30,
    },
  };
}

/** The claim of instance `serial`: named like its pod, kept when the pod goes. */
export function instanceClaim(
  cluster: string,
  namespace: string,
  serial: number,
  spec: PostgresClusterSpec,
): KubeObject {
  const name = names.instance(cluster, serial);
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace, labels: { [LABELS.cluster]: cluster, [LABELS.instance]: name } },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: spec.storage.size } },
      ...(spec.storage.storageClassName === undefined
        ? {}
        : { storageClassName: spec.storage.storageClassName }),
    },
  };
}
