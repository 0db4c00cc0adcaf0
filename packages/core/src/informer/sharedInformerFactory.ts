/**
 * A shared informer factory: one informer, so one list and one watch, per (resource, namespace,
 * selectors, transform) for every controller in the process. Start with {@link sharedInformerFactory}.
 */
import type { KubeObject } from '../client/types.js';
import { informer } from './informer.js';
import { InformerStoppedError } from './informerErrors.js';
import type { Informer, InformerHealth, InformerOptions, ListWatcher } from './informerTypes.js';

/** What a caller asks for; `transformId` names a transform (else the function's identity does). */
export type SharedInformerOptions<T extends KubeObject = KubeObject> = Omit<
  InformerOptions<T>,
  'listWatcher'
> & {
  transformId?: string;
};

export interface SharedInformerFactory {
  /**
   * The informer for these options, created on first request. Later callers with the same resource,
   * namespace, selectors, metadata mode and transform get the same informer, and its first caller's
   * timing options (idle timeout, resync, page size, backoff). Stop the factory, not the informer.
   */
  informer<T extends KubeObject = KubeObject>(options: SharedInformerOptions<T>): Informer<T>;
  /** Starts every informer, and any created afterwards at once. */
  start(): void;
  stop(): Promise<void>;
  /** Resolves when every informer created so far has listed. */
  waitForSync(signal?: AbortSignal): Promise<void>;
  informers(): Informer[];
  /** Health of each informer, keyed as the factory shares them. */
  health(): (InformerHealth & { key: string })[];
}

let nextTransformId = 0;
const transformIds = new WeakMap<object, string>();

function transformIdOf(options: SharedInformerOptions): string {
  if (options.transformId !== undefined) return `id:${options.transformId}`;
  if (options.transform === undefined) return 'default';
  let id = transformIds.get(options.transform);
  if (id === undefined) transformIds.set(options.transform, (id = `fn:${++nextTransformId}`));
  return id;
}

/** The sharing key: one informer per distinct value. */
export function sharedInformerKey(options: SharedInformerOptions): string {
  const { ref } = options;
  return JSON.stringify([
    ref.group,
    ref.version,
    ref.plural,
    options.namespace ?? '',
    options.labelSelector ?? '',
    options.fieldSelector ?? '',
    options.metadataOnly === true,
    transformIdOf(options),
  ]);
}

/** Creates a factory over one client; `defaults` apply to every informer it creates. */
export function sharedInformerFactory(
  listWatcher: ListWatcher,
  defaults: Partial<Omit<InformerOptions, 'listWatcher' | 'ref' | 'transform'>> = {},
): SharedInformerFactory {
  const byKey = new Map<string, Informer>();
  let started = false;
  let stopped = false;
  return {
    informer<T extends KubeObject = KubeObject>(options: SharedInformerOptions<T>): Informer<T> {
      if (stopped) throw new InformerStoppedError('sharedInformerFactory is stopped; create a new factory');
      const key = sharedInformerKey(options);
      let found = byKey.get(key);
      if (found === undefined) {
        const { transformId: _ignored, ...rest } = options;
        found = informer<T>({ ...defaults, ...rest, listWatcher }) as unknown as Informer;
        byKey.set(key, found);
        if (started) found.start();
      }
      return found as unknown as Informer<T>;
    },
    start() {
      started = true;
      for (const inf of byKey.values()) inf.start();
    },
    async stop() {
      stopped = true;
      await Promise.all([...byKey.values()].map((inf) => inf.stop()));
    },
    async waitForSync(signal) {
      await Promise.all([...byKey.values()].map((inf) => inf.waitForSync(signal)));
    },
    informers: () => [...byKey.values()],
    health: () => [...byKey.entries()].map(([key, inf]) => ({ key, ...inf.health() })),
  };
}
