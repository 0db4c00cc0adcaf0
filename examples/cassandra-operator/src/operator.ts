/**
 * The Cassandra operator as one value: its resource and its controller, for a manager, the CLI
 * (`steward manifests`) and tests. Start with {@link cassandraOperator}.
 */
import { addController, defineOperator } from '@steward/core';
import type { OperatorDefinition } from '@steward/core';
import { CassandraDatacenter } from './api/cassandraDatacenter.js';
import { DatacenterController } from './controllers/datacenterController.js';
import type { DatacenterControllerOptions } from './controllers/datacenterController.js';

export type CassandraOperatorOptions = DatacenterControllerOptions;

/**
 * `admin` is how the operator talks to Cassandra: `managementApiAdmin()` on a real cluster,
 * `simulatedRing().admin` in tests; `resolveNode` maps a pod to its management API address.
 */
export function cassandraOperator(options: CassandraOperatorOptions): OperatorDefinition {
  return defineOperator({
    name: 'cassandra-operator',
    resources: [CassandraDatacenter],
    setup: (manager) => {
      addController(manager, new DatacenterController(options));
    },
  });
}
