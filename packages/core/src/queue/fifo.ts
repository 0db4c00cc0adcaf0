/**
 * A growable ring buffer: the work queue's FIFO. `push` and `shift` are O(1) and allocate nothing
 * once the buffer has grown to the queue's high-water mark (an array's `shift()` is O(n) in V8
 * once the array is large).
 */
export class Fifo<T> {
  #items: (T | undefined)[];
  #mask: number;
  #head = 0;
  #size = 0;

  constructor(capacity = 16) {
    let c = 1;
    while (c < capacity) c <<= 1;
    this.#items = Array.from<T | undefined>({ length: c });
    this.#mask = c - 1;
  }

  get length(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size) & this.#mask] = item;
    this.#size++;
  }

  /** The oldest item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    // Clear the slot so a served key can be collected.
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#size--;
    return item;
  }

  clear(): void {
    this.#items.fill(undefined);
    this.#head = 0;
    this.#size = 0;
  }

  #grow(): void {
    const old = this.#items;
    const next = Array.from<T | undefined>({ length: old.length * 2 });
    for (let i = 0; i < this.#size; i++) next[i] = old[(this.#head + i) & this.#mask];
    this.#items = next;
    this.#mask = next.length - 1;
    this.#head = 0;
  }
}
