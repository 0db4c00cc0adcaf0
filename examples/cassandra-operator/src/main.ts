/**
 * The Cassandra operator's entry point on a real cluster: a manager (leader election when
 * `POD_NAMESPACE` is set, as in the Deployment `steward manifests` writes), each pod's Management API
 * reached over HTTP with `managementApiAdmin()`, and the datacenter controller. Start with
 * {@link main}. `operator` is exported for the CLI, which finds it among this module's exports.
 */
import 'reflect-metadata';
import { builtin, kubeClient, loadKubeConfig, manager, managerOptionsFromEnv } from '@steward/core';
import { managementApiAdmin } from './admin/managementApiAdmin.js';
import type { Node } from './admin/cassandraAdmin.js';
import { cassandraOperator } from './operator.js';

const env = (key: string): string | undefined => process.env[key];
const UNITS: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** Bytes of a Kubernetes quantity such as `10Gi` (the units claims use). */
export function quantityBytes(quantity: string): number {
  const match = /^([0-9.]+)([KMGT]i?)?$/.exec(quantity);
  if (match === null) return Number.NaN;
  return Number(match[1]) * (match[2] === undefined ? 1 : (UNITS[match[2]] ?? Number.NaN));
}

/**
 * The Management API reports a node's load but not its disk: the capacity of its data claim (as
 * cass-operator reads it) tells how much it can take when another node leaves.
 */
async function volumeCapacity(node: Node): Promise<number> {
  const client = kubeClient(loadKubeConfig());
  try {
    const claim = await client.get(builtin.persistentvolumeclaims, `server-data-${node.pod}`, {
      namespace: node.namespace,
    });
    const capacity = (claim['status'] as { capacity?: { storage?: string } } | undefined)?.capacity?.storage;
    return quantityBytes(capacity ?? '0');
  } finally {
    client.close();
  }
}

export const operator = cassandraOperator({
  admin: managementApiAdmin({ volumeCapacity }),
  pollIntervalMs: Number(env('RING_POLL_MS') ?? 2000),
});

export async function main(): Promise<void> {
  // Leader election, probe and metrics ports, watched namespace: from the Deployment's environment.
  const m = manager(managerOptionsFromEnv(operator.name));
  await operator.setup(m);
  await m.run(); // until SIGTERM: running reconciles finish, the lease is released
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
