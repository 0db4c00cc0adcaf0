/**
 * The Postgres operator as one value: its name, its resources, and a `setup` that registers its two
 * controllers on a manager. Start with {@link postgresOperator}; `main.ts` runs it on a cluster, the
 * tests run it on the embedded API server with a simulated Postgres.
 */
import { addController, defineOperator } from '@steward/core';
import type { PostgresAdmin } from './admin/postgresAdmin.js';
import { PostgresCluster } from './api/postgresCluster.js';
import { PostgresDatabase } from './api/postgresDatabase.js';
import { PostgresClusterController } from './controllers/clusterController.js';
import { PostgresDatabaseController } from './controllers/databaseController.js';
import { defaultResolveInstance } from './controllers/observe.js';
import type { ResolveInstance } from './controllers/observe.js';

export interface PostgresOperatorOptions {
  /** How the operator talks to Postgres: `pgAdmin()` on a cluster, `simulatedPostgres().admin` in tests. */
  admin: PostgresAdmin;
  /** Where an instance's Postgres listens; default the pod IP, port 5432. */
  resolveInstance?: ResolveInstance;
  /** Default for clusters without `spec.failoverDelaySeconds` (default 30 s). */
  failoverDelaySeconds?: number;
  /**
   * How long a switchover waits, with the primary's writes stopped, for its target to replay them
   * before it gives up and lets the primary take writes again (default 60 s).
   */
  switchoverTimeoutSeconds?: number;
  /** The clock for the failover delay; tests may step it. */
  now?: () => number;
}

export function postgresOperator(options: PostgresOperatorOptions) {
  const resolveInstance = options.resolveInstance ?? defaultResolveInstance;
  return defineOperator({
    name: 'postgres-operator',
    resources: [PostgresCluster, PostgresDatabase],
    setup: (m) => {
      addController(
        m,
        new PostgresClusterController({
          admin: options.admin,
          resolveInstance,
          failoverDelaySeconds: options.failoverDelaySeconds ?? 30,
          ...(options.now === undefined ? {} : { now: options.now }),
          ...(options.switchoverTimeoutSeconds === undefined
            ? {}
            : { switchoverTimeoutSeconds: options.switchoverTimeoutSeconds }),
        }),
      );
      addController(m, new PostgresDatabaseController({ admin: options.admin, resolveInstance }));
    },
  });
}
