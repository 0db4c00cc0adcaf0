/**
 * The model behind the simulated Postgres: what a data directory holds (role, timeline history, WAL
 * position, upstream, roles and databases) and the rules real Postgres follows for it — a replica
 * streams only while its position lies on its upstream's history, a promotion starts a timeline, a
 * rewind discards what diverged. Start with {@link DataDirectory}; `simulatedPostgres.ts` uses it.
 */

/** A data directory, kept per PersistentVolumeClaim so it outlives the pod that mounts it. */
export interface DataDirectory {
  /** `initdb` made it (or a clone of one that did); replicas of another system never stream. */
  systemId: number;
  cluster: string;
  role: 'primary' | 'replica';
  timeline: number;
  /** The WAL position: insert position on a primary, replayed position on a replica. */
  lsn: bigint;
  /** Where each earlier timeline ended (its switch point): `history[t]` for timeline `t`. */
  history: Map<number, bigint>;
  /** A replica's `primary_conninfo`: the pod it connects to. */
  upstream?: string;
  /** Set on the first admin call: the superuser password every later call must present. */
  superuserPassword?: string;
  roles: Map<string, { password: string; login: boolean }>;
  /** Database name → owner. */
  databases: Map<string, string>;
  /** Replication paused by the test (a slow replica): it stays connected but replays nothing. */
  held: boolean;
  /** A primary's writes stopped for a switchover (`default_transaction_read_only`, sessions ended). */
  writesStopped: boolean;
}

let systems = 0;

/** What `initdb` leaves: a primary on timeline 1, past the bootstrap WAL. */
export function initdb(cluster: string): DataDirectory {
  systems += 1;
  return {
    systemId: systems,
    cluster,
    role: 'primary',
    timeline: 1,
    lsn: 0x1000000n,
    history: new Map(),
    roles: new Map(),
    databases: new Map(),
    held: false,
    writesStopped: false,
  };
}

/** What `pg_basebackup -R` from `source` leaves: a replica at its position, streaming from it. */
export function cloneOf(source: DataDirectory, sourcePod: string): DataDirectory {
  const copy = copyCatalog(source);
  return { ...copy, role: 'replica', upstream: sourcePod, held: false };
}

/** The source's content, timeline and position (what streaming, cloning and rewinding copy). */
function copyCatalog(source: DataDirectory): DataDirectory {
  const copy: DataDirectory = {
    ...source,
    history: new Map(source.history),
    roles: new Map([...source.roles].map(([k, v]) => [k, { ...v }])),
    databases: new Map(source.databases),
  };
  return copy;
}

/**
 * Whether a replica at (`timeline`, `lsn`) can replay `upstream`'s WAL: same system, and either the
 * same timeline or an older one it has not gone past the end of (Postgres follows a timeline switch
 * only from a point before the fork; anything after it diverged).
 */
export function canFollow(replica: DataDirectory, upstream: DataDirectory): boolean {
  if (replica.systemId !== upstream.systemId) return false;
  if (replica.timeline === upstream.timeline) return replica.lsn <= upstream.lsn;
  if (replica.timeline > upstream.timeline) return false;
  const end = upstream.history.get(replica.timeline);
  return end !== undefined && replica.lsn <= end;
}

/** Streaming: the replica replays up to the upstream, catalog and timeline included. */
export function catchUp(replica: DataDirectory, upstream: DataDirectory): boolean {
  if (replica.held || (replica.lsn === upstream.lsn && replica.timeline === upstream.timeline)) return false;
  const copy = copyCatalog(upstream);
  replica.timeline = copy.timeline;
  replica.lsn = copy.lsn;
  replica.history = copy.history;
  replica.roles = copy.roles;
  replica.databases = copy.databases;
  return true;
}

/** `pg_promote()`: the current timeline ends here, a new one begins with an end-of-recovery record. */
export function promote(data: DataDirectory): void {
  data.history.set(data.timeline, data.lsn);
  data.timeline += 1;
  data.role = 'primary';
  delete data.upstream;
  data.held = false;
  data.writesStopped = false;
  advance(data, 40n);
}

/** `pg_rewind` + `standby.signal`: what diverged is thrown away, the source's state taken. */
export function rewind(data: DataDirectory, source: DataDirectory, sourcePod: string): void {
  const copy = copyCatalog(source);
  Object.assign(data, {
    timeline: copy.timeline,
    lsn: copy.lsn,
    history: copy.history,
    roles: copy.roles,
    databases: copy.databases,
    role: 'replica',
    upstream: sourcePod,
    held: false,
    writesStopped: false,
  });
}

/** WAL written on a primary. */
export function advance(data: DataDirectory, bytes: bigint): void {
  data.lsn += bytes;
}

/** `0/3000060`, as Postgres prints an LSN. */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}
