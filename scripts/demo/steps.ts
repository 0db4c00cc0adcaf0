/**
 * The demo's steps: per system, apply its sample and wait until it is Ready, then one day-2
 * operation and wait until it converged. Each wait is bounded; a step's result says what happened or
 * what it was still waiting for. Start with {@link bootstrapSteps} and {@link dayTwoSteps}; {@link runStep}
 * times one.
 */
import { builtin, isConditionTrue, resourceRefOf } from '@steward/core';
import type { Condition, KubeObject, ResourceRef } from '@steward/core';
import { waitFor } from '@steward/testing';
import { PostgresCluster } from '../../examples/postgres-operator/src/api/postgresCluster.js';
import { PostgresDatabase } from '../../examples/postgres-operator/src/api/postgresDatabase.js';
import { CassandraDatacenter } from '../../examples/cassandra-operator/src/api/cassandraDatacenter.js';
import { KafkaCluster } from '../../examples/kafka-operator/src/api/kafkaCluster.js';
import { KafkaTopic } from '../../examples/kafka-operator/src/api/kafkaTopic.js';
import { DEMO_NAMESPACE } from './demoEnv.js';
import type { DemoEnv } from './demoEnv.js';
import { only, specOf } from './samples.js';
import type { DemoSample } from './samples.js';

export interface Step {
  system: string;
  step: string;
  /** Does the work and waits; returns a one-line account of what happened. */
  run(): Promise<string>;
}

export interface StepResult {
  system: string;
  step: string;
  ok: boolean;
  seconds: number;
  detail: string;
}

/** Bounds of the waits: the whole demo must end in about two minutes even when something hangs. */
const BOOT_TIMEOUT_MS = 60_000;
const DAY_TWO_TIMEOUT_MS = 45_000;

const REFS: Record<string, ResourceRef> = Object.fromEntries(
  [PostgresCluster, PostgresDatabase, CassandraDatacenter, KafkaCluster, KafkaTopic].map((c) => {
    const ref = resourceRefOf(c);
    return [ref.kind, ref];
  }),
);
const ns = { namespace: DEMO_NAMESPACE };

interface Resource extends KubeObject {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown> & { conditions?: Condition[]; observedGeneration?: number };
}

export async function runStep(step: Step, view: { log(line: string): void }): Promise<StepResult> {
  const t0 = performance.now();
  view.log(`▶ ${step.system}: ${step.step}`);
  let result: StepResult;
  try {
    const detail = await step.run();
    result = { ...step, ok: true, seconds: (performance.now() - t0) / 1000, detail };
    view.log(`✓ ${step.system}: ${step.step} (${result.seconds.toFixed(1)} s) — ${detail}`);
  } catch (error) {
    const detail = (error instanceof Error ? error.message : String(error)).split('\n').slice(0, 6).join(' ');
    result = { ...step, ok: false, seconds: (performance.now() - t0) / 1000, detail };
    view.log(`✗ ${step.system}: ${step.step} — ${detail}`);
  }
  return {
    system: result.system,
    step: result.step,
    ok: result.ok,
    seconds: result.seconds,
    detail: result.detail,
  };
}

