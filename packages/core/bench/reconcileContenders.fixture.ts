/**
 * The three controllers the reconcile throughput benchmark races: Steward's `controller()`, one written
 * directly on client-node's `makeInformer`, and one on `@dot-i/k8s-operator`. Each makes, for every
 * Widget, a ConfigMap and a Secret with a controller ownerReference, and calls `onDone(key)` once both
 * exist. Start with {@link runSteward}; the children come from {@link childrenOf}.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, makeInformer } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject, V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import DotI from '@dot-i/k8s-operator';
import type { ResourceEvent } from '@dot-i/k8s-operator';
import { widgets } from '../src/client/testServer.fixture.js';
import { AlreadyExistsError, builtin, controller, sharedInformerFactory } from '../src/index.js';
import type { KubeClient, KubeObject } from '../src/index.js';

/** A running contender; `stop()` ends its watches and workers. */
export interface Contender {
  stop(): Promise<void>;
}
type OnDone = (key: string) => void;

/** The ConfigMap and Secret one Widget owns (names `<widget>-config`, `<widget>-secret`). */
export function childrenOf(widget: KubeObject): { configMap: KubeObject; secret: KubeObject } {
  const { name = '', namespace = '', uid = '' } = widget.metadata;
  const ownerReferences = [
    { apiVersion: widgets.group + '/' + widgets.version, kind: 'Widget', name, uid, controller: true },
  ];
  const spec = (widget['spec'] ?? {}) as { size?: number; color?: string };
  return {
    configMap: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-config`, namespace, ownerReferences, labels: { widget: name } },
      data: { size: String(spec.size ?? 0), color: spec.color ?? '' },
    },
    secret: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${name}-secret`, namespace, ownerReferences, labels: { widget: name } },
      stringData: { password: `pw-${name}` },
    },
  };
}

/** Ours: `controller()` owning ConfigMaps and Secrets; children already in the cache are not re-created. */
export async function runSteward(
  client: KubeClient,
  namespace: string,
  workers: number,
  onDone: OnDone,
): Promise<Contender> {
  const informers = sharedInformerFactory(client);
  const configMaps = informers.informer({ ref: builtin.configmaps, namespace });
  const secrets = informers.informer({ ref: builtin.secrets, namespace });
  const createIfAbsent = async (ref: typeof builtin.configmaps, obj: KubeObject) => {
    const cache = ref === builtin.configmaps ? configMaps : secrets;
    if (cache.store.get(`${namespace}/${obj.metadata.name ?? ''}`) !== undefined) return;
    await client.create(ref, obj).catch((error: unknown) => {
      if (!(error instanceof AlreadyExistsError)) throw error;
    });
  };
  const ctrl = controller({
    name: 'bench-widgets',
    client,
    informers,
    for: widgets,
    owns: [builtin.configmaps, builtin.secrets],
    namespace,
    maxConcurrentReconciles: workers,
    log: () => {},
    async reconcile(widget, ctx) {
      const { configMap, secret } = childrenOf(widget);
      await Promise.all([
        createIfAbsent(builtin.configmaps, configMap),
        createIfAbsent(builtin.secrets, secret),
      ]);
      onDone(ctx.key);
    },
  });
  await ctrl.start();
  return {
    async stop() {
      await ctrl.stop({ deadlineMs: 5_000 });
      await informers.stop();
    },
  };
}

/** client-node's answer to a create of an existing object: 1.x sets `code`, 0.20 `statusCode`. */
function ignoreAlreadyExists(error: unknown): void {
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (code !== 409 && statusCode !== 409) throw error;
}

/**
 * The baseline a careful author writes on client-node 1.4: an informer on the Widget kind, a queue that
 * holds a key once and never hands it to two workers at once (re-queued if it changed meanwhile),
 * `workers` concurrent workers, and create-or-ignore-AlreadyExists for the children.
 */
