/**
 * What the cluster controller sees before it decides: the cluster's pods and claims from the cache,
 * and each ready instance's own report (role, WAL position, upstream) through the admin. Start with
 * {@link observeCluster}.
 */
import { builtin } from '@steward/core';
import type { KubeObject, ReconcileContext } from '@steward/core';
import type { Credentials, Instance, PostgresAdmin } from '../admin/postgresAdmin.js';
import { ANNOTATIONS, clusterSelector, serialOf } from '../api/labels.js';
import type { PostgresClusterSpec } from '../api/postgresCluster.js';
import { POSTGRES_PORT, specHash } from '../resources/instancePod.js';
import type { ObservedInstance } from './planning.js';

/** How the operator reaches an instance's Postgres: by default the pod IP, port 5432. */
export type ResolveInstance = (pod: KubeObject) => Instance;

export const defaultResolveInstance: ResolveInstance = (pod) => {
  const status = pod['status'] as { podIP?: string } | undefined;
  return {
    namespace: pod.metadata.namespace ?? '',
    pod: pod.metadata.name ?? '',
    host: status?.podIP ?? `${pod.metadata.name ?? ''}.${pod.metadata.namespace ?? ''}`,
    port: POSTGRES_PORT,
  };
};

export interface Observed {
  instances: ObservedInstance[];
  pods: Map<string, KubeObject>;
  claims: Map<string, KubeObject>;
}

/** Pod Ready=True and not being deleted: a terminating Postgres is already refusing connections. */
export function isPodReady(pod: KubeObject | undefined): boolean {
  if (pod === undefined || pod.metadata.deletionTimestamp !== undefined) return false;
  const conditions = (pod['status'] as { conditions?: { type: string; status: string }[] } | undefined)
    ?.conditions;
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export async function observeCluster(
  ctx: ReconcileContext,
  spec: PostgresClusterSpec,
  admin: PostgresAdmin,
  resolve: ResolveInstance,
  credentials: Credentials,
): Promise<Observed> {
  const cluster = ctx.name;
  const opts = { namespace: ctx.namespace ?? '', labelSelector: clusterSelector(cluster) };
  const [podList, claimList] = await Promise.all([
    ctx.reader.list(builtin.pods, opts),
    ctx.reader.list(builtin.persistentvolumeclaims, opts),
  ]);
  const pods = new Map(podList.map((p) => [p.metadata.name ?? '', p]));
  const claims = new Map(claimList.map((c) => [c.metadata.name ?? '', c]));
  const wanted = specHash(spec);
  const names = new Set([...pods.keys(), ...claims.keys()].filter((n) => serialOf(cluster, n) !== undefined));
  const instances = await Promise.all(
    [...names].map(async (name): Promise<ObservedInstance> => {
      const pod = pods.get(name);
      const ready = isPodReady(pod);
      const base: ObservedInstance = {
        name,
        serial: serialOf(cluster, name) ?? 0,
        hasPod: pod !== undefined && pod.metadata.deletionTimestamp === undefined,
        ready,
        updated: pod?.metadata.annotations?.[ANNOTATIONS.specHash] === wanted,
      };
      if (!ready || pod === undefined) return base;
      try {
        return { ...base, db: await admin.status(resolve(pod), credentials) };
      } catch (error) {
        // An instance that does not answer is treated as unknown: never promoted, never followed.
        ctx.log.debug('instance status unavailable', { instance: name, error: String(error) });
        return base;
      }
    }),
  );
  instances.sort((a, b) => a.serial - b.serial);
  return { instances, pods, claims };
}
