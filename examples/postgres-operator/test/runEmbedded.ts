/**
 * Runs the operator on the embedded API server with the cluster simulation and a simulated Postgres,
 * creates the sample cluster (`samples/cluster.yaml`, same objects) and prints its status once it is
 * Healthy. Start with {@link runEmbedded}. From the repository root:
 *
 *   node --import ./scripts/ts-register.mjs examples/postgres-operator/test/runEmbedded.ts [--keep]
 *
 * With `--keep` it stays up (Ctrl-C stops it) and prints a kubeconfig for kubectl.
 */
import { databases, startPostgresEnv } from './support/postgresEnv.js';

export async function runEmbedded(keep: boolean): Promise<void> {
  const pg = await startPostgresEnv({ failoverDelaySeconds: 10 });
  try {
    await pg.create('pg', {
      instances: 3,
      parameters: { shared_buffers: '256MB' },
      failoverDelaySeconds: 10,
    });
    await pg.env.client.create(databases, {
      metadata: { name: 'app', namespace: pg.namespace },
      spec: { cluster: 'pg', owner: 'app', reclaimPolicy: 'Retain' },
    });
    const cluster = await pg.healthy('pg', 3);
    console.log(JSON.stringify(cluster.status, null, 2));
    if (!keep) return;
    console.log(`kubectl --kubeconfig ${pg.env.kubeconfigPath} get postgresclusters,pods,svc,secrets`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  } finally {
    await pg.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runEmbedded(process.argv.includes('--keep'));