export async function runClientNode(
  kc: KubeConfig,
  namespace: string,
  workers: number,
  onDone: OnDone,
): Promise<Contender> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const { group, version, plural } = widgets;
  const informer = makeInformer<KubernetesObject>(
    kc,
    `/apis/${group}/${version}/namespaces/${namespace}/${plural}`,
    () => custom.listNamespacedCustomObject({ group, version, namespace, plural }),
  );

  const pending: string[] = [];
  const queued = new Set<string>();
  const active = new Set<string>();
  const sleepers: (() => void)[] = [];
  const stopped = new AbortController();
  const enqueue = (key: string) => {
    pending.push(key);
    sleepers.shift()?.();
  };
  const add = (obj: KubernetesObject) => {
    const key = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
    if (queued.has(key)) return;
    queued.add(key);
    // A key being reconciled goes back on the queue when its worker finishes.
    if (!active.has(key)) enqueue(key);
  };
  const reconcile = async (key: string) => {
    const name = key.slice(key.indexOf('/') + 1);
    const widget = informer.get(name, namespace);
    if (widget === undefined) return;
    const { configMap, secret } = childrenOf(widget as unknown as KubeObject);
    await Promise.all([
      core
        .createNamespacedConfigMap({ namespace, body: configMap as unknown as V1ConfigMap })
        .catch(ignoreAlreadyExists),
      core
        .createNamespacedSecret({ namespace, body: secret as unknown as V1Secret })
        .catch(ignoreAlreadyExists),
    ]);
    onDone(key);
  };
  const work = async () => {
    while (!stopped.signal.aborted) {
      const key = pending.shift();
      if (key === undefined) {
        await new Promise<void>((resolve) => sleepers.push(resolve));
        continue;
      }
      queued.delete(key);
      active.add(key);
      try {
        await reconcile(key);
      } catch {
        queued.add(key); // retried at once; errors are not expected in this benchmark
      } finally {
        active.delete(key);
        if (queued.has(key)) enqueue(key);
      }
    }
  };
  informer.on('add', add);
  informer.on('update', add);
  informer.on('error', () => {
    // client-node's informer stops on a watch error; the documented remedy is to start it again.
    if (!stopped.signal.aborted) setTimeout(() => void informer.start(), 100);
  });
  await informer.start();
  const running = Array.from({ length: workers }, work);
  return {
    async stop() {
      stopped.abort();
      await informer.stop();
      for (const wake of sleepers.splice(0)) wake();
      await Promise.all(running);
    },
  };
}

/**
 * `@dot-i/k8s-operator` used as its README shows: a subclass whose `init()` watches the Widget kind and
 * whose event handler creates the children through the operator's own `k8sApi` (client-node 0.20, which
 * the package brings). It reads the kubeconfig from `KUBECONFIG`, so one is written for the server.
 * Its events are handled one at a time (its async queue); that is the framework's design, kept as is.
 * Its own `stop()` aborts the watch, which it takes for a failed watch and calls `process.exit(1)`; so
 * here its kubeconfig is made to hold every later request forever, then the embedded server ends the
 * watch cleanly (its fault API), and the watch the operator restarts never sends its request.
 */
export async function runDotI(
  kubeConfig: unknown,
  serverUrl: string,
  namespace: string,
  onDone: OnDone,
): Promise<Contender> {
  const file = join(tmpdir(), `steward-bench-kubeconfig-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(kubeConfig));
  process.env['KUBECONFIG'] = file;
  const { group, version, plural } = widgets;
  class WidgetOperator extends DotI.default {
    stopped = false;
    /** From now on, handles no event and sends no request (the restarted watch waits forever). */
    halt(): void {
      this.stopped = true;
      this.kubeConfig.applyToRequest = () => new Promise<void>(() => {});
    }
    protected override async init(): Promise<void> {
      await this.watchResource(group, version, plural, (e) => this.handle(e), namespace);
    }
    private async handle(event: ResourceEvent): Promise<void> {
      if (this.stopped || event.type === DotI.ResourceEventType.Deleted) return;
      const { configMap, secret } = childrenOf(event.object as unknown as KubeObject);
      await Promise.all([
        this.k8sApi.createNamespacedConfigMap(namespace, configMap as never).catch(ignoreAlreadyExists),
        this.k8sApi.createNamespacedSecret(namespace, secret as never).catch(ignoreAlreadyExists),
      ]);
      onDone(`${namespace}/${event.meta.name}`);
    }
  }
  const operator = new WidgetOperator();
  await operator.start();
  return {
    async stop() {
      operator.halt();
      const res = await fetch(`${serverUrl}/steward/faults/close-watches`, {
        method: 'POST',
        body: JSON.stringify({ filter: { resource: `${plural}.${group}`, namespace } }),
      });
      if (!res.ok) throw new Error(`closing @dot-i/k8s-operator's watch: ${res.status} ${await res.text()}`);
      await new Promise((resolve) => setTimeout(resolve, 300)); // its restart is 200 ms later
    },
  };
}
