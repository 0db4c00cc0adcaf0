/**
 * `watchInvariants()`: keeps informers over the kinds a test cares about and checks every invariant on
 * every cache change, recording each violation with the event that showed it. Start with
 * {@link watchInvariants}; invariants are built in `invariant.ts` and `podInvariants.ts`.
 */
import { informer, StewardError } from '@steward/core';
import type { Informer, InformerEvent, KubeClient, KubeObject, ResourceRef } from '@steward/core';
import { waitFor } from '../waitFor.js';
import { selectorMatcher, type LabelSelector } from './labelSelector.js';
import type {
  EventSummary,
  Invariant,
  InvariantCheck,
  InvariantEvent,
  Snapshot,
  Violation,
} from './invariantTypes.js';

/** `assertNone()` found violations; the message lists each with its triggering event. */
export class InvariantViolationError extends StewardError {
  constructor(readonly violations: readonly Violation[]) {
    super(
      'INVARIANT_VIOLATED',
      `${violations.length} invariant violation(s):\n${violations.map(describeViolation).join('\n')}`,
      false,
    );
  }
}

/** A snapshot read of a kind nobody watches: add the kind to `watchInvariants({ kinds })`. */
export class UnwatchedKindError extends StewardError {
  constructor(ref: ResourceRef) {
    super(
      'INVARIANT_KIND_UNWATCHED',
      `invariant snapshot: ${ref.plural}${ref.group ? `.${ref.group}` : ''} is not watched; add its ref to watchInvariants({ kinds }) or to the invariant's kinds`,
      false,
    );
  }
}

export interface WatchInvariantsOptions {
  invariants: readonly Invariant[];
  /** Kinds to watch besides those the invariants name. */
  kinds?: readonly ResourceRef[];
  /** Watch namespaced kinds in this namespace only; default all. */
  namespace?: string;
  /** Called on each violation as it is recorded. */
  onViolation?: (violation: Violation) => void;
}

export interface InvariantWatch {
  /**
   * Every violation so far, in order. A check returning the same message on consecutive events is one
   * violation, recorded when it began; a different message (two Pods down, then three) is another.
   */
  readonly violations: readonly Violation[];
  /** Waits until the caches equal the server, runs the `final` check, and throws if anything was violated. */
  assertNone(options?: { timeout?: number }): Promise<void>;
  /** Waits until every cache equals a fresh LIST of its kind (so no event is still on its way). */
  settle(options?: { timeout?: number }): Promise<void>;
  /** Stops the informers; the violations stay readable. */
  stop(): Promise<void>;
}

export function describeViolation(v: Violation): string {
  const e = v.event;
  const object =
    e.name === undefined ? '' : ` ${e.kind ?? ''} ${e.namespace ? `${e.namespace}/` : ''}${e.name}`;
  const rv = e.resourceVersion === undefined ? '' : ` (resourceVersion ${e.resourceVersion})`;
  return `- ${v.invariant}: ${v.message} [on ${e.type}${object}${rv}]`;
}

const refKey = (ref: ResourceRef): string => `${ref.group}/${ref.plural}`;

function summarize(event: InvariantEvent): EventSummary {
  const o = event.object;
  if (!o) return { type: event.type };
  const meta = o.metadata;
  return {
    type: event.type,
    ...(event.ref ? { kind: event.ref.kind } : {}),
    ...(meta.namespace === undefined ? {} : { namespace: meta.namespace }),
    ...(meta.name === undefined ? {} : { name: meta.name }),
    ...(meta.resourceVersion === undefined ? {} : { resourceVersion: meta.resourceVersion }),
  };
}

function messagesOf(name: string, result: ReturnType<InvariantCheck>): string[] {
  if (result === undefined || result === true) return [];
  if (result === false) return [`${name} does not hold`];
  return typeof result === 'string' ? [result] : [...result];
}

