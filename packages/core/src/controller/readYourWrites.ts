/**
 * Read-your-writes: the resourceVersions a reconcile wrote, and the wait, before the next reconcile of
 * the same key, until the informer caches have caught up with them. Start with {@link readYourWrites};
 * {@link recordingClient} is the writer that feeds it.
 */
import type { KubeClient, KubeObject, ResourceRef } from '../client/types.js';
import { objectKey } from '../informer/store.js';
import type { Informer } from '../informer/informerTypes.js';

interface Written {
  ref: ResourceRef;
  namespace: string | undefined;
  /** The written object's store key. */
  objectKey: string;
  /** `undefined` for a delete answered with a Status: caught up once the cache no longer has it. */
  resourceVersion: string | undefined;
}

export interface ReadYourWrites {
  /** Records a write made while reconciling `key`; the latest write per object wins. */
  record(key: string, ref: ResourceRef, written: KubeObject | undefined, target: KubeObject): void;
  /**
   * Resolves `true` once every cache covering `key`'s writes has seen them (entries seen are
   * dropped), `false` if still stale after the timeout, or when `signal` aborts.
   */
  waitFor(key: string, signal: AbortSignal): Promise<boolean>;
  /** Drops `key`'s entries (its object is gone). */
  forget(key: string): void;
  /** Keys with entries: for tests of bounded memory. */
  size(): number;
}

const DECIMAL = /^\d{1,15}$/;

/** Whether `cached` is at least as new as `written`, as far as resourceVersions can say. */
function atLeast(cached: string | undefined, written: string): boolean {
  if (cached === undefined) return false;
  if (DECIMAL.test(cached) && DECIMAL.test(written)) return Number(cached) >= Number(written);
  // Opaque versions can only be compared for equality: wait for the event carrying ours.
  return cached === written;
}

function caughtUp(w: Written, informers: Informer[]): boolean {
  return informers.every((inf) => {
    const cached = inf.store.get(w.objectKey);
    if (w.resourceVersion === undefined) return cached === undefined;
    if (cached === undefined) {
      // Deleted since (or not yet seen): the informer's own position says whether it is past our write.
      return atLeast(inf.health().resourceVersion, w.resourceVersion);
    }
    return (
      atLeast(cached.metadata.resourceVersion, w.resourceVersion) ||
      (DECIMAL.test(w.resourceVersion) && atLeast(inf.health().resourceVersion, w.resourceVersion))
    );
  });
}

export function readYourWrites(options: {
  timeoutMs: number;
  covering: (ref: ResourceRef, namespace: string | undefined) => Informer[];
}): ReadYourWrites {
  const pending = new Map<string, Map<string, Written>>();

  const prune = (key: string): boolean => {
    const writes = pending.get(key);
    if (writes === undefined) return true;
    for (const [id, w] of writes) {
      if (caughtUp(w, options.covering(w.ref, w.namespace))) writes.delete(id);
    }
    if (writes.size > 0) return false;
    pending.delete(key);
    return true;
  };

  return {
    record(key, ref, written, target) {
      const meta = (written ?? target).metadata;
      if (meta === undefined || typeof meta !== 'object') return;
      const w: Written = {
        ref,
        namespace: ref.namespaced ? meta.namespace : undefined,
        objectKey: objectKey({ metadata: meta }),
        resourceVersion: written === undefined ? undefined : meta.resourceVersion,
      };
      if (written !== undefined && !w.resourceVersion) return;
      let writes = pending.get(key);
      if (writes === undefined) pending.set(key, (writes = new Map()));
      writes.set(`${ref.plural}.${ref.group} ${w.objectKey}`, w);
    },
    async waitFor(key, signal) {
      if (prune(key)) return true;
      const deadline = Date.now() + options.timeoutMs;
      let pause = 2;
      while (!signal.aborted && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, Math.min(pause, Math.max(1, deadline - Date.now()))));
        if (prune(key)) return true;
        pause = Math.min(pause * 2, 50);
      }
      return false;
    },
    forget(key) {
      pending.delete(key);
    },
    size: () => pending.size,
  };
}

/** Whether a delete's answer is the object (kept by finalizers) rather than a Status. */
function isObject(value: unknown): value is KubeObject {
  const v = value as { kind?: unknown; metadata?: { uid?: unknown } } | undefined;
  return v?.kind !== 'Status' && typeof v?.metadata?.uid === 'string';
}

/**
 * A client whose writes (create, replace, patch, apply, status writes, delete) report what they wrote
 * to `record`; dry runs are not writes. Reads and watches pass through.
 */
export function recordingClient(
  client: KubeClient,
  record: (ref: ResourceRef, written: KubeObject | undefined, target: KubeObject) => void,
): KubeClient {
  const wrote = <T extends KubeObject>(ref: ResourceRef, result: T, dryRun: boolean | undefined): T => {
    if (dryRun !== true) record(ref, result, result);
    return result;
  };
  return {
    get: (ref, name, o) => client.get(ref, name, o),
    list: (ref, o) => client.list(ref, o),
    watch: (ref, o) => client.watch(ref, o),
    close: () => client.close(),
    create: async (ref, obj, o) => wrote(ref, await client.create(ref, obj, o), o?.dryRun),
    replace: async (ref, obj, o) => wrote(ref, await client.replace(ref, obj, o), o?.dryRun),
    patch: async (ref, name, p, o) => wrote(ref, await client.patch(ref, name, p, o), o?.dryRun),
    apply: async (ref, obj, o) => wrote(ref, await client.apply(ref, obj, o), o.dryRun),
    replaceStatus: async (ref, obj, o) => wrote(ref, await client.replaceStatus(ref, obj, o), o?.dryRun),
    patchStatus: async (ref, name, p, o) => wrote(ref, await client.patchStatus(ref, name, p, o), o?.dryRun),
    async delete(ref, name, o) {
      const result = await client.delete(ref, name, o);
      if (o?.dryRun !== true) {
        const gone = target(name, ref.namespaced ? o?.namespace : undefined);
        if (isObject(result)) record(ref, result, gone);
        else record(ref, undefined, gone);
      }
      return result;
    },
  };
}

const target = (name: string, namespace: string | undefined): KubeObject => ({
  metadata: { name, ...(namespace ? { namespace } : {}) },
});
