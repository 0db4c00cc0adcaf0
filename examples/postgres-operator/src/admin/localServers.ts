/**
 * Real PostgreSQL servers on loopback, each in a temporary directory: a primary from `initdb`,
 * streaming replicas from `pg_basebackup -R`, a former primary rejoined as a replica with
 * `pg_rewind -R`. The tests' fixture and `localPostgres()` both run on it. Start with
 * {@link localServers}; {@link postgresMissing} says why a machine cannot run them.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { libpqValue } from './pgAdmin.js';
import type { Credentials, Instance } from './postgresAdmin.js';

const run = promisify(execFile);

/** Where the PostgreSQL 15 binaries are; `STEWARD_PG_BIN` overrides. */
export const POSTGRES_BIN = process.env['STEWARD_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';
const TOOLS = ['initdb', 'pg_ctl', 'pg_basebackup', 'pg_rewind', 'postgres', 'psql'];

/** Why real-server tests cannot run here, or `undefined` when they can. */
export function postgresMissing(): string | undefined {
  const missing = TOOLS.filter((tool) => !existsSync(join(POSTGRES_BIN, tool)));
  if (missing.length > 0) return `PostgreSQL binaries not found in ${POSTGRES_BIN}: ${missing.join(', ')}`;
  if (process.getuid?.() === 0 && serverUser() === undefined) {
    return 'running as root, and there is no "postgres" user to run the servers as (initdb refuses root)';
  }
  return undefined;
}

export interface LocalServer {
  readonly name: string;
  readonly port: number;
  readonly dataDir: string;
  /** The superuser it was initialised with (a clone keeps its source's). */
  readonly credentials: Credentials;
  /** How the admin interface reaches it: pod = the server's name, on 127.0.0.1. */
  readonly instance: Instance;
  readonly running: boolean;
  start(): Promise<void>;
  /** `fast` (the default) shuts down cleanly; `immediate` is a crash, as a lost node would be. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
}

export interface LocalServers {
  /** The superuser a primary gets when `primary()` is given none (random password). */
  readonly credentials: Credentials;
  readonly servers: ReadonlyMap<string, LocalServer>;
  /** A new primary from `initdb`, on timeline 1, with password authentication over TCP. */
  primary(name: string, credentials?: Credentials): Promise<LocalServer>;
  /** A replica cloned from a running server with `pg_basebackup -R`, streaming from it. */
  replica(name: string, source: LocalServer): Promise<LocalServer>;
  /**
   * Makes a stopped-or-running former primary a replica of `primary`: stop, `pg_rewind -R` (rewinds a
   * diverged timeline, writes `standby.signal` and `primary_conninfo`), start.
   */
  rejoin(server: LocalServer, primary: LocalServer): Promise<void>;
  /** Stops every server and removes the directory. Safe to call twice. */
  stopAll(): Promise<void>;
}

// Small and fast: tests write little, and durability across a machine crash does not matter here.
const CONFIG = `
wal_level = replica
wal_log_hints = on
full_page_writes = on
max_wal_senders = 10
max_replication_slots = 10
hot_standby = on
fsync = off
shared_buffers = 16MB
max_connections = 30
wal_keep_size = 64MB
log_min_messages = warning
`;

export function localServers(options: { credentials?: Credentials } = {}): LocalServers {
  const missing = postgresMissing();
  if (missing !== undefined) throw new Error(missing);
  const owner = process.getuid?.() === 0 ? serverUser() : undefined;
  const root = mkdtempSync(join(tmpdir(), 'steward-pg-'));
  if (owner !== undefined) chownSync(root, owner.uid, owner.gid);
  const credentials: Credentials = options.credentials ?? {
    user: 'postgres',
    password: randomBytes(12).toString('hex'),
  };
  const servers = new Map<string, LocalServer>();
  const spawnOptions = owner === undefined ? {} : { uid: owner.uid, gid: owner.gid };
  const tool = (name: string, args: string[]) =>
    run(join(POSTGRES_BIN, name), args, { ...spawnOptions, env: { PATH: process.env['PATH'] ?? '' } }).catch(
      (error: Error & { stderr?: string }) => {
        throw new Error(`${name} ${args.join(' ')} failed: ${error.stderr ?? error.message}`, {
          cause: error,
        });
      },
    );
  const conninfo = ({ port, credentials: { user, password } }: LocalServer): string =>
    `host=127.0.0.1 port=${port} user=${libpqValue(user)} password=${libpqValue(password)} dbname=postgres`;

  function makeServer(name: string, port: number, su: Credentials): LocalServer {
    const dir = join(root, name);
    const dataDir = join(dir, 'data');
    let running = false;
    // Starts and stops run one after another, so a start never overlaps a stop of the same server.
    let last: Promise<unknown> = Promise.resolve();
    const serial = (step: () => Promise<void>): Promise<void> => {
      const next = last.then(step);
      last = next.catch(() => {});
      return next;
    };
    const handle: LocalServer = {
      name,
      port,
      dataDir,
      credentials: su,
      instance: { namespace: 'local', pod: name, host: '127.0.0.1', port },
      get running() {
        return running;
      },
      start: () =>
        serial(async () => {
          if (running) return;
          const settings = `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir}`;
          await tool('pg_ctl', [
            '-D',
            dataDir,
            '-l',
            join(dir, 'log'),
            '-w',
            '-t',
            '30',
            '-o',
            settings,
            'start',
          ]);
          running = true;
        }),
      stop: (mode = 'fast') =>
        serial(async () => {
          if (!running) return;
          await tool('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
          running = false;
        }),
    };
    return handle;
  }

  async function prepare(name: string, su: Credentials): Promise<LocalServer> {
    if (servers.has(name)) throw new Error(`a server named ${name} already exists`);
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    if (owner !== undefined) chownSync(dir, owner.uid, owner.gid);
    const created = makeServer(name, await freePort(), su);
    servers.set(name, created);
    return created;
  }

  const stopAll = async (): Promise<void> => {
    process.off('exit', stopOnExit);
    await Promise.all([...servers.values()].map((s) => s.stop('immediate').catch(() => {})));
    servers.clear();
    // STEWARD_PG_KEEP=1 keeps the data directories and logs to read after a failure.
    if (process.env['STEWARD_PG_KEEP'] === undefined) rmSync(root, { recursive: true, force: true });
    else console.warn(`postgres servers kept in ${root}`);
  };
  // A test run that dies without afterAll must not leave servers behind.
  function stopOnExit(): void {
    for (const s of servers.values()) {
      if (!s.running) continue;
      try {
        execFileSync(
          join(POSTGRES_BIN, 'pg_ctl'),
          ['-D', s.dataDir, '-m', 'immediate', 'stop'],
          spawnOptions,
        );
      } catch {
        // Already gone.
      }
    }
  }
  process.on('exit', stopOnExit);

  return {
    credentials,
    servers,
    async primary(name, su = credentials) {
      const created = await prepare(name, su);
      const pwfile = join(root, name, 'pwfile');
      writeFileSync(pwfile, su.password);
      if (owner !== undefined) chownSync(pwfile, owner.uid, owner.gid);
      // Password auth over TCP (what the operator uses); the local socket stays trust for pg_ctl.
      await tool('initdb', [
        '-D', created.dataDir, '-U', su.user, `--pwfile=${pwfile}`,
        '--auth-host=scram-sha-256', '--auth-local=trust', '--no-sync', '--no-instructions', '-E', 'UTF8',
      ]); // prettier-ignore
      rmSync(pwfile);
      appendFileSync(join(created.dataDir, 'postgresql.conf'), CONFIG);
      await created.start();
      return created;
    },
    async replica(name, source) {
      const created = await prepare(name, source.credentials);
      await tool('pg_basebackup', [
        '-D', created.dataDir, '-d', conninfo(source), '-R', '-X', 'stream', '-c', 'fast', '--no-sync',
      ]); // prettier-ignore
      await created.start();
      return created;
    },
    async rejoin(target, primary) {
      await target.stop('fast');
      // pg_rewind reads the source's timeline from its control file, which a just-promoted server
      // updates only at its next checkpoint.
      await tool('psql', ['-X', '-q', '-d', conninfo(primary), '-c', 'CHECKPOINT']);
      await tool('pg_rewind', [
        `--target-pgdata=${target.dataDir}`,
        `--source-server=${conninfo(primary)}`,
        '-R',
      ]);
      await target.start();
    },
    stopAll,
  };
}

function serverUser(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
