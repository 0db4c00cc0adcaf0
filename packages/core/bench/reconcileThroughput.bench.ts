/**
 * Reconcile throughput: `BENCH_CRS` (default 5 000) Widgets exist at once; a controller is started and
 * timed until every Widget has been reconciled and its ConfigMap and Secret exist. Three controllers,
 * each on a fresh embedded API server in the same run: Steward's `controller()`, a careful one written
 * directly on client-node's `makeInformer` (same worker count), and `@dot-i/k8s-operator`. One
 * `BENCH` line per comparison (value and baseline in reconciles/s). The contenders are in
 * reconcileContenders.fixture.ts; the server runs in a worker thread unless `BENCH_SERVER=inline`.
 * `BENCH_WORKERS` sets the worker count of both ours and the client-node baseline.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { createMany, report } from '../../apiserver/bench/fixtures.js';
import { createWidgetCrd, widgets } from '../src/client/testServer.fixture.js';
import { builtin, kubeClient } from '../src/index.js';
import { benchServer } from './benchServer.fixture.js';
import { runClientNode, runDotI, runSteward } from './reconcileContenders.fixture.js';
import type { Contender } from './reconcileContenders.fixture.js';

const COUNT = Number(process.env['BENCH_CRS'] ?? 5_000);
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? 16);
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 500);
const INLINE = process.env['BENCH_SERVER'] === 'inline';
const LIMIT_MS = Number(process.env['BENCH_TIMEOUT_MS'] ?? 600_000);
const NAMESPACE = 'bench';

type Start = (kc: KubeConfig, onDone: (key: string) => void) => Promise<Contender>;

/**
 * One timed run on a fresh server: `count` Widgets created (untimed), then the clock runs from the
 * contender's start until `onDone` has been called for every Widget; the children are then counted.
 */
async function race(label: string, count: number, start: Start): Promise<number> {
  const server = await benchServer(INLINE);
  const kc = new KubeConfig();
  kc.loadFromString(JSON.stringify(server.kubeConfig));
  const client = kubeClient(kc, { qps: Infinity });
  let contender: Contender | undefined;
  try {
    await client.create(builtin.namespaces, { metadata: { name: NAMESPACE } });
    await createWidgetCrd(client, {
      spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } },
    });
    const path = `${server.url}/apis/${widgets.group}/${widgets.version}/namespaces/${NAMESPACE}/widgets`;
    await createMany(path, count, (i) => ({
      apiVersion: `${widgets.group}/${widgets.version}`,
      kind: 'Widget',
      metadata: { name: `widget-${i}`, namespace: NAMESPACE },
      spec: { size: i, color: i % 2 === 0 ? 'blue' : 'green' },
    }));

    const done = new Set<string>();
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const t0 = performance.now();
    contender = await start(kc, (key) => {
      done.add(key);
      if (done.size === count) finish();
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      finished,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${label}: ${done.size}/${count} reconciled after ${LIMIT_MS} ms`)),
          LIMIT_MS,
        );
      }),
    ]);
    clearTimeout(timer);
    const seconds = (performance.now() - t0) / 1000;

    const [configMaps, secrets] = await Promise.all(
      [builtin.configmaps, builtin.secrets].map((ref) =>
        client.list(ref, { namespace: NAMESPACE, labelSelector: 'widget' }),
      ),
    );
    if (configMaps?.items.length !== count || secrets?.items.length !== count)
      throw new Error(
        `${label}: ${configMaps?.items.length} ConfigMaps and ${secrets?.items.length} Secrets for ${count} Widgets`,
      );
    console.error(`# ${label}: ${count} Widgets in ${seconds.toFixed(2)} s`);
    return count / seconds;
  } finally {
    await contender?.stop();
    client.close();
    if (contender?.keepServer !== true) await server.stop();
  }
}

const steward: Start = (kc, onDone) =>
  runSteward(kubeClient(kc, { qps: Infinity }), NAMESPACE, WORKERS, onDone);
const clientNode: Start = (kc, onDone) => runClientNode(kc, NAMESPACE, WORKERS, onDone);
const dotI: Start = (kc, onDone) => runDotI(JSON.parse(kc.exportConfig()), NAMESPACE, onDone);

// Warm the JIT of both Node-side controllers first; @dot-i/k8s-operator cannot be stopped for good
// (it restarts its own watch), so it runs once, last.
if (WARMUP > 0) {
  await race('warm-up steward', WARMUP, steward);
  await race('warm-up client-node', WARMUP, clientNode);
}
const base = await race('client-node makeInformer', COUNT, clientNode);
const ours = await race('steward controller()', COUNT, steward);
const dot = await race('@dot-i/k8s-operator', COUNT, dotI);

const common = { value: Math.round(ours), unit: 'Widgets reconciled/s, children created (higher is better)' };
report({
  name: 'core.controller.reconcile.vsClientNode',
  ...common,
  baseline: Math.round(base),
  baselineName: `controller on client-node makeInformer, ${WORKERS} workers`,
  objects: COUNT,
  workers: WORKERS,
  server: INLINE ? 'inline' : 'worker thread',
});
report({
  name: 'core.controller.reconcile.vsDotI',
  ...common,
  baseline: Math.round(dot),
  baselineName: '@dot-i/k8s-operator (its event queue: one at a time)',
  objects: COUNT,
  workers: WORKERS,
  server: INLINE ? 'inline' : 'worker thread',
});
// @dot-i/k8s-operator's restarted watch would keep the process alive.
process.exit(0);