/** Starts informers over the kinds, resolves once they have listed (after the `sync` check). */
export async function watchInvariants(
  client: KubeClient,
  options: WatchInvariantsOptions,
): Promise<InvariantWatch> {
  const refs = new Map<string, ResourceRef>();
  for (const ref of [...(options.kinds ?? []), ...options.invariants.flatMap((i) => i.kinds)])
    refs.set(refKey(ref), ref);
  const informers = new Map<string, Informer>();
  for (const [key, ref] of refs) {
    const namespace = ref.namespaced ? options.namespace : undefined;
    informers.set(
      key,
      informer({ listWatcher: client, ref, ...(namespace === undefined ? {} : { namespace }) }),
    );
  }
  const informerOf = (ref: ResourceRef): Informer => {
    const found = informers.get(refKey(ref));
    if (!found) throw new UnwatchedKindError(ref);
    return found;
  };
  const snapshot: Snapshot = {
    get(ref: ResourceRef, namespace: string | undefined, name: string) {
      const key = ref.namespaced && namespace ? `${namespace}/${name}` : name;
      // The caller names the type it reads, as with CachedReader.get.
      return informerOf(ref).store.get(key) as never;
    },
    list<T extends KubeObject>(
      ref: ResourceRef,
      opts: { namespace?: string; labelSelector?: LabelSelector } = {},
    ) {
      const matches = opts.labelSelector === undefined ? undefined : selectorMatcher(opts.labelSelector);
      return (informerOf(ref).store.list() as T[]).filter(
        (o) =>
          (opts.namespace === undefined || !ref.namespaced || o.metadata.namespace === opts.namespace) &&
          (matches === undefined || matches(o.metadata.labels)),
      );
    },
  };

  const violations: Violation[] = [];
  const checks = options.invariants.map((inv) => ({ inv, check: inv.begin(), failing: new Set<string>() }));
  let synced = false;
  const run = (event: InvariantEvent): void => {
    for (const entry of checks) {
      let messages: string[];
      try {
        messages = messagesOf(entry.inv.name, entry.check(snapshot, event));
      } catch (error) {
        messages = [`the check threw: ${error instanceof Error ? error.message : JSON.stringify(error)}`];
      }
      // A message repeated on the next event is the same violation going on, not a new one.
      for (const message of new Set(messages)) {
        if (entry.failing.has(message)) continue;
        const v: Violation = { invariant: entry.inv.name, message, event: summarize(event), at: Date.now() };
        violations.push(v);
        options.onViolation?.(v);
      }
      entry.failing = new Set(messages);
    }
  };

  const subscriptions: { unsubscribe(): void }[] = [];
  for (const inf of informers.values()) {
    subscriptions.push(
      inf.events$.subscribe((e: InformerEvent) => {
        // The first lists are not changes; they are checked together once all kinds are cached.
        if (!synced || e.initial || e.resync) return;
        run({
          type: e.type,
          ref: inf.ref,
          object: e.object,
          ...(e.oldObject ? { oldObject: e.oldObject } : {}),
        });
      }),
    );
    inf.start();
  }
  const stop = async (): Promise<void> => {
    for (const s of subscriptions.splice(0)) s.unsubscribe();
    await Promise.all([...informers.values()].map((i) => i.stop()));
  };
  try {
    await Promise.all([...informers.values()].map((i) => i.waitForSync()));
  } catch (error) {
    await stop();
    throw error;
  }
  synced = true;
  run({ type: 'sync' });

  const settle = async (opts: { timeout?: number } = {}): Promise<void> => {
    for (const inf of informers.values()) {
      const namespace = inf.ref.namespaced ? options.namespace : undefined;
      const { items } = await client.list(inf.ref, namespace === undefined ? {} : { namespace });
      const wanted = new Map(items.map((o) => [keyOf(o), o.metadata.resourceVersion]));
      await waitFor(
        () => {
          const cached = inf.store.list();
          return (
            cached.length === wanted.size &&
            cached.every((o) => wanted.get(keyOf(o)) === o.metadata.resourceVersion)
          );
        },
        {
          timeout: opts.timeout ?? 10_000,
          interval: 20,
          description: `the ${inf.ref.plural} cache to catch up with the server`,
        },
      );
    }
  };

  return {
    violations,
    settle,
    async assertNone(opts = {}) {
      await settle(opts);
      run({ type: 'final' });
      if (violations.length > 0) throw new InvariantViolationError(violations);
    },
    stop,
  };
}

function keyOf(o: KubeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata.name ?? '');
}
