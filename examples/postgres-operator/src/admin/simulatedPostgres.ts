/**
 * A simulated Postgres for the simulated cluster: a data plane the kubelet simulation runs in the
 * instance pods (bootstrapping each per the pod bootstrap convention) and a `PostgresAdmin` that
 * talks to it, so the operator's whole path runs on the embedded API server. Start with
 * {@link simulatedPostgres}; the rules of replication live in `simulatedData.ts`.
 *
 * Data is kept per PersistentVolumeClaim (`namespace/claim`), so a deleted pod's successor finds it;
 * a stopped pod keeps its data and role and comes back as what it was (a former primary as a primary
 * on its old timeline). An admin call to a pod that is not running fails as a refused connection.
 */
import type { KubeObject } from '@steward/core';
import { PostgresAdminError, describeInstance } from './adminErrors.js';
import type { Instance, InstanceStatus, PostgresAdmin } from './postgresAdmin.js';
import * as data from './simulatedData.js';
import { DEFAULT_SELECTOR, podEntry, type PodEntry, type PodSelector } from './simulatedPods.js';
import type { DataDirectory } from './simulatedData.js';

/** Structurally the testing package's `SimulatedDataPlane`: give it to `kubelet.attach()`. */
export interface PostgresDataPlane {
  selector: PodSelector;
  ready(pod: KubeObject): boolean;
  started(pod: KubeObject): void;
  stopped(pod: KubeObject): void;
}

/** What a test may look at: one instance as its pod last ran it. */
export interface SimulatedInstance {
  namespace: string;
  pod: string;
  /** The claim holding its data (`pod:<name>` when the pod mounts none: lost with the name). */
  claim: string;
  running: boolean;
  /** Why a `clone` has not happened yet (its source not running); retried while the pod runs. */
  bootstrapError?: string;
  role?: 'primary' | 'replica';
  timeline?: number;
  lsn?: string;
  /** The pod in its `primary_conninfo`. */
  upstream?: string;
  /** Set when connected to a running upstream whose history it can replay. */
  streamingFrom?: string;
  /** A primary whose writes are stopped (`stopWrites`): its clients' writes fail. */
  writesStopped?: boolean;
  roles: string[];
  databases: Record<string, string>;
}

export interface SimulatedPostgres {
  dataPlane: PostgresDataPlane;
  admin: PostgresAdmin;
  /** The instance run by pod `name` (`namespace` needed only when the name is in several). */
  instance(name: string, namespace?: string): SimulatedInstance | undefined;
  /**
   * A client's writes on a running primary: its LSN moves by `bytes` and streaming replicas follow.
   * Throws on a replica or a primary whose writes are stopped, as its clients would get an error.
   */
  write(name: string, bytes?: number, namespace?: string): string;
  /** Pauses (or resumes) a replica's replay, to make it lag behind the others. */
  hold(name: string, held: boolean, namespace?: string): void;
}

export interface SimulatedPostgresOptions {
  /** Which pods run Postgres. Default: every pod labelled `postgres.steward.dev/cluster`. */
  selector?: PodSelector;
}

