/**
 * `PostgresAdmin` over SQL: each call opens a short-lived `pg` connection to the instance as the
 * superuser, runs what Postgres offers for the operation, and closes it. Start with {@link pgAdmin}.
 *
 * What SQL can and cannot do: status, promotion, re-pointing a *replica* at another primary (PG ≥ 13
 * reloads `primary_conninfo`), roles and databases all work over a connection. Turning a former
 * primary into a replica needs files and a restart (`pg_rewind`, `standby.signal`), which on a real
 * cluster is the job of a manager inside the pod; give it as the `rejoin` option, or `follow` on a
 * primary fails with `PG_REJOIN_REQUIRED`. Stopping a primary's writes for a switchover is
 * `default_transaction_read_only` set with `ALTER SYSTEM` and the sessions open before ended: a
 * superuser session may still turn it off for itself, which no SQL can prevent (a shutdown would).
 */
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { PostgresAdminError, describeInstance } from './adminErrors.js';
import { connectError, queryError, sqlState } from './pgErrors.js';
import type { Credentials, Instance, InstanceStatus, PostgresAdmin } from './postgresAdmin.js';

export interface PgAdminOptions {
  /** How long a connection may take before the instance counts as unreachable. Default 5 000 ms. */
  connectTimeoutMs?: number;
  /** The database to connect to. Default `postgres`. */
  database?: string;
  /** How long `promote` and `follow` wait for the change to hold. Default 30 000 ms. */
  waitTimeoutMs?: number;
  /**
   * Makes a former primary a replica of `primary` (rewind, `standby.signal`, restart): what SQL
   * cannot do. Without it, `follow` on a primary throws `PG_REJOIN_REQUIRED`.
   */
  rejoin?(instance: Instance, primary: Instance, credentials: Credentials): Promise<void>;
}

export interface PgAdmin extends PostgresAdmin {
  /** Nothing is pooled, so this only exists for symmetry with other implementations. */
  close(): Promise<void>;
}

type Session = InstanceType<typeof Client>;

interface WalReceiver {
  status: string;
  sender_host: string | null;
  sender_port: number | null;
  received_tli: number | null;
}

