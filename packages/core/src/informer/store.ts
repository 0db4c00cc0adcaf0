/**
 * The informer's cache: objects by `namespace/name` key, with indexers kept up to date on every write.
 * Start with {@link store}; readers get the read-only {@link Store} view, the informer owns the writes.
 */
import type { KubeObject } from '../client/types.js';
import { IndexerError } from './informerErrors.js';

/** Maps an object to the index values it is filed under (none, one or several). */
export type IndexFunc<T extends KubeObject = KubeObject> = (obj: T) => readonly string[];

/** Index of objects by `metadata.namespace` ('' for cluster-scoped objects). */
export const NAMESPACE_INDEX = 'namespace';
/** Index of objects by the UID of their controller owner (`ownerReferences[].controller: true`). */
export const CONTROLLER_OWNER_INDEX = 'controllerOwner';

/** The read side of a store, as controllers see it. */
export interface Store<T extends KubeObject = KubeObject> {
  /** Key `namespace/name`, or `name` for cluster-scoped objects. */
  get(key: string): T | undefined;
  list(): T[];
  keys(): string[];
  readonly size: number;
  /** Objects filed under `value` by the indexer `name`; throws when no such indexer exists. */
  byIndex(name: string, value: string): T[];
  /** Adds an indexer and files every cached object under it. Names are unique. */
  addIndexer(name: string, fn: IndexFunc<T>): void;
}

/** A change one write made, for the informer to turn into events. */
export interface StoreChange<T> {
  type: 'add' | 'update' | 'delete';
  object: T;
  oldObject?: T;
}

/** The informer's view: the read side plus writes. */
export interface WritableStore<T extends KubeObject = KubeObject> extends Store<T> {
  /** Inserts or replaces; returns the replaced object. */
  upsert(obj: T): T | undefined;
  /** Removes by key; returns the removed object. */
  remove(key: string): T | undefined;
  /**
   * Swaps the whole content for `items` at once (a relist) and reports what changed: objects gone,
   * objects whose resourceVersion moved, objects new. Readers never see a half-replaced store.
   */
  replace(items: readonly T[]): StoreChange<T>[];
}

/** `namespace/name` for namespaced objects, `name` for cluster-scoped ones (client-go's key). */
export function objectKey(obj: KubeObject): string {
  const { namespace, name = '' } = obj.metadata;
  return namespace ? `${namespace}/${name}` : name;
}

const byNamespace: IndexFunc = (obj) => [obj.metadata.namespace ?? ''];
const byControllerOwner: IndexFunc = (obj) => {
  const owner = obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
  return owner ? [owner.uid] : [];
};

interface Indexer<T extends KubeObject> {
  fn: IndexFunc<T>;
  /** value → keys */
  entries: Map<string, Set<string>>;
}

/** Creates an empty store with the namespace and controller-owner indexers. */
export function store<T extends KubeObject = KubeObject>(): WritableStore<T> {
  let objects = new Map<string, T>();
  const indexers = new Map<string, Indexer<T>>();

  function file(indexer: Indexer<T>, key: string, obj: T): void {
    for (const value of indexer.fn(obj)) {
      let keys = indexer.entries.get(value);
      if (!keys) indexer.entries.set(value, (keys = new Set()));
      keys.add(key);
    }
  }
  function unfile(indexer: Indexer<T>, key: string, obj: T): void {
    for (const value of indexer.fn(obj)) {
      const keys = indexer.entries.get(value);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) indexer.entries.delete(value);
    }
  }
  function rebuild(indexer: Indexer<T>): void {
    indexer.entries.clear();
    for (const [key, obj] of objects) file(indexer, key, obj);
  }

  const s: WritableStore<T> = {
    get: (key) => objects.get(key),
    list: () => [...objects.values()],
    keys: () => [...objects.keys()],
    get size() {
      return objects.size;
    },
    byIndex(name, value) {
      const indexer = indexers.get(name);
      if (!indexer) {
        throw new IndexerError(
          `store has no indexer "${name}"; add it with addIndexer("${name}", fn) before reading it ` +
            `(known: ${[...indexers.keys()].join(', ')})`,
        );
      }
      const result: T[] = [];
      for (const key of indexer.entries.get(value) ?? []) {
        const obj = objects.get(key);
        if (obj !== undefined) result.push(obj);
      }
      return result;
    },
    addIndexer(name, fn) {
      if (indexers.has(name)) throw new IndexerError(`store already has an indexer "${name}"`);
      const indexer: Indexer<T> = { fn, entries: new Map() };
      indexers.set(name, indexer);
      rebuild(indexer);
    },
    upsert(obj) {
      const key = objectKey(obj);
      const old = objects.get(key);
      for (const indexer of indexers.values()) {
        if (old !== undefined) unfile(indexer, key, old);
        file(indexer, key, obj);
      }
      objects.set(key, obj);
      return old;
    },
    remove(key) {
      const old = objects.get(key);
      if (old === undefined) return undefined;
      for (const indexer of indexers.values()) unfile(indexer, key, old);
      objects.delete(key);
      return old;
    },
    replace(items) {
      const next = new Map<string, T>();
      for (const obj of items) next.set(objectKey(obj), obj);
      const changes: StoreChange<T>[] = [];
      for (const [key, old] of objects) {
        const now = next.get(key);
        if (now === undefined) changes.push({ type: 'delete', object: old, oldObject: old });
        else if (now.metadata.resourceVersion !== old.metadata.resourceVersion) {
          changes.push({ type: 'update', object: now, oldObject: old });
        }
      }
      for (const [key, obj] of next) {
        if (!objects.has(key)) changes.push({ type: 'add', object: obj });
      }
      // One assignment: the swap is atomic for every synchronous reader.
      objects = next;
      for (const indexer of indexers.values()) rebuild(indexer);
      return changes;
    },
  };
  s.addIndexer(NAMESPACE_INDEX, byNamespace);
  s.addIndexer(CONTROLLER_OWNER_INDEX, byControllerOwner);
  return s;
}