export function simulatedPostgres(options: SimulatedPostgresOptions = {}): SimulatedPostgres {
  const pods = new Map<string, PodEntry>();
  const disks = new Map<string, DataDirectory>();
  const diskOf = (e: PodEntry): DataDirectory | undefined => disks.get(`${e.namespace}/${e.claim}`);
  const entryOf = (namespace: string, pod: string): PodEntry | undefined => pods.get(`${namespace}/${pod}`);

  /** Runs what the container's entrypoint runs on an empty volume; false while it cannot. */
  function boot(entry: PodEntry): boolean {
    if (diskOf(entry) !== undefined) return true;
    const { mode, source, cluster } = entry.bootstrap;
    let created: DataDirectory;
    if (mode === 'clone') {
      const from = source === undefined ? undefined : entryOf(entry.namespace, source);
      const sourceDisk = from?.running === true ? diskOf(from) : undefined;
      if (sourceDisk === undefined || source === undefined) {
        entry.bootstrapError = `clone source ${entry.namespace}/${source ?? '(PG_SOURCE unset)'} is not running`;
        return false;
      }
      created = data.cloneOf(sourceDisk, source);
    } else {
      created = data.initdb(cluster);
    }
    delete entry.bootstrapError;
    disks.set(`${entry.namespace}/${entry.claim}`, created);
    return true;
  }

  /** The upstream a replica is connected to, when it runs and its history can be replayed. */
  function connectedUpstream(entry: PodEntry): { entry: PodEntry; disk: DataDirectory } | undefined {
    const disk = diskOf(entry);
    if (!entry.running || disk?.role !== 'replica' || disk.upstream === undefined) return undefined;
    const up = entryOf(entry.namespace, disk.upstream);
    const upDisk = up?.running === true ? diskOf(up) : undefined;
    if (up === undefined || upDisk === undefined || !data.canFollow(disk, upDisk)) return undefined;
    return { entry: up, disk: upDisk };
  }

  /** Streaming, until nothing moves (a cascade catches up through its middle replica). */
  function replicate(): void {
    for (let round = 0, moved = true; moved && round < 16; round++) {
      moved = false;
      for (const entry of pods.values()) {
        const up = connectedUpstream(entry);
        const disk = diskOf(entry);
        if (up !== undefined && disk !== undefined && data.catchUp(disk, up.disk)) moved = true;
      }
    }
  }

  /** A running instance's data, or the error a client connecting to it would get. */
  function connect(instance: Instance, credentials: { user: string; password: string }): DataDirectory {
    const entry = entryOf(instance.namespace, instance.pod);
    const disk = entry?.running === true ? diskOf(entry) : undefined;
    if (entry === undefined || disk === undefined) {
      throw new PostgresAdminError(
        'PG_UNREACHABLE',
        `cannot connect to ${describeInstance(instance)}: connection refused (simulated: the pod's ` +
          'Postgres is not running); is Postgres running and ready in that pod?',
      );
    }
    // The first superuser password the operator presents is the one initdb was given.
    disk.superuserPassword ??= credentials.password;
    if (disk.superuserPassword !== credentials.password) {
      throw new PostgresAdminError(
        'PG_AUTH',
        `${describeInstance(instance)} rejected user "${credentials.user}": password authentication ` +
          'failed; check the password in the superuser Secret',
      );
    }
    replicate();
    return disk;
  }

  const changed = (disk: DataDirectory): void => {
    data.advance(disk, 200n);
    replicate();
  };

  const admin: PostgresAdmin = {
    async status(instance, credentials) {
      const disk = connect(instance, credentials);
      const status: InstanceStatus = {
        role: disk.role,
        lsn: data.formatLsn(disk.lsn),
        timeline: disk.timeline,
      };
      const up = connectedUpstream(entryOf(instance.namespace, instance.pod)!);
      if (up !== undefined) {
        status.streamingFrom = up.entry.pod;
        status.lagBytes = Number(up.disk.lsn - disk.lsn);
      }
      if (disk.role === 'primary' && disk.writesStopped) status.writesStopped = true;
      return status;
    },

    async promote(instance, credentials) {
      const disk = connect(instance, credentials);
      if (disk.role === 'primary') return;
      data.promote(disk);
      replicate();
    },

    async follow(instance, primary, credentials) {
      const disk = connect(instance, credentials);
      const entry = entryOf(instance.namespace, instance.pod)!;
      const target = entryOf(primary.namespace, primary.pod);
      const targetDisk = target?.running === true ? diskOf(target) : undefined;
      if (disk.role === 'replica' && connectedUpstream(entry)?.entry.pod === primary.pod) return;
      if (targetDisk === undefined) {
        if (disk.role === 'replica') disk.upstream = primary.pod;
        throw new PostgresAdminError(
          'PG_TIMEOUT',
          `${describeInstance(instance)}: streaming from ${primary.pod} did not happen: ` +
            `${describeInstance(primary)} is not running; check its log`,
        );
      }
      if (disk.role === 'primary') {
        // What the local harness does with pg_rewind -R and a restart, in one step.
        data.rewind(disk, targetDisk, primary.pod);
      } else {
        disk.upstream = primary.pod;
        if (!data.canFollow(disk, targetDisk)) {
          throw new PostgresAdminError(
            'PG_TIMEOUT',
            `${describeInstance(instance)}: streaming from ${primary.pod} did not happen: its timeline ` +
              `${disk.timeline} at ${data.formatLsn(disk.lsn)} diverged from ${primary.pod}'s history; ` +
              'it needs pg_rewind',
          );
        }
      }
      replicate();
    },

    async ensureRole(instance, credentials, role) {
      const disk = connect(instance, credentials);
      writable(instance, disk);
      const wanted = { password: role.password, login: role.login ?? true };
      const had = disk.roles.get(role.name);
      // Unchanged: no WAL, so a repeated reconcile leaves the same LSN as a single one.
      if (had?.password === wanted.password && had.login === wanted.login) return;
      disk.roles.set(role.name, wanted);
      changed(disk);
    },

    async ensureDatabase(instance, credentials, database) {
      const disk = connect(instance, credentials);
      writable(instance, disk);
      if (!disk.roles.has(database.owner) && database.owner !== credentials.user) {
        throw new PostgresAdminError(
          'PG_QUERY',
          `${describeInstance(instance)}: role "${database.owner}" does not exist (SQLSTATE 42704)`,
        );
      }
      if (disk.databases.get(database.name) === database.owner) return;
      disk.databases.set(database.name, database.owner);
      changed(disk);
    },

    async dropDatabase(instance, credentials, name) {
      const disk = connect(instance, credentials);
      writable(instance, disk);
      if (disk.databases.delete(name)) changed(disk);
    },

    // Stopping writes writes no WAL here: the position returned is the last commit's.
    async stopWrites(instance, credentials) {
      const disk = connect(instance, credentials);
      if (disk.role === 'primary') disk.writesStopped = true;
      return data.formatLsn(disk.lsn);
    },

    async resumeWrites(instance, credentials) {
      connect(instance, credentials).writesStopped = false;
    },
  };

  function find(name: string, namespace?: string): PodEntry | undefined {
    if (namespace !== undefined) return entryOf(namespace, name);
    const matches = [...pods.values()].filter((e) => e.pod === name);
    if (matches.length > 1) throw new Error(`pod ${name} exists in several namespaces: name one`);
    return matches[0];
  }

  const dataPlane: PostgresDataPlane = {
    selector: options.selector ?? DEFAULT_SELECTOR,
    started(pod) {
      const entry = podEntry(pod);
      const disk = diskOf(entry);
      // A primary that starts again writes a checkpoint (after a crash, an end-of-recovery one):
      // its WAL moves past where it stopped, so a former primary has diverged once it is up.
      if (disk?.role === 'primary') data.advance(disk, 96n);
      pods.set(`${entry.namespace}/${entry.pod}`, entry);
      boot(entry);
      replicate();
    },
    stopped(pod) {
      const entry = entryOf(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
      if (entry !== undefined) entry.running = false;
    },
    ready(pod) {
      const entry = entryOf(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
      return entry?.running === true && boot(entry);
    },
  };

  return {
    dataPlane,
    admin,
    instance(name, namespace) {
      const entry = find(name, namespace);
      if (entry === undefined) return undefined;
      replicate();
      const disk = diskOf(entry);
      const view: SimulatedInstance = {
        namespace: entry.namespace,
        pod: entry.pod,
        claim: entry.claim,
        running: entry.running,
        roles: disk === undefined ? [] : [...disk.roles.keys()].sort(),
        databases: disk === undefined ? {} : Object.fromEntries(disk.databases),
      };
      if (entry.bootstrapError !== undefined) view.bootstrapError = entry.bootstrapError;
      if (disk === undefined) return view;
      Object.assign(view, { role: disk.role, timeline: disk.timeline, lsn: data.formatLsn(disk.lsn) });
      if (disk.upstream !== undefined) view.upstream = disk.upstream;
      if (disk.role === 'primary' && disk.writesStopped) view.writesStopped = true;
      const up = connectedUpstream(entry);
      if (up !== undefined) view.streamingFrom = up.entry.pod;
      return view;
    },
    write(name, bytes = 8192, namespace) {
      const entry = find(name, namespace);
      const disk = entry?.running === true ? diskOf(entry) : undefined;
      if (disk?.role !== 'primary') throw new Error(`pod ${name} is not a running primary: cannot write`);
      if (disk.writesStopped)
        throw new Error(`pod ${name} has its writes stopped (a switchover): cannot write`);
      data.advance(disk, BigInt(bytes));
      replicate();
      return data.formatLsn(disk.lsn);
    },
    hold(name, held, namespace) {
      const disk = ((e) => (e === undefined ? undefined : diskOf(e)))(find(name, namespace));
      if (disk === undefined) throw new Error(`pod ${name} has no data to hold`);
      disk.held = held;
      replicate();
    },
  };
}

function writable(instance: Instance, disk: DataDirectory): void {
  if (disk.role !== 'primary' || disk.writesStopped) {
    const what = disk.role === 'primary' ? 'has its writes stopped (a switchover)' : 'is a replica';
    throw new PostgresAdminError(
      'PG_READ_ONLY',
      `${describeInstance(instance)} ${what}: cannot execute in a read-only transaction; send this ` +
        'to the primary',
    );
  }
}
