/**
 * `Storage`: the in-memory object store — one cluster-wide resourceVersion counter, one collection per
 * stored resource, and a bounded event history per collection for watch resume and consistent paging.
 *
 * Start with {@link Storage.collection}; handlers write through {@link Collection.put} and
 * {@link Collection.remove}, which notify watchers synchronously.
 */
import { KeyIndex, snapshotView, type SnapshotView } from './keyIndex.js';
import { storedObject, type KObject, type StoredObject } from './storedObject.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StorageEvent {
  type: EventType;
  rv: number;
  /** The object after the write; for DELETED, the last state (with the deletion's resourceVersion). */
  object: StoredObject;
  /** The state before the write (MODIFIED and DELETED). */
  previous?: StoredObject;
}

export type Listener = (event: StorageEvent) => void;

/** How many events each collection keeps for watch resume (older resumes answer 410). */
export const DEFAULT_HISTORY = 10_000;

/** The objects of one resource (all namespaces), keyed `namespace/name` (cluster-scoped: `/name`). */
export class Collection {
  readonly objects = new Map<string, StoredObject>();
  /** The keys of `objects` in order, kept on writes so a LIST page never sorts the collection. */
  private readonly index = new KeyIndex();
  private history: StorageEvent[] = [];
  private historyStart = 0;
  /** Events with rv > compactedRv are all in `history`. */
  compactedRv: number;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly storage: Storage,
    readonly name: string,
  ) {
    this.compactedRv = storage.compactedRv;
  }

  static key(namespace: string, name: string): string {
    return `${namespace}/${name}`;
  }

  get(namespace: string, name: string): StoredObject | undefined {
    return this.objects.get(Collection.key(namespace, name));
  }

  /**
   * Stores `obj` under a new resourceVersion (written into `metadata.resourceVersion`) and notifies
   * watchers. Returns the stored form.
   */
  put(obj: KObject): StoredObject {
    const rv = this.storage.nextRv();
    const meta = { ...obj.metadata, resourceVersion: String(rv) };
    const stored = storedObject({ ...obj, metadata: meta }, rv);
    const key = Collection.key(stored.namespace, stored.name);
    const previous = this.objects.get(key);
    this.objects.set(key, stored);
    if (!previous) this.index.insert(key);
    this.record(
      previous ? { type: 'MODIFIED', rv, object: stored, previous } : { type: 'ADDED', rv, object: stored },
    );
    return stored;
  }

  /** Removes an object; watchers see DELETED with its last state at the deletion's resourceVersion. */
  remove(namespace: string, name: string): StoredObject | undefined {
    const key = Collection.key(namespace, name);
    const previous = this.objects.get(key);
    if (!previous) return undefined;
    const rv = this.storage.nextRv();
    const meta = { ...previous.obj.metadata, resourceVersion: String(rv) };
    const last = storedObject({ ...previous.obj, metadata: meta }, rv);
    this.objects.delete(key);
    this.index.delete(key);
    this.record({ type: 'DELETED', rv, object: last, previous });
    return last;
  }

  private record(event: StorageEvent): void {
    this.history.push(event);
    if (this.history.length - this.historyStart > this.storage.historyLimit) {
      const dropped = this.history[this.historyStart];
      this.historyStart++;
      if (dropped) this.compactedRv = dropped.rv;
      // Reclaim the array's head now and then instead of shifting on every write.
      if (this.historyStart > 4096) {
        this.history = this.history.slice(this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const l of this.listeners) l(event);
  }

  /** Events with rv > `rv`, oldest first; undefined when history no longer reaches back that far. */
  eventsSince(rv: number): StorageEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    const out: StorageEvent[] = [];
    for (let i = this.history.length - 1; i >= this.historyStart; i--) {
      const e = this.history[i];
      if (!e || e.rv <= rv) break;
      out.push(e);
    }
    return out.reverse();
  }

  /**
   * The collection's objects as they were at resourceVersion `rv` (undo the events after it), or
   * undefined when history has been compacted past `rv`.
   */
  snapshotAt(rv: number): Map<string, StoredObject> | undefined {
    const later = this.eventsSince(rv);
    if (!later) return undefined;
    if (later.length === 0) return this.objects;
    const snap = new Map(this.objects);
    for (let i = later.length - 1; i >= 0; i--) {
      const e = later[i]!;
      const key = Collection.key(e.object.namespace, e.object.name);
      if (e.type === 'ADDED') snap.delete(key);
      else if (e.previous) snap.set(key, e.previous);
    }
    return snap;
  }

  /**
   * The collection as of resourceVersion `rv`, in key order, for paging: the current objects and their
   * index with only the keys changed since `rv` overlaid (no copy), or undefined when history has been
   * compacted past `rv`.
   */
  view(rv: number): SnapshotView | undefined {
    const later = this.eventsSince(rv);
    if (!later) return undefined;
    const overlay = new Map<string, StoredObject | null>();
    // Newest first, so each key ends with its state just before its first change after `rv`.
    for (let i = later.length - 1; i >= 0; i--) {
      const e = later[i]!;
      const key = Collection.key(e.object.namespace, e.object.name);
      overlay.set(key, e.type === 'ADDED' ? null : (e.previous ?? null));
    }
    return snapshotView(this.objects, this.index, overlay);
  }

  /** The current objects in key order (a WatchList's initial events), read from the index: no sort. */
  inKeyOrder(): StoredObject[] {
    const out: StoredObject[] = [];
    for (let i = 0; i < this.index.size; i++) out.push(this.objects.get(this.index.at(i)!)!);
    return out;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops all history: watches and continue tokens older than now answer 410. */
  compact(rv: number): void {
    this.history = [];
    this.historyStart = 0;
    this.compactedRv = rv;
  }
}

/** All collections and the resourceVersion counter they share. */
export class Storage {
  private rv = 1;
  /** The rv below which history is gone for collections created from now on. */
  compactedRv = 0;
  private readonly collections = new Map<string, Collection>();

  constructor(readonly historyLimit = DEFAULT_HISTORY) {}

  get currentRv(): number {
    return this.rv;
  }

  nextRv(): number {
    return ++this.rv;
  }

  /** The collection for a stored resource, named `plural` or `plural.group`; created on first use. */
  collection(name: string): Collection {
    let c = this.collections.get(name);
    if (!c) {
      c = new Collection(this, name);
      this.collections.set(name, c);
    }
    return c;
  }

  /** Forgets a collection entirely (after a CRD's objects are all deleted). */
  drop(name: string): void {
    this.collections.delete(name);
  }

  /**
   * Marks the current resourceVersion as the start of history, as a real server's watch cache starts
   * at its initial list: watches from older versions get 410.
   */
  startHistory(): void {
    this.compactedRv = this.rv;
    for (const c of this.collections.values()) c.compactedRv = Math.max(c.compactedRv, this.rv);
  }

  /**
   * Drops all history. Compaction takes a resourceVersion of its own, so the version a client last saw
   * is now too old to resume from, while a fresh list gives one that is not.
   */
  compact(): void {
    this.compactedRv = ++this.rv;
    for (const c of this.collections.values()) c.compact(this.rv);
  }
}
