/**
 * A client fenced by leadership: writes are refused, and in-flight ones cancelled, once this process
 * stops leading, so a deposed leader cannot overwrite its successor's work. Start with
 * {@link fencedClient}.
 */
import type { KubeClient, RequestOptions } from '../client/types.js';
import { WRITE_VERBS, type WriteVerb } from '../client/writeVerbs.js';
import { LeadershipLostError } from './managerErrors.js';

/**
 * `client` with every write bound to `signal`: refused with {@link LeadershipLostError} once it has
 * aborted, and aborted mid-flight when it aborts. Reads pass through. `close()` does nothing: the
 * underlying client is shared and the manager closes it.
 */
export function fencedClient(client: KubeClient, signal: AbortSignal, what: string): KubeClient {
  const fenced: Partial<Record<keyof KubeClient, unknown>> = {
    get: client.get.bind(client),
    list: client.list.bind(client),
    watch: client.watch.bind(client),
    close: () => undefined,
  };
  for (const verb of Object.keys(WRITE_VERBS) as WriteVerb[]) {
    const original = client[verb].bind(client) as (...args: unknown[]) => Promise<unknown>;
    fenced[verb] = (...args: unknown[]): Promise<unknown> => {
      if (signal.aborted) {
        return Promise.reject(
          new LeadershipLostError(`${what}: ${verb} not sent, this process no longer leads`, signal.reason),
        );
      }
      const at = WRITE_VERBS[verb].optionsAt;
      const given = args[at] as RequestOptions | undefined;
      const combined = given?.signal === undefined ? signal : AbortSignal.any([signal, given.signal]);
      const next = [...args];
      while (next.length < at) next.push(undefined);
      next[at] = { ...given, signal: combined };
      return original(...next);
    };
  }
  return fenced as KubeClient;
}
