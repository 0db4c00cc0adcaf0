/**
 * Pods and nodes for the simulated ring's tests, without an API server: a pod object as the kubelet
 * hands it to a data plane, and a helper that waits for the ring to reach a state. Start with
 * {@link podNamed}.
 */
import type { KubeObject } from '@steward/core';
import type { Node } from '../../src/admin/cassandraAdmin.js';
import type { SimulatedRing } from '../../src/admin/simulatedRing.js';

export const NS = 'db';

/** A pod of `dc1` as the StatefulSet makes it: rack label, data claim `server-data-<name>`, an IP. */
export function podNamed(name: string, ip: string, rack = 'r1'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: NS,
      labels: { 'cassandra.steward.dev/datacenter': 'dc1', 'cassandra.steward.dev/rack': rack },
    },
    spec: { volumes: [{ name: 'server-data', persistentVolumeClaim: { claimName: `server-data-${name}` } }] },
    status: { podIP: ip },
  };
}

export function nodeOf(pod: KubeObject): Node {
  const ip = (pod['status'] as { podIP: string }).podIP;
  return { namespace: NS, pod: pod.metadata.name ?? '', host: ip, port: 8080 };
}

/** Polls the ring (every 5 ms, up to 5 s) until `probe` holds; throws showing the ring otherwise. */
export async function until(ring: SimulatedRing, what: string, probe: () => boolean): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 5) {
    if (probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}; ring: ${JSON.stringify(ring.ring())}`);
}

/** The state of the member on `pod`, as the simulation's read-only view shows it. */
export const stateOn = (ring: SimulatedRing, pod: string): string | undefined =>
  ring.ring().find((m) => m.pod === pod)?.state;
