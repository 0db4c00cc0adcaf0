/**
 * Reconcile throughput: `BENCH_CRS` (default 5 000) Widgets exist at once; a controller is started and
 * timed until every Widget has been reconciled and its ConfigMap and Secret exist. Three controllers
 * race on one embedded API server (a worker thread; `BENCH_SERVER=inline` shares this thread, and
 * `BENCH_FRESH_SERVER=1` starts one per race), each in a namespace of its own: Steward's
 * `controller()`, a careful one written directly on client-node's `makeInformer` (same worker count),
 * and `@dot-i/k8s-operator`. After a small warm-up, `BENCH_ROUNDS` (3) rounds run all three in rotated
 * order; one `BENCH` line per comparison of medians (Widgets/s). The contenders are in
 * reconcileContenders.fixture.ts. `BENCH_WORKERS` (16) sets the workers of ours and of the client-node
 * baseline; `BENCH_ONLY=steward` (or client-node, dot-i) times one alone, for `node --cpu-prof`. */
import { KubeConfig } from '@kubernetes/client-node';
import { createMany, median, report } from '../../apiserver/bench/fixtures.js';
import { createWidgetCrd, widgets } from '../src/client/testServer.fixture.js';
import { builtin, kubeClient } from '../src/index.js';
import type { KubeClient } from '../src/index.js';
import { benchServer } from './benchServer.fixture.js';
import type { BenchServer } from './benchServer.fixture.js';
import { runClientNode, runDotI, runSteward } from './reconcileContenders.fixture.js';
import type { Contender } from './reconcileContenders.fixture.js';

const COUNT = Number(process.env['BENCH_CRS'] ?? 5_000);
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? 16);
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 500);
const INLINE = process.env['BENCH_SERVER'] === 'inline';
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const FRESH = process.env['BENCH_FRESH_SERVER'] === '1';
const LIMIT_MS = Number(process.env['BENCH_TIMEOUT_MS'] ?? 600_000);

type Start = (kc: KubeConfig, namespace: string, onDone: (key: string) => void) => Promise<Contender>;

/** The server every race shares (each in its own namespace), unless `BENCH_FRESH_SERVER=1`. */
let shared: { server: BenchServer; kc: KubeConfig; client: KubeClient } | undefined;
async function serverFor(): Promise<{ server: BenchServer; kc: KubeConfig; client: KubeClient }> {
  if (shared !== undefined) return shared;
  const server = await benchServer(INLINE);
  const kc = new KubeConfig();
  kc.loadFromString(JSON.stringify(server.kubeConfig));
  const client = kubeClient(kc, { qps: Infinity });
  await createWidgetCrd(client, {
    spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } },
  });
  const made = { server, kc, client };
  if (!FRESH) shared = made;
  return made;
}

let races = 0;
/**
 * One timed run in a new namespace: `count` Widgets created (untimed), then the clock runs from the
 * contender's start until `onDone` has been called for every Widget; the children are then counted.
 */
async function race(label: string, count: number, start: Start): Promise<number> {
  const { server, kc, client } = await serverFor();
  const namespace = `bench-${++races}`;
  let contender: Contender | undefined;
  try {
    await client.create(builtin.namespaces, { metadata: { name: namespace } });
    const path = `${server.url}/apis/${widgets.group}/${widgets.version}/namespaces/${namespace}/widgets`;
    await createMany(path, count, (i) => ({
      apiVersion: `${widgets.group}/${widgets.version}`,
      kind: 'Widget',
      metadata: { name: `widget-${i}`, namespace },
      spec: { size: i, color: i % 2 === 0 ? 'blue' : 'green' },
    }));

    const done = new Set<string>();
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const t0 = performance.now();
    const t0us = process.hrtime.bigint() / 1000n;
    contender = await start(kc, namespace, (key) => {
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
    const t1us = process.hrtime.bigint() / 1000n;

    const [configMaps, secrets] = await Promise.all(
      [builtin.configmaps, builtin.secrets].map((ref) =>
        client.list(ref, { namespace, labelSelector: 'widget' }),
      ),
    );
    if (configMaps?.items.length !== count || secrets?.items.length !== count)
      throw new Error(
        `${label}: ${configMaps?.items.length} ConfigMaps and ${secrets?.items.length} Secrets for ${count} Widgets`,
      );
    // The timed window on the monotonic clock `--cpu-prof` stamps samples with (µs), to cut a profile.
    console.error(`# ${label}: ${count} Widgets in ${seconds.toFixed(2)} s (monotonic µs ${t0us}..${t1us})`);
    return count / seconds;
  } finally {
    await contender?.stop();
    if (FRESH) {
      client.close();
      await server.stop();
    }
  }
}

const steward: Start = (kc, namespace, onDone) =>
  runSteward(kubeClient(kc, { qps: Infinity }), namespace, WORKERS, onDone);
const clientNode: Start = (kc, namespace, onDone) => runClientNode(kc, namespace, WORKERS, onDone);
const dotI: Start = (kc, namespace, onDone) =>
  runDotI(JSON.parse(kc.exportConfig()), kc.getCurrentCluster()?.server ?? '', namespace, onDone);

// Warm the JIT (ours, client-node's, @dot-i's and the server's) before anything is timed.
if (WARMUP > 0) {
  await race('warm-up steward', WARMUP, steward);
  await race('warm-up client-node', WARMUP, clientNode);
  await race('warm-up @dot-i/k8s-operator', WARMUP, dotI);
}

// `BENCH_ONLY=steward` (or client-node, dot-i) times one contender and prints no BENCH line: for profiling.
const starts: Record<string, Start> = { steward, 'client-node': clientNode, 'dot-i': dotI };
const only = process.env['BENCH_ONLY'];
const names = only === undefined ? Object.keys(starts) : [only];
const rates = new Map<string, number[]>(names.map((n) => [n, []]));
// Each round runs every contender, in an order rotated per round, so a slow spell of the shared machine
// or a fuller server does not always land on the same one; each reports its median.
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + round) % names.length] ?? '';
    const chosen = starts[name];
    if (chosen === undefined)
      throw new Error(`BENCH_ONLY=${name}: use one of ${Object.keys(starts).join(', ')}`);
    rates.get(name)?.push(await race(`${name} round ${round + 1}`, COUNT, chosen));
  }
}
shared?.client.close();
await shared?.server.stop();
if (only === undefined) {
  const rate = (name: string) => Math.round(median(rates.get(name) ?? []));
  const common = {
    value: rate('steward'),
    unit: 'Widgets reconciled/s, children created (higher is better)',
    objects: COUNT,
    workers: WORKERS,
    rounds: ROUNDS,
    server: `${INLINE ? 'inline' : 'worker thread'}, ${FRESH ? 'fresh per race' : 'shared, namespace per race'}`,
  };
  report({
    name: 'core.controller.reconcile.vsClientNode',
    ...common,
    baseline: rate('client-node'),
    baselineName: `controller on client-node makeInformer, ${WORKERS} workers`,
  });
  report({
    name: 'core.controller.reconcile.vsDotI',
    ...common,
    baseline: rate('dot-i'),
    baselineName: '@dot-i/k8s-operator (its event queue: one event at a time)',
  });
}
