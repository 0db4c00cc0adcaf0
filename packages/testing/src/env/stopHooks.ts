/**
 * What an environment runs during `stop()`, before its namespace and server go: the managers that
 * `runManager()` started in it. Kept beside the env (not on it) so the public `TestEnv` stays small.
 * Start with {@link onEnvStop}.
 */
import type { TestEnv } from './testEnvTypes.js';

const hooks = new WeakMap<TestEnv, Set<() => Promise<void>>>();

/** Registers `fn` to run when `env` stops; returns the function that unregisters it. */
export function onEnvStop(env: TestEnv, fn: () => Promise<void>): () => void {
  let set = hooks.get(env);
  if (!set) hooks.set(env, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

/** Runs (and forgets) every hook of `env`, all at once; the first failure is rethrown after all ran. */
export async function runEnvStopHooks(env: TestEnv): Promise<void> {
  const set = hooks.get(env);
  if (!set) return;
  const fns = [...set];
  set.clear();
  const results = await Promise.allSettled(fns.map((fn) => fn()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
