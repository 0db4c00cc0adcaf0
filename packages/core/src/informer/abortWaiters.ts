/**
 * `onAbort()`: runs a callback when a signal aborts, through one listener per signal however many
 * callers wait on it, so a process whose many informers share one signal adds a single `abort`
 * listener (no MaxListenersExceededWarning) and leaves none behind once every caller is done.
 *
 * Start with {@link onAbort}.
 */

const waiting = new WeakMap<AbortSignal, { callbacks: Set<() => void>; listener: () => void }>();

/**
 * Calls `callback` once `signal` aborts (at once if it already has). Returns the function that cancels
 * the wait; the signal's listener is removed when its last wait is cancelled or has run.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) {
    callback();
    return () => undefined;
  }
  let entry = waiting.get(signal);
  if (entry === undefined) {
    const callbacks = new Set<() => void>();
    const listener = (): void => {
      waiting.delete(signal);
      for (const c of callbacks) c();
    };
    entry = { callbacks, listener };
    waiting.set(signal, entry);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { callbacks, listener } = entry;
  // A distinct wrapper per call, so the same callback registered twice is cancelled independently.
  const own = (): void => callback();
  callbacks.add(own);
  return () => {
    if (!callbacks.delete(own) || callbacks.size > 0) return;
    waiting.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}
