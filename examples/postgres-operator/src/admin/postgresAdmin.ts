/**
 * What the operator asks of Postgres itself, behind one small interface: an instance's role and
 * position in the WAL, promotion, following a new primary, rejoining after a failover, and the roles
 * and databases users request. Start with {@link PostgresAdmin}. `pgAdmin.ts` implements it with SQL
 * over `pg` against real servers; `simulatedPostgres.ts` implements it for the simulated cluster.
 * Every operation is idempotent: the operator may repeat it after a crash, a conflict or a restart.
 */

/** Where an instance is reached: its pod, and the address its Postgres listens on. */
export interface Instance {
  namespace: string;
  /** The pod's name, e.g. `pg-1`; also the instance's name. */
  pod: string;
  host: string;
  port: number;
}

/** The superuser credentials the operator keeps in Secret `<cluster>-superuser`. */
export interface Credentials {
  user: string;
  password: string;
}

export interface InstanceStatus {
  /** `primary` when not in recovery (accepts writes), else `replica`. */
  role: 'primary' | 'replica';
  /** The WAL position: `pg_current_wal_lsn()` on a primary, the last replayed LSN on a replica (`0/3000060`). */
  lsn: string;
  /** The timeline the instance is on; it moves up by one on each promotion. */
  timeline: number;
  /** For a replica: the pod it streams from, when streaming (`undefined` if not connected). */
  streamingFrom?: string;
  /** For a replica: bytes of WAL received but not replayed, or behind the primary when known. */
  lagBytes?: number;
  /** For a primary: `true` while its writes are stopped ({@link PostgresAdmin.stopWrites}). */
  writesStopped?: boolean;
}

export interface RoleSpec {
  name: string;
  password: string;
  login?: boolean;
}

export interface DatabaseSpec {
  name: string;
  owner: string;
}

/**
 * One implementation per environment; all methods take the target instance and resolve once the
 * change holds (a promotion has finished, a replica streams again).
 */
export interface PostgresAdmin {
  status(instance: Instance, credentials: Credentials): Promise<InstanceStatus>;
  /** Ends recovery on a replica so it accepts writes; a no-op on a primary. */
  promote(instance: Instance, credentials: Credentials): Promise<void>;
  /**
   * Points a replica (or a former primary, rewinding it first if its timeline diverged) at `primary`
   * and waits until it streams; a no-op if it already streams from it.
   */
  follow(instance: Instance, primary: Instance, credentials: Credentials): Promise<void>;
  /** Creates the role or updates its password and login flag. */
  ensureRole(instance: Instance, credentials: Credentials, role: RoleSpec): Promise<void>;
  /** Creates the database or changes its owner. */
  ensureDatabase(instance: Instance, credentials: Credentials, database: DatabaseSpec): Promise<void>;
  /** Drops the database if it exists (only for `reclaimPolicy: Delete`). */
  dropDatabase(instance: Instance, credentials: Credentials, name: string): Promise<void>;
  /**
   * Stops a primary accepting writes ahead of a switchover (new transactions are read-only, the
   * sessions open before are ended) and resolves with its WAL position once nothing more can commit:
   * the position the switchover target must have replayed before it may be promoted. It stays a
   * primary, stopped, until {@link resumeWrites} or a promotion elsewhere and a rejoin. Idempotent.
   * Optional: without it a switchover can only take the primary out of `-rw`, and sessions already
   * open keep writing until the promotion (what they commit meanwhile is lost).
   */
  stopWrites?(instance: Instance, credentials: Credentials): Promise<string>;
  /** Undoes {@link stopWrites} (an aborted switchover); a no-op when writes are not stopped. */
  resumeWrites?(instance: Instance, credentials: Credentials): Promise<void>;
}