export function pgAdmin(config: PgAdminOptions = {}): PgAdmin {
  const connectTimeoutMs = config.connectTimeoutMs ?? 5_000;
  const waitTimeoutMs = config.waitTimeoutMs ?? 30_000;
  // A replica's WAL receiver knows only the address it streams from; the pods seen so far name it.
  const podsByAddress = new Map<string, string>();
  const remember = (i: Instance): void => void podsByAddress.set(`${i.host}:${i.port}`, i.pod);

  async function withSession<T>(
    instance: Instance,
    credentials: Credentials,
    work: (session: Session) => Promise<T>,
  ): Promise<T> {
    remember(instance);
    const session = new Client({
      host: instance.host,
      port: instance.port,
      user: credentials.user,
      password: credentials.password,
      database: config.database ?? 'postgres',
      connectionTimeoutMillis: connectTimeoutMs,
      application_name: 'steward-postgres-operator',
    });
    // A server that goes away mid-call emits 'error' on the client; the query rejects anyway.
    session.on('error', () => {});
    try {
      await session.connect();
    } catch (error) {
      await session.end().catch(() => {});
      throw connectError(instance, credentials, error);
    }
    try {
      return await work(session);
    } catch (error) {
      throw error instanceof PostgresAdminError ? error : queryError(instance, error);
    } finally {
      await session.end().catch(() => {});
    }
  }

  async function readStatus(session: Session): Promise<InstanceStatus> {
    const { rows } = await session.query<{ recovery: boolean }>('SELECT pg_is_in_recovery() AS recovery');
    if (rows[0]?.recovery !== true) {
      // The WAL file name starts with the timeline in hex; it is exact right after a promotion,
      // when pg_control_checkpoint() still shows the old timeline until the next checkpoint.
      const primary = await session.query<{ lsn: string; walfile: string; stopped: boolean }>(
        `SELECT pg_current_wal_lsn()::text AS lsn, pg_walfile_name(pg_current_wal_lsn()) AS walfile,
                current_setting('default_transaction_read_only') = 'on' AS stopped`,
      );
      const row = primary.rows[0]!;
      const status: InstanceStatus = {
        role: 'primary',
        lsn: row.lsn,
        timeline: parseInt(row.walfile.slice(0, 8), 16),
      };
      if (row.stopped) status.writesStopped = true;
      return status;
    }
    const replica = await session.query<{ lsn: string | null; lag: string | null; tli: number }>(
      `SELECT pg_last_wal_replay_lsn()::text AS lsn,
              pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::text AS lag,
              (SELECT timeline_id FROM pg_control_checkpoint()) AS tli`,
    );
    const row = replica.rows[0]!;
    const receiver = await walReceiver(session);
    const status: InstanceStatus = {
      role: 'replica',
      lsn: row.lsn ?? '0/0',
      timeline: receiver?.received_tli ?? row.tli,
    };
    if (row.lag !== null) status.lagBytes = Math.max(0, Number(row.lag));
    if (receiver?.status === 'streaming' && receiver.sender_host !== null) {
      const address = `${receiver.sender_host}:${receiver.sender_port ?? 5432}`;
      status.streamingFrom = podsByAddress.get(address) ?? address;
    }
    return status;
  }

  /** Polls `check` on one session until it returns true or the wait times out. */
  async function waitUntil(instance: Instance, what: string, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + waitTimeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) {
        throw new PostgresAdminError(
          'PG_TIMEOUT',
          `${describeInstance(instance)}: ${what} did not happen within ${waitTimeoutMs} ms; check its log`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const admin: PgAdmin = {
    status: (instance, credentials) => withSession(instance, credentials, readStatus),

    promote: (instance, credentials) =>
      withSession(instance, credentials, async (session) => {
        const before = await readStatus(session);
        if (before.role === 'primary') return;
        // wait => true returns once recovery ended and the new timeline accepts writes.
        const { rows } = await session.query<{ done: boolean }>('SELECT pg_promote(true, $1) AS done', [
          Math.ceil(waitTimeoutMs / 1000),
        ]);
        if (rows[0]?.done !== true) {
          throw new PostgresAdminError(
            'PG_TIMEOUT',
            `${describeInstance(instance)}: promotion did not finish within ${waitTimeoutMs} ms; check its log`,
          );
        }
        // The checkpoint after a promotion is spread out; until it ends, the control file still says
        // the old timeline, and pg_rewind of the old primary (which reads it) would see nothing to do.
        await session.query('CHECKPOINT');
        // A clone of a primary whose writes were stopped copied its postgresql.auto.conf.
        await resumeWrites(session);
      }),

    stopWrites: (instance, credentials) =>
      withSession(instance, credentials, async (session) => {
        const before = await readStatus(session);
        if (before.role !== 'primary') return before.lsn;
        await session.query('ALTER SYSTEM SET default_transaction_read_only = on');
        await session.query('SELECT pg_reload_conf()');
        // The reload is asynchronous. Once this session sees it, the postmaster has re-read the file:
        // every session started since begins read-only.
        await waitUntil(instance, 'default_transaction_read_only = on', async () => {
          const { rows } = await session.query<{ on: boolean }>(
            "SELECT current_setting('default_transaction_read_only') = 'on' AS on",
          );
          return rows[0]?.on === true;
        });
        // Sessions from before may be inside a read-write transaction: end them (what they had not
        // committed rolls back; nothing committed is lost), and wait until they are gone.
        // (Listed first, then ended: in one WHERE, Postgres may evaluate the terminate before the
        // test that spares this session.)
        const open = await session.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
        );
        const pids = open.rows.map((r) => r.pid);
        await session.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
        await waitUntil(instance, `sessions ${pids.join(', ')} ended`, async () => {
          const { rows } = await session.query('SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1)', [pids]);
          return rows.length === 0;
        });
        // A checkpoint flushes every commit (synchronous_commit = off leaves some in memory), so
        // the position read next is one the replicas can receive and replay.
        await session.query('CHECKPOINT');
        const { rows } = await session.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
        return rows[0]!.lsn;
      }),

    resumeWrites: (instance, credentials) => withSession(instance, credentials, resumeWrites),

    async follow(instance, primary, credentials) {
      remember(primary);
      const streamsFrom = (r: WalReceiver | undefined): boolean =>
        r?.status === 'streaming' &&
        r.sender_host === primary.host &&
        (r.sender_port ?? 5432) === primary.port;
      const role = await withSession(instance, credentials, async (session) => {
        if ((await readStatus(session)).role === 'primary') return 'primary' as const;
        if (streamsFrom(await walReceiver(session))) return 'streaming' as const;
        // PG ≥ 13 restarts the WAL receiver with the new primary_conninfo on reload, no restart.
        const conninfo = libpqConninfo(primary, credentials, instance.pod);
        await session.query(`ALTER SYSTEM SET primary_conninfo = ${escapeLiteral(conninfo)}`);
        await session.query('SELECT pg_reload_conf()');
        return 'repointed' as const;
      });
      if (role === 'primary') {
        if (config.rejoin === undefined) {
          throw new PostgresAdminError(
            'PG_REJOIN_REQUIRED',
            `${describeInstance(instance)} is a primary; making it follow ${primary.pod} needs pg_rewind ` +
              'and a restart as a standby, which SQL cannot do: fence it and let its instance manager ' +
              'rejoin it (or give pgAdmin a rejoin hook)',
          );
        }
        await config.rejoin(instance, primary, credentials);
      }
      if (role === 'streaming') return;
      await withSession(instance, credentials, (session) =>
        waitUntil(instance, `streaming from ${primary.pod}`, async () =>
          streamsFrom(await walReceiver(session)),
        ),
      );
    },

    ensureRole: (instance, credentials, role) =>
      withSession(instance, credentials, async (session) => {
        const clauses = `${role.login === false ? 'NOLOGIN' : 'LOGIN'} PASSWORD ${escapeLiteral(role.password)}`;
        const exists = await session.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role.name]);
        if (exists.rowCount === 0) {
          try {
            await session.query(`CREATE ROLE ${escapeIdentifier(role.name)} ${clauses}`);
            return;
          } catch (error) {
            // Someone created it between the check and the CREATE: update it instead.
            if (sqlState(error) !== '42710') throw error;
          }
        }
        await session.query(`ALTER ROLE ${escapeIdentifier(role.name)} WITH ${clauses}`);
      }),

    ensureDatabase: (instance, credentials, database) =>
      withSession(instance, credentials, async (session) => {
        const { rows } = await session.query<{ owner: string }>(
          'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
          [database.name],
        );
        const name = escapeIdentifier(database.name);
        const owner = escapeIdentifier(database.owner);
        if (rows[0] === undefined) {
          try {
            await session.query(`CREATE DATABASE ${name} OWNER ${owner}`);
            return;
          } catch (error) {
            if (sqlState(error) !== '42P04') throw error;
          }
        } else if (rows[0].owner === database.owner) {
          return;
        }
        await session.query(`ALTER DATABASE ${name} OWNER TO ${owner}`);
      }),

    dropDatabase: (instance, credentials, name) =>
      withSession(instance, credentials, async (session) => {
        // FORCE (PG ≥ 13) ends the sessions still connected, which would otherwise block the drop.
        await session.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
      }),

    close: async () => {},
  };
  return admin;
}

/** A libpq conninfo value, quoted: backslashes and quotes escaped. */
export const libpqValue = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The `primary_conninfo` a replica streams with; `application_name` names it on the primary. */
export function libpqConninfo(primary: Instance, credentials: Credentials, replicaPod: string): string {
  return [
    `host=${libpqValue(primary.host)}`,
    `port=${primary.port}`,
    `user=${libpqValue(credentials.user)}`,
    `password=${libpqValue(credentials.password)}`,
    `application_name=${libpqValue(replicaPod)}`,
  ].join(' ');
}

/** Undoes `stopWrites`: the setting reset, the configuration reloaded (a no-op when it was not set). */
async function resumeWrites(session: Session): Promise<void> {
  await session.query('ALTER SYSTEM RESET default_transaction_read_only');
  await session.query('SELECT pg_reload_conf()');
}

async function walReceiver(session: Session): Promise<WalReceiver | undefined> {
  const { rows } = await session.query<WalReceiver>(
    'SELECT status, sender_host, sender_port, received_tli FROM pg_stat_wal_receiver',
  );
  return rows[0];
}
