/**
 * The operator on the embedded API server, with the simulated cluster (StatefulSets, volumes,
 * kubelet) and the simulated ring: prints a kubeconfig to apply `samples/dc1.yaml` with, and runs
 * until Ctrl-C. Run from the repository root:
 * `node --import ./scripts/ts-register.mjs examples/cassandra-operator/test/demo.ts`.
 */
import { startCassandraEnv } from './cassandraEnv.js';

const c = await startCassandraEnv();
const kubectl = `kubectl --kubeconfig ${c.env.kubeconfigPath}`;
console.log(`The operator runs. In another shell:
  ${kubectl} apply -f examples/cassandra-operator/samples/dc1.yaml
  ${kubectl} wait cassandradatacenter/dc1 --for=condition=Ready --timeout=60s
  ${kubectl} get cassandradatacenters,statefulsets,pods,pvc -L cassandra.steward.dev/node-state,cassandra.steward.dev/seed
Ctrl-C stops it.`);
process.once('SIGINT', () => void c.stop().then(() => process.exit(0)));
