/**
 * `WatchHub`: the registry of open watches, which the fault-injection hooks reach through
 * `ApiServer.internals.watches()`.
 *
 * Start with {@link ActiveWatch}; `watchStream.ts` creates and registers them.
 */

/** One open watch as tests and fault injection see it. @internal */
export interface ActiveWatch {
  readonly id: number;
  /** `pods`, or `foos.example.com` for a group. */
  readonly resource: string;
  readonly namespace?: string | undefined;
  readonly userAgent: string;
  /** Ends the stream cleanly, as a server-side timeout does. */
  close(): void;
  /** Buffers events instead of sending them (the watcher sees stale state). */
  hold(): void;
  /** Delivers the buffered events and goes live again. */
  resume(): void;
  /** Never writes again and never closes: a half-open connection. */
  halfOpen(): void;
}

export class WatchHub {
  private nextId = 1;
  private readonly open = new Map<number, ActiveWatch>();

  allocateId(): number {
    return this.nextId++;
  }

  add(w: ActiveWatch): void {
    this.open.set(w.id, w);
  }

  remove(id: number): void {
    this.open.delete(id);
  }

  list(): ActiveWatch[] {
    return [...this.open.values()];
  }

  closeAll(): void {
    for (const w of this.list()) w.close();
  }
}
