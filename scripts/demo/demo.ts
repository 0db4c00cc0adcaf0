/**
 * `pnpm demo`: three data-system operators (Postgres, Cassandra, Kafka) in one manager on the embedded
 * API server with the cluster simulation. It applies each example's sample, shows progress live, then
 * does one day-2 operation per system — a Postgres failover after its primary pod is deleted, a
 * Cassandra scale-down, a Kafka broker scale-down with partition moves — and prints a summary table.
 * Exits 0 when everything converged, 1 naming what did not. Flow: {@link main}; the world is in
 * `demoEnv.ts`, the sample handling in `samples.ts`, the live view in `progress.ts`, the steps in
 * `steps.ts`.
 *
 *   pnpm demo                                   # the run, then exit
 *   pnpm demo --keep --kubeconfig ./demo.kubeconfig   # stay up for kubectl; Ctrl-C stops
 */
import { copyFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_NAMESPACE, LEASE, startDemoEnv } from './demoEnv.js';
import { progressView } from './progress.js';
import { demoSamples } from './samples.js';
import { bootstrapSteps, dayTwoSteps, runStep } from './steps.js';
import type { StepResult } from './steps.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { keep: { type: 'boolean', default: false }, kubeconfig: { type: 'string' } },
  });
  if (values.kubeconfig !== undefined && !values.keep)
    console.log('note: --kubeconfig is written only with --keep (the environment is gone after the run)');
  const tty = process.stdout.isTTY && process.env['STEWARD_DEMO_PLAIN'] !== '1';
  const t0 = performance.now();
  console.log(
    'Steward demo: Postgres, Cassandra and Kafka operators in one manager, on a simulated cluster\n',
  );

  const demo = await startDemoEnv();
  const server = demo.env.server?.url ?? '(external)';
  console.log(`API server   ${server} (embedded; simulated nodes, kubelet, volumes, StatefulSets, GC)`);
  console.log(`manager      leader of Lease ${LEASE.namespace}/${LEASE.name}`);
  console.log(
    `             health ${demo.manager.healthUrl ?? '-'}/readyz, metrics ${demo.manager.metricsUrl ?? '-'}/metrics`,
  );
  const view = progressView({
    client: demo.env.client,
    tty,
    skipNamespaces: [LEASE.namespace],
    namespace: DEMO_NAMESPACE,
  });
  const results: StepResult[] = [];
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await view.stop();
    await demo.stop();
  };
  try {
    const samples = await demoSamples(DEMO_NAMESPACE);
    for (const s of samples)
      for (const change of s.changes) console.log(`note         ${s.system} sample (${s.file}): ${change}`);
    console.log(`\nApplying the samples in namespace ${DEMO_NAMESPACE}:\n`);

    const boot = await Promise.all(bootstrapSteps(demo, samples).map((s) => runStep(s, view)));
    results.push(...boot);
    const healthy = new Set(boot.filter((r) => r.ok).map((r) => r.system));
    const dayTwo = dayTwoSteps(demo, samples).filter((s) => {
      if (healthy.has(s.system)) return true;
      results.push({
        system: s.system,
        step: s.step,
        ok: false,
        seconds: 0,
        detail: 'skipped: bootstrap failed',
      });
      return false;
    });
    if (dayTwo.length > 0) view.log('Day 2: one operation per system');
    results.push(...(await Promise.all(dayTwo.map((s) => runStep(s, view)))));
  } catch (error) {
    results.push({ system: 'demo', step: 'run', ok: false, seconds: 0, detail: errorText(error) });
  }
  await view.stop();

  printSummary(results, (performance.now() - t0) / 1000);
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    console.log(`\nNOT CONVERGED: ${failed.map((r) => `${r.system} ${r.step}`).join('; ')}`);
    for (const r of failed) console.log(`  ${r.system} ${r.step}: ${r.detail}`);
    console.log("\nthe manager's last log lines:");
    for (const line of demo.logTail(20)) console.log(`  ${line}`);
  } else {
    console.log('\nall converged: every operation finished and every resource is Ready');
  }

  if (values.keep) {
    await keepRunning(demo, values.kubeconfig, stop);
    return 0; // a clean stop on Ctrl-C
  }
  await stop();
  return failed.length === 0 ? 0 : 1;
}

function printSummary(results: StepResult[], total: number): void {
  const header = ['system', 'step', 'result', 'seconds'];
  const rows = results.map((r) => [r.system, r.step, r.ok ? 'ok' : 'FAILED', r.seconds.toFixed(1)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const fmt = (row: string[]) =>
    row.map((c, i) => (i === 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
  console.log(`\nSummary (total ${total.toFixed(1)} s)\n`);
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const [i, row] of rows.entries()) {
    console.log(fmt(row));
    const detail = results[i]?.detail;
    if (detail && results[i]?.ok) console.log(`  ${' '.repeat(widths[0] ?? 0)}${detail}`);
  }
}

/** `--keep`: the environment stays up for kubectl until SIGINT or SIGTERM. */
async function keepRunning(
  demo: Awaited<ReturnType<typeof startDemoEnv>>,
  kubeconfig: string | undefined,
  stop: () => Promise<void>,
): Promise<void> {
  // Listening before anything is printed: a signal sent on seeing the message finds the handler.
  const signalled = new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  const path = resolve(kubeconfig ?? 'steward-demo.kubeconfig');
  await copyFile(demo.env.kubeconfigPath, path);
  // The live view runs on: a person's own resources and the operators' events show as they happen.
  const view = progressView({
    client: demo.env.client,
    tty: process.stdout.isTTY,
    skipNamespaces: [LEASE.namespace],
    namespace: DEMO_NAMESPACE,
  });
  console.log(`
The environment stays up. In another shell:

  export KUBECONFIG=${path}
  kubectl get pgc,cassdc,kc,kt -A                   # the demo's resources are in namespace ${DEMO_NAMESPACE}
  kubectl apply -f examples/postgres-operator/samples/cluster.yaml   # a new cluster pg in namespace default
  kubectl get pgc pg -w                             # until PHASE Healthy, PRIMARY pg-1
  kubectl delete pod pg-1                           # the primary: a replica is promoted (see PRIMARY)
  kubectl get events --field-selector reason=FailedOver
  kubectl apply -f examples/cassandra-operator/samples/dc1.yaml
  kubectl apply -f examples/kafka-operator/samples/cluster.yaml

metrics  ${demo.manager.metricsUrl ?? '-'}/metrics
health   ${demo.manager.healthUrl ?? '-'}/readyz
Ctrl-C stops everything.
`);
  await signalled;
  console.log('\nstopping: manager (lease released), simulation, API server');
  await view.stop();
  await stop();
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const code = await main().catch((error: unknown) => {
  console.error(
    `demo failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return 1;
});
process.exit(code);
