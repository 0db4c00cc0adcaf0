/**
 * The operator's client under perturbation testing: records every successful write, lets the runner
 * act just before a chosen write is sent (hold watches, inject a 409) and right after its response
 * (crash), and can be killed so a "dead" operator sends nothing more. Start with {@link recordingClient}.
 */
import { resourcePath, StewardError, WRITE_VERBS } from '@steward/core';
import type { KubeClient, KubeObject, ResourceRef, WatchStream, WriteVerb } from '@steward/core';
import type { RecordedWrite } from './perturbationTypes.js';

/** What a killed operator's requests fail with: the process it stands for is gone. */
export class OperatorCrashedError extends StewardError {
  constructor(what: string) {
    super(
      'OPERATOR_CRASHED',
      `${what}: not sent, the operator was crashed by the perturbation runner`,
      false,
    );
  }
}

/** Where a write goes, for request faults that must match exactly it. */
export interface WriteTarget {
  method: RecordedWrite['method'];
  path: string;
}

export interface RecordingHooks {
  /** Before a write attempt is sent; `index` is 1 + the successful writes so far. */
  beforeWrite?: (index: number, target: WriteTarget) => void;
  /** After a successful write's response; return `'crash'` to kill the client there. */
  afterWrite?: (index: number, write: RecordedWrite, ref: ResourceRef) => 'crash' | undefined;
}

export interface RecordingClient {
  readonly client: KubeClient;
  /** Successful writes so far, shared with any earlier incarnation passed as `writes`. */
  readonly writes: RecordedWrite[];
  kill(): void;
  readonly killed: boolean;
}

type Verb = WriteVerb;

function refuse(what: string): Promise<never> {
  return Promise.reject(new OperatorCrashedError(what));
}

/** Events are fire-and-forget notes with random names: neither crash points nor state. */
export function isEventRef(ref: ResourceRef): boolean {
  return ref.kind === 'Event';
}

/** `name`, or `prefix*` for an object named by the server from its `generateName`. */
export function stableName(obj: KubeObject | undefined): string {
  const meta = obj?.metadata;
  const name = meta?.name ?? '';
  const prefix = meta?.generateName;
  return prefix !== undefined && prefix !== '' && name.startsWith(prefix) ? `${prefix}*` : name;
}

function targetOf(verb: Verb, args: unknown[]): { namespace: string | undefined; name: string | undefined } {
  const ref = args[0] as ResourceRef;
  const options = args[WRITE_VERBS[verb].optionsAt] as { namespace?: string } | undefined;
  const body = typeof args[1] === 'object' ? (args[1] as KubeObject | null) : null;
  const namespace = ref.namespaced ? (options?.namespace ?? body?.metadata?.namespace) : undefined;
  const name = typeof args[1] === 'string' ? args[1] : body?.metadata?.name;
  return { namespace, name: verb === 'create' ? undefined : name };
}

/**
 * Wraps `inner`. Writes to Events pass through unrecorded. `writes` may be the list of a crashed
 * incarnation, so numbering goes on across restarts.
 */
export function recordingClient(
  inner: KubeClient,
  hooks: RecordingHooks = {},
  writes: RecordedWrite[] = [],
): RecordingClient {
  let killed = false;
  const wrapped: Partial<Record<keyof KubeClient, unknown>> = {
    get: (...args: Parameters<KubeClient['get']>) => (killed ? refuse('get') : inner.get(...args)),
    list: (...args: Parameters<KubeClient['list']>) => (killed ? refuse('list') : inner.list(...args)),
    watch: (...args: Parameters<KubeClient['watch']>): WatchStream => {
      if (!killed) return inner.watch(...args);
      return {
        close: () => undefined,
        [Symbol.asyncIterator]: () => ({ next: () => refuse('watch') }),
      };
    },
    close: () => inner.close(),
  };
  for (const verb of Object.keys(WRITE_VERBS) as Verb[]) {
    const original = (inner[verb] as (...a: unknown[]) => Promise<unknown>).bind(inner);
    wrapped[verb] = async (...args: unknown[]): Promise<unknown> => {
      const ref = args[0] as ResourceRef;
      if (killed) return refuse(`${verb} ${ref.kind}`);
      if (isEventRef(ref)) return original(...args);
      const { namespace, name } = targetOf(verb, args);
      const index = writes.length + 1;
      const sub = verb === 'replaceStatus' || verb === 'patchStatus' ? 'status' : undefined;
      hooks.beforeWrite?.(index, {
        method: WRITE_VERBS[verb].method,
        path: resourcePath(ref, namespace, name, sub),
      });
      const result = (await original(...args)) as KubeObject | undefined;
      const written: RecordedWrite = {
        verb,
        method: WRITE_VERBS[verb].method,
        kind: ref.kind,
        namespace,
        name: verb === 'create' ? stableName(result) : (name ?? ''),
      };
      // A write that lands after the kill still happened on the server, but a dead process never learns it.
      if (killed) return refuse(`${verb} ${ref.kind} (answered after the crash)`);
      writes.push(written);
      if (hooks.afterWrite?.(writes.length, written, ref) === 'crash') {
        killed = true;
        return refuse(`${verb} ${ref.kind} (the crash point)`);
      }
      return result;
    };
  }
  return {
    client: wrapped as KubeClient,
    writes,
    kill: () => void (killed = true),
    get killed() {
      return killed;
    },
  };
}
