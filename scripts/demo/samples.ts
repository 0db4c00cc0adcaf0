/**
 * The examples' sample resources as the demo applies them: read from `examples/*\/samples/*.yaml`,
 * placed in the demo's namespace, with the few changes the demo needs said out loud. Start with
 * {@link demoSamples}.
 */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '@steward/core';

export interface DemoSample {
  system: 'postgres' | 'cassandra' | 'kafka';
  file: string;
  objects: KubeObject[];
  /** What the demo changed in the sample and why; empty when applied as written. */
  changes: string[];
}

const root = new URL('../../', import.meta.url);

/** Every document of a YAML file, as objects. */
export async function readSample(file: string): Promise<KubeObject[]> {
  const docs = parseAllDocuments(await readFile(new URL(file, root), 'utf8'));
  return docs.map((d) => d.toJS() as KubeObject).filter((o) => o !== null && typeof o === 'object');
}

export async function demoSamples(namespace: string): Promise<DemoSample[]> {
  const load = async (system: DemoSample['system'], file: string): Promise<DemoSample> => ({
    system,
    file,
    objects: (await readSample(file)).map((o) => ({ ...o, metadata: { ...o.metadata, namespace } })),
    changes: [],
  });
  const pg = await load('postgres', 'examples/postgres-operator/samples/cluster.yaml');
  const cassandra = await load('cassandra', 'examples/cassandra-operator/samples/dc1.yaml');
  const kafka = await load('kafka', 'examples/kafka-operator/samples/cluster.yaml');

  const pgCluster = only(pg, 'PostgresCluster');
  const pgSpec = specOf(pgCluster);
  if (pgSpec['failoverDelaySeconds'] !== 2) {
    pg.changes.push(
      `failoverDelaySeconds ${String(pgSpec['failoverDelaySeconds'])} → 2, so the failover is quick`,
    );
    pgSpec['failoverDelaySeconds'] = 2;
  }

  // Leaving one broker must keep every topic's replicas: the sample's topic has 3 replicas and the
  // cluster 3 brokers, so the demo starts with one more broker and scales back to the sample's size.
  const brokers = specOf(only(kafka, 'KafkaCluster'))['brokers'] as { replicas: number };
  kafka.changes.push(
    `brokers.replicas ${brokers.replicas} → ${brokers.replicas + 1}, so one can leave while topic orders keeps 3 replicas`,
  );
  brokers.replicas += 1;
  return [pg, cassandra, kafka];
}

/** The sample's one object of `kind`. */
export function only(sample: DemoSample, kind: string): KubeObject {
  const found = sample.objects.find((o) => o.kind === kind);
  if (found === undefined) throw new Error(`${sample.file} has no ${kind}: the demo needs one`);
  return found;
}

export function specOf(object: KubeObject): Record<string, unknown> {
  return (object as { spec?: Record<string, unknown> }).spec ?? {};
}