export function bootstrapSteps(demo: DemoEnv, samples: DemoSample[]): Step[] {
  const client = demo.env.client;
  const get = (kind: string, name: string) => client.get<Resource>(refOf(kind), name, ns);
  const apply = async (sample: DemoSample) => {
    for (const o of sample.objects) await client.create(refOf(o.kind ?? ''), o, ns);
  };
  return samples.map((sample): Step => {
    switch (sample.system) {
      case 'postgres': {
        const name = only(sample, 'PostgresCluster').metadata.name ?? '';
        const db = only(sample, 'PostgresDatabase').metadata.name ?? '';
        const instances = Number(specOf(only(sample, 'PostgresCluster'))['instances'] ?? 1);
        return {
          system: 'postgres',
          step: `bootstrap ${name}: ${instances} instances, database ${db}`,
          async run() {
            await apply(sample);
            const c = await until(
              () => pgHealthy(get('PostgresCluster', name), instances),
              `${name} Healthy`,
            );
            await until(async () => ready(await get('PostgresDatabase', db)), `PostgresDatabase ${db} Ready`);
            return `primary ${String(c.status?.['currentPrimary'])}, ${instances - 1} replicas streaming, database ${db} created`;
          },
        };
      }
      case 'cassandra': {
        const name = only(sample, 'CassandraDatacenter').metadata.name ?? '';
        const size = Number(specOf(only(sample, 'CassandraDatacenter'))['size']);
        return {
          system: 'cassandra',
          step: `bootstrap ${name}: ${size} nodes, one joining at a time`,
          async run() {
            await apply(sample);
            await until(async () => {
              const dc = await get('CassandraDatacenter', name);
              return ready(dc) && dc.status?.['readyNodes'] === size;
            }, `${name} Ready with ${size} nodes`);
            const up = demo.ring.ring(DEMO_NAMESPACE).filter((m) => m.state === 'UN').length;
            return `${up} nodes UN in the ring, seeds one per rack`;
          },
        };
      }
      case 'kafka': {
        const name = only(sample, 'KafkaCluster').metadata.name ?? '';
        const spec = specOf(only(sample, 'KafkaCluster'));
        const brokers = (spec['brokers'] as { replicas: number }).replicas;
        const topics = sample.objects
          .filter((o) => o.kind === 'KafkaTopic')
          .map((o) => o.metadata.name ?? '');
        return {
          system: 'kafka',
          step: `bootstrap ${name}: KRaft quorum, ${brokers} brokers, topic ${topics.join(', ')}`,
          async run() {
            // The topics once every broker is up, so their replicas spread over all of them (the
            // leaving broker then holds some, and the scale-down has partitions to move).
            await apply({ ...sample, objects: sample.objects.filter((o) => o.kind !== 'KafkaTopic') });
            const c = await until(async () => {
              const kc = await get('KafkaCluster', name);
              return ready(kc) && kc.status?.['readyBrokers'] === brokers ? kc : undefined;
            }, `${name} Ready with ${brokers} brokers`);
            await apply({ ...sample, objects: sample.objects.filter((o) => o.kind === 'KafkaTopic') });
            for (const t of topics)
              await until(async () => ready(await get('KafkaTopic', t)), `KafkaTopic ${t} Ready`);
            return `brokers [${(c.status?.['brokerIds'] as number[] | undefined)?.join(', ') ?? ''}], active controller ${String(c.status?.['activeController'])}`;
          },
        };
      }
    }
    throw new Error(`the demo has no steps for system ${sample.system satisfies never as string}`);
  });
}

export function dayTwoSteps(demo: DemoEnv, samples: DemoSample[]): Step[] {
  const client = demo.env.client;
  const get = (kind: string, name: string) => client.get<Resource>(refOf(kind), name, ns);
  const patchSpec = (kind: string, name: string, spec: Record<string, unknown>) =>
    client.patch(refOf(kind), name, { spec }, ns);
  return samples.map((sample): Step => {
    switch (sample.system) {
      case 'postgres': {
        const name = only(sample, 'PostgresCluster').metadata.name ?? '';
        const instances = Number(specOf(only(sample, 'PostgresCluster'))['instances'] ?? 1);
        return {
          system: 'postgres',
          step: `failover: delete the primary pod of ${name}`,
          async run() {
            const before = String((await get('PostgresCluster', name)).status?.['currentPrimary']);
            await client.delete(builtin.pods, before, ns);
            const c = await until(
              async () => {
                const now = await pgHealthy(get('PostgresCluster', name), instances);
                return now !== undefined && now.status?.['currentPrimary'] !== before ? now : undefined;
              },
              `${name}: a replica promoted in place of ${before}, all ${instances} streaming`,
              { timeout: DAY_TWO_TIMEOUT_MS, state: () => conditionsOf(get('PostgresCluster', name)) },
            );
            return `${String(c.status?.['currentPrimary'])} promoted (was ${before}); ${before} back as a replica`;
          },
        };
      }
      case 'cassandra': {
        const name = only(sample, 'CassandraDatacenter').metadata.name ?? '';
        const size = Number(specOf(only(sample, 'CassandraDatacenter'))['size']);
        return {
          system: 'cassandra',
          step: `scale-down ${name}: size ${size} → ${size - 1}`,
          async run() {
            const podsBefore = await podNames(demo, `cassandra.steward.dev/datacenter=${name}`);
            await patchSpec('CassandraDatacenter', name, { size: size - 1 });
            await until(
              async () => {
                const dc = await get('CassandraDatacenter', name);
                const pods = await podNames(demo, `cassandra.steward.dev/datacenter=${name}`);
                const claims = (await client.list(builtin.persistentvolumeclaims, ns)).items.filter((c) =>
                  (c.metadata.name ?? '').startsWith(`server-data-${name}-`),
                );
                const up = demo.ring.ring(DEMO_NAMESPACE).filter((m) => m.state === 'UN').length;
                return (
                  ready(dc) &&
                  dc.status?.['readyNodes'] === size - 1 &&
                  pods.length === size - 1 &&
                  claims.length === size - 1 &&
                  up === size - 1
                );
              },
              `${name} Ready with ${size - 1} nodes, the leaving node's pod and claim gone`,
              { timeout: DAY_TWO_TIMEOUT_MS, state: () => conditionsOf(get('CassandraDatacenter', name)) },
            );
            const after = new Set(await podNames(demo, `cassandra.steward.dev/datacenter=${name}`));
            const left = podsBefore.filter((p) => !after.has(p)).join(', ');
            return `${left} decommissioned (streamed out, LEFT the ring), then its pod and claim removed`;
          },
        };
      }
      case 'kafka': {
        const name = only(sample, 'KafkaCluster').metadata.name ?? '';
        const brokers = (specOf(only(sample, 'KafkaCluster'))['brokers'] as { replicas: number }).replicas;
        return {
          system: 'kafka',
          step: `scale-down ${name}: brokers ${brokers} → ${brokers - 1}, partitions moved first`,
          async run() {
            const ids =
              ((await get('KafkaCluster', name)).status?.['brokerIds'] as number[] | undefined) ?? [];
            const leaving = Math.max(...ids);
            const held = demo.kafka
              .topics({ namespace: DEMO_NAMESPACE, cluster: name })
              .flatMap((t) => t.partitions)
              .filter((p) => p.replicas.includes(leaving)).length;
            await patchSpec('KafkaCluster', name, { brokers: { replicas: brokers - 1 } });
            await until(
              async () => {
                const kc = await get('KafkaCluster', name);
                const registered = demo.kafka
                  .nodes({ namespace: DEMO_NAMESPACE, cluster: name })
                  .some((n) => n.id === leaving && n.registered);
                return ready(kc) && kc.status?.['readyBrokers'] === brokers - 1 && !registered;
              },
              `${name} Ready with ${brokers - 1} brokers, broker ${leaving} unregistered`,
              { timeout: DAY_TWO_TIMEOUT_MS, state: () => conditionsOf(get('KafkaCluster', name)) },
            );
            const unregistered = demo.kafka
              .history()
              .find(
                (e) =>
                  e.type === 'unregistered' &&
                  e.node === leaving &&
                  e.cluster === `${DEMO_NAMESPACE}/${name}`,
              );
            const still = unregistered?.heldReplicas ?? 0;
            if (still > 0)
              throw new Error(`broker ${leaving} was unregistered still holding ${still} partition replicas`);
            const under = demo.kafka.underMinIsr({ namespace: DEMO_NAMESPACE, cluster: name });
            if (under.length > 0)
              throw new Error(`${under.length} partitions below min.insync.replicas after the scale-down`);
            return `${held} partition replicas moved off broker ${leaving}, then its pod deleted and the broker unregistered`;
          },
        };
      }
    }
    throw new Error(`the demo has no steps for system ${sample.system satisfies never as string}`);
  });
}

