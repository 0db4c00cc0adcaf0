/**
 * The end-to-end harness: an embedded API server with the cluster simulation, a simulated Postgres in
 * every instance pod, and the operator running in-process. Start with {@link startPostgresEnv}.
 */
import 'reflect-metadata';
import { builtin, resourceRefOf } from '@steward/core';
import type { KubeObject } from '@steward/core';
import {
  invariant,
  never,
  runManager,
  selectorMatcher,
  startTestEnv,
  waitFor,
  watchInvariants,
} from '@steward/testing';
import type { InvariantWatch, RunningManager, TestEnv } from '@steward/testing';
import { simulatedPostgres } from '../../src/admin/simulatedPostgres.js';
import type { SimulatedPostgres } from '../../src/admin/simulatedPostgres.js';
import type { PostgresAdmin } from '../../src/admin/postgresAdmin.js';
import { ANNOTATIONS, clusterSelector, LABELS, names } from '../../src/api/labels.js';
import { PostgresCluster } from '../../src/api/postgresCluster.js';
import type { PostgresClusterSpec } from '../../src/api/postgresCluster.js';
import { PostgresDatabase } from '../../src/api/postgresDatabase.js';
import { postgresOperator } from '../../src/operator.js';

export const clusters = resourceRefOf(PostgresCluster);
export const databases = resourceRefOf(PostgresDatabase);
export type ClusterObject = PostgresCluster & KubeObject;

export interface PostgresEnv {
  env: TestEnv;
  sim: SimulatedPostgres;
  operator: RunningManager;
  namespace: string;
  create(name: string, spec: Partial<PostgresClusterSpec>): Promise<ClusterObject>;
  get(name: string): Promise<ClusterObject>;
  patchSpec(name: string, spec: Partial<PostgresClusterSpec>): Promise<void>;
  annotate(name: string, annotations: Record<string, string | null>): Promise<void>;
  pods(name: string): Promise<KubeObject[]>;
  /** The pods the Service selects (not being deleted), by name. */
  selectedBy(service: string): Promise<string[]>;
  /** Waits until the cluster is Healthy with `instances` ready and every replica streaming. */
  healthy(name: string, instances: number): Promise<ClusterObject>;
  /** Polls until `probe` gives a truthy value (20 s), showing the operator's last log lines if not. */
  until<T>(probe: () => Promise<T> | T, description: string): Promise<NonNullable<T>>;
  /** At most one pod labelled primary and `-rw` selecting at most one pod, on every event. */
  watchPrimaries(name: string): Promise<InvariantWatch>;
  stop(): Promise<void>;
}

export async function startPostgresEnv(
  options: {
    failoverDelaySeconds?: number;
    switchoverTimeoutSeconds?: number;
    /** Stands between the operator and the simulation (say, to refuse what `pgAdmin()` cannot do). */
    wrapAdmin?: (admin: PostgresAdmin) => PostgresAdmin;
  } = {},
): Promise<PostgresEnv> {
  const env = await startTestEnv({
    crds: [PostgresCluster, PostgresDatabase],
    simulate: true,
    namespace: true,
  });
  const { namespace } = env;
  const kubelet = env.simulation?.kubelet;
  if (kubelet === undefined) throw new Error('the test environment runs no kubelet simulation');
  const sim = simulatedPostgres({
    selector: {
      namespace,
      labelSelector: { matchExpressions: [{ key: LABELS.cluster, operator: 'Exists' }] },
    },
  });
  kubelet.attach(sim.dataPlane);
  const admin = options.wrapAdmin?.(sim.admin) ?? sim.admin;
  const operator = await runManager(env, (m) =>
    postgresOperator({
      admin,
      failoverDelaySeconds: options.failoverDelaySeconds ?? 0,
      ...(options.switchoverTimeoutSeconds === undefined
        ? {}
        : { switchoverTimeoutSeconds: options.switchoverTimeoutSeconds }),
    }).setup(m),
  );
  const inNs = { namespace };
  const get = (name: string) => env.client.get<ClusterObject>(clusters, name, inNs);
  // waitFor resolves only with a truthy value, hence NonNullable.
  const until = <T>(probe: () => Promise<T> | T, description: string): Promise<NonNullable<T>> =>
    waitFor<NonNullable<T>>(probe as () => Promise<NonNullable<T>>, {
      description,
      timeout: 20_000,
      state: () => operator.formatLogs().split('\n').slice(-30).join('\n'),
    });
  const pods = async (name: string) =>
    (await env.client.list(builtin.pods, { namespace, labelSelector: clusterSelector(name) })).items;

  return {
    env,
    sim,
    operator,
    namespace,
    create: (name, spec) =>
      env.client.create(clusters, {
        metadata: { name, namespace },
        spec: { version: '16', storage: { size: '1Gi' }, ...spec },
      }) as Promise<ClusterObject>,
    get,
    patchSpec: async (name, spec) => void (await env.client.patch(clusters, name, { spec }, inNs)),
    annotate: async (name, annotations) =>
      void (await env.client.patch(clusters, name, { metadata: { annotations } }, inNs)),
    pods,
    async selectedBy(service) {
      const svc = await env.client.get(builtin.services, service, inNs);
      const selects = selectorMatcher((svc['spec'] as { selector: Record<string, string> }).selector);
      const all = (await env.client.list(builtin.pods, inNs)).items;
      return all
        .filter((p) => p.metadata.deletionTimestamp === undefined && selects(p.metadata.labels ?? {}))
        .map((p) => p.metadata.name ?? '');
    },
    healthy: (name, instances) =>
      until(async () => {
        const c = await get(name);
        const s = c.status;
        const ok =
          s?.phase === 'Healthy' &&
          s.readyInstances === instances &&
          s.instances?.length === instances &&
          s.observedGeneration === c.metadata.generation &&
          s.instances.every((i) =>
            i.role === 'primary' ? i.name === s.currentPrimary : i.streamingFrom === s.currentPrimary,
          );
        return ok ? c : undefined;
      }, `${name} Healthy with ${instances} instances streaming`),
    until,
    watchPrimaries: (name) =>
      watchInvariants(env.client, {
        namespace,
        invariants: [
          never(
            'at most one pod labelled primary',
            (s) => {
              const primaries = s.list(builtin.pods, {
                namespace,
                labelSelector: `${clusterSelector(name)},${LABELS.role}=primary`,
              });
              return primaries.length > 1
                ? `primaries: ${primaries.map((p) => p.metadata.name).join(', ')}`
                : false;
            },
            { kinds: [builtin.pods] },
          ),
          invariant(
            '-rw selects at most one pod',
            (s) => {
              const svc = s.get(builtin.services, namespace, names.readWrite(name));
              if (svc === undefined) return undefined;
              const selector = (svc['spec'] as { selector: Record<string, string> }).selector;
              const selected = s
                .list(builtin.pods, { namespace, labelSelector: selector })
                .filter((p) => p.metadata.deletionTimestamp === undefined);
              return selected.length <= 1 || `-rw selects ${selected.map((p) => p.metadata.name).join(', ')}`;
            },
            { kinds: [builtin.pods, builtin.services] },
          ),
        ],
      }),
    stop: () => env.stop(),
  };
}

export { ANNOTATIONS, LABELS, names };

/** For `sort`: names in text order. */
export const byText = (a: string | undefined, b: string | undefined): number =>
  (a ?? '').localeCompare(b ?? '');
