/**
 * The names the operator and its pods agree on: labels, annotations and the names of the objects a
 * cluster owns. Start with {@link LABELS}; every builder and controller reads them from here, so the
 * `-rw` Service's selector and the labels the failover code moves can never drift apart.
 */

export const GROUP = 'postgres.steward.dev';

export const LABELS = {
  /** Every object of a cluster carries it: pods, claims, Services, PDBs, Secrets. */
  cluster: `${GROUP}/cluster`,
  /** The instance (pod) name, also on its claim: a claim outlives its pod. */
  instance: `${GROUP}/instance`,
  /** `primary`, `replica` or `fenced`: what the Services select on. Only the operator moves it. */
  role: `${GROUP}/role`,
} as const;

/** The instance `status.currentPrimary` names: `-rw` selects it. */
export const ROLE_PRIMARY = 'primary';
/** A replica streaming from the current primary: `-ro` selects it, so reads see the primary's history. */
export const ROLE_REPLICA = 'replica';
/**
 * Any other instance: a former primary not yet rewound (its diverged timeline holds writes the
 * cluster lost), a replica not streaming yet or still following the old primary, a pod that does
 * not answer. Neither Service selects it: reads there could return data the primary never had.
 */
export const ROLE_FENCED = 'fenced';

export const ANNOTATIONS = {
  /**
   * A switchover request: set it to a replica's pod name and the operator makes that replica the
   * primary, then removes the annotation. An annotation, not a spec field, because the primary is a
   * fact the operator changes on its own (failover); a spec field would keep asking for the old one.
   */
  switchoverTo: `${GROUP}/switchover-to`,
  /** On instance pods: the hash of what a rolling change compares (image, parameters, resources). */
  specHash: `${GROUP}/spec-hash`,
} as const;

/** Names of a cluster's objects, in one place. */
export const names = {
  instance: (cluster: string, serial: number): string => `${cluster}-${serial}`,
  readWrite: (cluster: string): string => `${cluster}-rw`,
  readOnly: (cluster: string): string => `${cluster}-ro`,
  superuser: (cluster: string): string => `${cluster}-superuser`,
  primaryPdb: (cluster: string): string => `${cluster}-primary`,
  replicaPdb: (cluster: string): string => `${cluster}-replicas`,
  credentials: (cluster: string, database: string): string => `${cluster}-${database}-credentials`,
};

/** The serial of instance `pod` of `cluster` (`pg-3` → 3), or undefined for a name not of that form. */
export function serialOf(cluster: string, pod: string): number | undefined {
  if (!pod.startsWith(`${cluster}-`)) return undefined;
  const rest = pod.slice(cluster.length + 1);
  return /^[1-9][0-9]*$/.test(rest) ? Number(rest) : undefined;
}

/** The selector of every pod of `cluster` (for reader.list). */
export const clusterSelector = (cluster: string): string => `${LABELS.cluster}=${cluster}`;