/** The cluster when Healthy with `instances` ready and every replica streaming from the primary. */
async function pgHealthy(read: Promise<Resource>, instances: number): Promise<Resource | undefined> {
  const c = await read;
  const s = c.status;
  const members =
    (s?.['instances'] as { name: string; role?: string; streamingFrom?: string }[] | undefined) ?? [];
  const primary = s?.['currentPrimary'];
  const ok =
    s?.['phase'] === 'Healthy' &&
    s['readyInstances'] === instances &&
    members.length === instances &&
    s.observedGeneration === c.metadata.generation &&
    members.every((i) => (i.role === 'primary' ? i.name === primary : i.streamingFrom === primary));
  return ok ? c : undefined;
}

/** Ready=True for the current generation. */
function ready(o: Resource): boolean {
  const observed = o.status?.observedGeneration;
  return (
    (observed === undefined || observed === o.metadata.generation) &&
    isConditionTrue(o.status?.conditions, 'Ready')
  );
}

async function podNames(demo: DemoEnv, labelSelector: string): Promise<string[]> {
  const pods = await demo.env.client.list(builtin.pods, { ...ns, labelSelector });
  return pods.items
    .filter((p) => p.metadata.deletionTimestamp === undefined)
    .map((p) => p.metadata.name ?? '');
}

function refOf(kind: string): ResourceRef {
  const ref = REFS[kind];
  if (ref === undefined) throw new Error(`the demo knows no resource of kind ${kind}`);
  return ref;
}

/** Polls `probe` until truthy, within the step's bound; the error names what it waited for. */
function until<T>(
  probe: () => Promise<T> | T,
  description: string,
  options: { timeout?: number; state?: () => unknown } = {},
): Promise<NonNullable<T>> {
  const { timeout = BOOT_TIMEOUT_MS, state } = options;
  return waitFor(probe, { description, timeout, interval: 100, ...(state ? { state } : {}) });
}

/** What a failed wait shows: the resource's conditions, with their reasons and messages. */
async function conditionsOf(read: Promise<Resource>): Promise<string> {
  const conditions = (await read).status?.conditions ?? [];
  return conditions.map((c) => `${c.type}=${c.status} ${c.reason ?? ''}: ${c.message ?? ''}`).join('; ');
}
