/**
 * A binary min-heap of delayed keys ordered by ready time, then by insertion order: the waiting room
 * behind `addAfter`. Entries are never removed from the middle; the queue skips stale ones
 * (its `#waiting` map holds each key's current ready time).
 */

export interface DelayedEntry<K> {
  key: K;
  /** Clock time (ms) at which the key becomes ready. */
  at: number;
  seq: number;
}

function before<K>(a: DelayedEntry<K>, b: DelayedEntry<K>): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class DelayHeap<K> {
  readonly #heap: DelayedEntry<K>[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  peek(): DelayedEntry<K> | undefined {
    return this.#heap[0];
  }

  push(key: K, at: number): void {
    const h = this.#heap;
    h.push({ key, at, seq: this.#seq++ });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent]!;
      const c = h[i]!;
      if (!before(c, p)) break;
      h[parent] = c;
      h[i] = p;
      i = parent;
    }
  }

  pop(): DelayedEntry<K> | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      const tmp = h[m]!;
      h[m] = h[i]!;
      h[i] = tmp;
      i = m;
    }
    return top;
  }

  clear(): void {
    this.#heap.length = 0;
  }
}
