/**
 * The simulated cluster's pods backed by real PostgreSQL processes on this machine: a data plane for
 * the kubelet simulation that runs `initdb`, `pg_basebackup`, `pg_ctl` per the pod bootstrap
 * convention, `pgAdmin()` to talk to them, and `resolveInstance` mapping a pod to 127.0.0.1 and its
 * server's port — so the operator's whole path runs against real Postgres on the embedded API
 * server. Start with {@link localPostgres}; the processes are `localServers.ts`'s.
 *
 * As with real pods: a data directory belongs to the pod's claim and outlives the pod; a pod's
 * deletion stops its server (fast shutdown), its successor starts it again as what it was (a former
 * primary as a primary on its old timeline); a clone waits until its source runs; the superuser
 * password is `POSTGRES_PASSWORD` (a value, or a Secret's key read through `secret`).
 */
import type { KubeObject } from '@steward/core';
import { localServers, type LocalServer } from './localServers.js';
import { pgAdmin, type PgAdmin } from './pgAdmin.js';
import type { Credentials, Instance } from './postgresAdmin.js';
import { DEFAULT_SELECTOR, podEntry, type PodEntry, type PodSelector } from './simulatedPods.js';

export interface LocalPostgresOptions {
  /** Which pods run Postgres. Default: every pod labelled `postgres.steward.dev/cluster`. */
  selector?: PodSelector;
  /** Reads a Secret's key (for `POSTGRES_PASSWORD` from a `secretKeyRef`); undefined while absent. */
  secret?(namespace: string, name: string, key: string): Promise<string | undefined>;
}

/** Structurally the testing package's `SimulatedDataPlane`, with asynchronous hooks. */
export interface LocalDataPlane {
  selector: PodSelector;
  ready(pod: KubeObject): Promise<boolean>;
  started(pod: KubeObject): Promise<void>;
  stopped(pod: KubeObject): Promise<void>;
}

export interface LocalPostgres {
  dataPlane: LocalDataPlane;
  /** `pgAdmin()` whose `rejoin` runs `pg_rewind -R` and restarts the server. */
  admin: PgAdmin;
  /** Where a pod's Postgres listens: 127.0.0.1 and its server's port (port 1 before it first ran). */
  resolveInstance: (pod: KubeObject) => Instance;
  /** The server holding pod `name`'s data, for a test to query directly. */
  server(name: string, namespace: string): LocalServer | undefined;
  /** Why a pod's Postgres has not started yet (clone source down, password Secret missing). */
  bootstrapError(name: string, namespace: string): string | undefined;
  /** Stops every server and removes their directories. */
  stop(): Promise<void>;
}

export function localPostgres(options: LocalPostgresOptions = {}): LocalPostgres {
  const servers = localServers();
  const pods = new Map<string, PodEntry>();
  // Server names are file names: one per claim, `<namespace>_<claim>`.
  const serverOf = (e: PodEntry): LocalServer | undefined => servers.servers.get(`${e.namespace}_${e.claim}`);
  const entryOf = (namespace: string, pod: string): PodEntry | undefined => pods.get(`${namespace}/${pod}`);

  async function password(entry: PodEntry): Promise<string> {
    const from = entry.password;
    if (from === undefined) throw new Error(`pod ${entry.namespace}/${entry.pod} sets no POSTGRES_PASSWORD`);
    if ('value' in from) return from.value;
    const value = await options.secret?.(entry.namespace, from.secret, from.key);
    if (value === undefined)
      throw new Error(`Secret ${entry.namespace}/${from.secret} (key ${from.key}) not found`);
    return value;
  }

  /** What the container's entrypoint does: start the data on the claim, or create it first. */
  async function boot(entry: PodEntry): Promise<void> {
    const existing = serverOf(entry);
    if (existing !== undefined) {
      if (!existing.running) await existing.start();
      return;
    }
    const name = `${entry.namespace}_${entry.claim}`;
    if (entry.bootstrap.mode === 'clone') {
      const source =
        entry.bootstrap.source === undefined ? undefined : entryOf(entry.namespace, entry.bootstrap.source);
      const from = source?.running === true ? serverOf(source) : undefined;
      if (from?.running !== true) {
        throw new Error(
          `clone source ${entry.namespace}/${entry.bootstrap.source ?? '(PG_SOURCE unset)'} is not running`,
        );
      }
      await servers.replica(name, from);
    } else {
      const su: Credentials = { user: 'postgres', password: await password(entry) };
      await servers.primary(name, su);
    }
  }

  /**
   * One boot at a time per claim (the kubelet may start a pod again while its first start still
   * runs); a failure is kept for `bootstrapError` and retried by `ready`.
   */
  const booting = new Map<string, Promise<void>>();
  function bootOnce(entry: PodEntry): Promise<void> {
    const key = `${entry.namespace}_${entry.claim}`;
    let pending = booting.get(key);
    if (pending === undefined) {
      pending = boot(entry)
        .then(() => void delete entry.bootstrapError)
        .catch((error: Error) => void (entry.bootstrapError = error.message))
        .finally(() => void booting.delete(key));
      booting.set(key, pending);
    }
    return pending;
  }
  /** Work on a claim's server that no boot may interrupt (a rewind stops it for a while). */
  async function exclusive(key: string, work: () => Promise<void>): Promise<void> {
    while (booting.has(key)) await booting.get(key);
    const done = work();
    const held = done.catch(() => {}).finally(() => void booting.delete(key));
    booting.set(key, held);
    await done;
  }

  const admin = pgAdmin({
    rejoin: async (instance, primary) => {
      const target = entryOf(instance.namespace, instance.pod);
      const source = entryOf(primary.namespace, primary.pod);
      const [t, s] = [target && serverOf(target), source && serverOf(source)];
      if (t === undefined || s === undefined)
        throw new Error(`no local server for ${instance.pod} or ${primary.pod}`);
      await exclusive(`${target!.namespace}_${target!.claim}`, () => servers.rejoin(t, s));
    },
  });

  return {
    dataPlane: {
      selector: options.selector ?? DEFAULT_SELECTOR,
      async started(pod) {
        const entry: PodEntry = podEntry(pod);
        pods.set(`${entry.namespace}/${entry.pod}`, entry);
        await bootOnce(entry);
      },
      async stopped(pod) {
        const entry = entryOf(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
        if (entry === undefined) return;
        entry.running = false;
        await booting.get(`${entry.namespace}_${entry.claim}`);
        await serverOf(entry)?.stop('fast');
      },
      async ready(pod) {
        const entry = entryOf(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
        if (entry?.running !== true) return false;
        if (serverOf(entry)?.running !== true) await bootOnce(entry);
        return serverOf(entry)?.running === true;
      },
    },
    admin,
    resolveInstance: (pod) => {
      const namespace = pod.metadata.namespace ?? '';
      const name = pod.metadata.name ?? '';
      const entry = entryOf(namespace, name);
      const port = entry === undefined ? undefined : serverOf(entry)?.port;
      return { namespace, pod: name, host: '127.0.0.1', port: port ?? 1 };
    },
    server: (name, namespace) =>
      ((e) => (e === undefined ? undefined : serverOf(e)))(entryOf(namespace, name)),
    bootstrapError: (name, namespace) => entryOf(namespace, name)?.bootstrapError,
    stop: async () => {
      await admin.close();
      await servers.stopAll();
    },
  };
}
