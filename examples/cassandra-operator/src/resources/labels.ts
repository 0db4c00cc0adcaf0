/**
 * The names and labels the operator puts on what it makes, after cass-operator's conventions. Start
 * with {@link LABELS}; {@link statefulSetName} and {@link claimName} say how objects are named.
 */

export const LABELS = {
  cluster: 'cassandra.steward.dev/cluster',
  datacenter: 'cassandra.steward.dev/datacenter',
  rack: 'cassandra.steward.dev/rack',
  /** `"true"` on seed pods: the seed Service selects them, and new nodes gossip with them first. */
  seed: 'cassandra.steward.dev/seed',
  /** Where a pod is in the node lifecycle ({@link NODE_STATES}): the operator's intent, kept on the pod so a restarted operator picks up where it stopped. */
  nodeState: 'cassandra.steward.dev/node-state',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

/** Node lifecycle values of {@link LABELS.nodeState}. */
export const NODE_STATES = {
  /** The pod runs only the management agent: Cassandra is not started yet. */
  readyToStart: 'Ready-to-Start',
  /** The operator asked the agent to start Cassandra; the node is joining (or rejoining) the ring. */
  starting: 'Starting',
  /** Cassandra is up and the node is a normal member of the ring. */
  started: 'Started',
  /** The node is streaming its data away; its pod and claim stay until the ring shows it `LEFT`. */
  decommissioning: 'Decommissioning',
} as const;

/** Annotations the operator writes. */
export const ANNOTATIONS = {
  /** On a pod template: the spec's `restartRequestedAt`, so a new value is a new revision to roll out. */
  restartRequestedAt: 'cassandra.steward.dev/restart-requested-at',
  /** On a pod: the operator decided to drain and restart it; kept until the pod is gone, so a drain interrupted by a crash or a conflict is finished, never left as a drained node. */
  restarting: 'cassandra.steward.dev/restarting',
  /** On a claim: the hostId of the node that left the ring, written before its rack shrinks; only a claim so marked is ever deleted. */
  leftRing: 'cassandra.steward.dev/left-ring',
} as const;

export const OPERATOR_NAME = 'cassandra-operator';
export const CONTAINER = 'cassandra';
export const MGMT_PORT = 8080;
export const CQL_PORT = 9042;
export const DATA_VOLUME = 'server-data';

/** One StatefulSet per rack: `<datacenter>-<rack>` (short, so pod names stay readable: `dc1-r1-0`). */
export function statefulSetName(datacenter: string, rack: string): string {
  return `${datacenter}-${rack}`;
}

export function podName(datacenter: string, rack: string, ordinal: number): string {
  return `${statefulSetName(datacenter, rack)}-${ordinal}`;
}

/** The data claim the StatefulSet makes for an ordinal: `server-data-<statefulset>-<ordinal>`. */
export function claimName(datacenter: string, rack: string, ordinal: number): string {
  return `${DATA_VOLUME}-${podName(datacenter, rack, ordinal)}`;
}

export const seedServiceName = (datacenter: string): string => `${datacenter}-seed-service`;
export const nodesServiceName = (datacenter: string): string => `${datacenter}-service`;
export const pdbName = (datacenter: string): string => `${datacenter}-pdb`;

/** The labels every pod of a rack carries (also the StatefulSet's selector, which never changes). */
export function rackSelector(datacenter: string, rack: string): Record<string, string> {
  return { [LABELS.datacenter]: datacenter, [LABELS.rack]: rack };
}

/** The ordinal at the end of a pod's or a claim's name, or undefined. */
export function ordinalOf(name: string): number | undefined {
  const match = /-(\d+)$/.exec(name);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
