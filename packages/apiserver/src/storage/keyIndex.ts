/**
 * `KeyIndex`: a collection's keys kept sorted as objects are added and removed, and `SnapshotView`, the
 * collection as of an older resourceVersion read through that index plus the few keys changed since,
 * so that a LIST page costs O(page + log n) instead of a sort (or a copy) of the whole collection.
 *
 * Start with {@link KeyIndex}; {@link snapshotView} builds the paging view `Collection.view()` returns.
 */
import type { StoredObject } from './storedObject.js';

/** Keys in UTF-16 code-unit order (`<` on strings), the order etcd's byte order gives ASCII names. */
export class KeyIndex {
  private readonly keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** The position of the first key ≥ `key` (the length when there is none). */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  at(i: number): string | undefined {
    return this.keys[i];
  }

  /** Adds a key that is not yet present (a splice: a memmove, cheap next to the write it belongs to). */
  insert(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
  }

  delete(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }
}

function inRange(k: string, from: string, to: string | undefined): boolean {
  return k >= from && (to === undefined || k < to);
}

/** A collection as of one resourceVersion, read in key order. */
export interface SnapshotView {
  get(key: string): StoredObject | undefined;
  /** The keys present in this snapshot that are ≥ `from` and < `to` (no bound when `to` is undefined), in order. */
  keys(from: string, to: string | undefined): Generator<string>;
  /** How many keys `keys(from, to)` yields, without walking them. */
  count(from: string, to: string | undefined): number;
}

/**
 * The view of `objects` (the current state, indexed by `index`) with `overlay` on top: for each key
 * changed since the snapshot, its state then (`null`: it did not exist then).
 */
export function snapshotView(
  objects: ReadonlyMap<string, StoredObject>,
  index: KeyIndex,
  overlay: ReadonlyMap<string, StoredObject | null>,
): SnapshotView {
  // Keys that existed then but are gone now: few (bounded by the history since the snapshot).
  const extra = [...overlay.entries()]
    .filter(([k, v]) => v !== null && !objects.has(k))
    .map(([k]) => k)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const end = (to: string | undefined): number => (to === undefined ? index.size : index.lowerBound(to));

  return {
    get(key) {
      const o = overlay.get(key);
      if (o !== undefined) return o ?? undefined;
      return objects.get(key);
    },
    *keys(from, to) {
      let i = index.lowerBound(from);
      const stop = end(to);
      let j = 0;
      while (j < extra.length && extra[j]! < from) j++;
      for (;;) {
        const a = i < stop ? index.at(i) : undefined;
        const b = j < extra.length && inRange(extra[j]!, from, to) ? extra[j] : undefined;
        if (a === undefined && b === undefined) return;
        if (b === undefined || (a !== undefined && a < b)) {
          i++;
          // Created after the snapshot: not part of it.
          if (overlay.get(a!) !== null) yield a!;
        } else {
          j++;
          yield b;
        }
      }
    },
    count(from, to) {
      let n = end(to) - index.lowerBound(from);
      for (const [k, v] of overlay) {
        if (!inRange(k, from, to)) continue;
        const now = objects.has(k);
        if (v === null && now) n--;
        else if (v !== null && !now) n++;
      }
      return n;
    },
  };
}
