/**
 * The PostgresDatabase controller: a role and a database on the cluster's primary, and the Secret
 * `<cluster>-<database>-credentials` applications mount. Start with
 * {@link PostgresDatabaseController.reconcile}.
 *
 * Cleanup (finalizer `postgres.steward.dev/postgresdatabase`):
 * - Flow: on deletion, `reclaimPolicy: Delete` drops the database on the primary; `Retain` (the
 *   default) leaves it. The credentials Secret goes with the resource (it is owned by it).
 * - Guarantees: the database is dropped only when the user asked for it, and before the resource goes.
 * - Assumptions: dropping is idempotent (`DROP DATABASE IF EXISTS`), so a repeated cleanup is safe.
 * - Caveats: with `Delete`, a cluster with no ready primary holds the deletion until it has one;
 *   a cluster that is itself gone has nothing left to drop, so the deletion goes through.
 * - Errors: admin failures are retried with backoff; nothing here is terminal.
 */
import { AlreadyExistsError, builtin, Controller, resourceRefOf } from '@steward/core';
import type { ContextOf, KubeObject, ReconcileResult } from '@steward/core';
import type { Credentials, Instance, PostgresAdmin } from '../admin/postgresAdmin.js';
import { names } from '../api/labels.js';
import { PostgresCluster } from '../api/postgresCluster.js';
import { databaseNameOf, PostgresDatabase } from '../api/postgresDatabase.js';
import { credentialsSecret, generatePassword, secretValue, SUPERUSER } from '../resources/secrets.js';
import { isPodReady } from './observe.js';
import type { ResolveInstance } from './observe.js';

type Database = PostgresDatabase & KubeObject;
type Ctx = ContextOf<Database>;
type Cluster = PostgresCluster & KubeObject;

export interface DatabaseControllerOptions {
  admin: PostgresAdmin;
  resolveInstance: ResolveInstance;
}

const WAIT_MS = 500;
const clusters = resourceRefOf(PostgresCluster);

/** The cluster's writable primary and the superuser's credentials, or why they are not available. */
async function primaryOf(
  ctx: Ctx,
  clusterName: string,
  resolve: ResolveInstance,
): Promise<{ instance: Instance; credentials: Credentials } | { missing: string; clusterGone?: boolean }> {
  const namespace = ctx.namespace ?? '';
  const cluster = await ctx.reader.get<Cluster>(clusters, clusterName, { namespace });
  if (cluster === undefined)
    return { missing: `cluster ${namespace}/${clusterName} does not exist`, clusterGone: true };
  const primary = cluster.status?.currentPrimary;
  const pod = primary === undefined ? undefined : await ctx.reader.get(builtin.pods, primary, { namespace });
  if (pod === undefined || !isPodReady(pod))
    return { missing: `cluster ${clusterName} has no ready primary yet` };
  const secret = await ctx.reader.get(builtin.secrets, names.superuser(clusterName), { namespace });
  const password = secretValue(secret, 'password');
  if (password === undefined) return { missing: `Secret ${names.superuser(clusterName)} is not there yet` };
  return {
    instance: resolve(pod),
    credentials: { user: secretValue(secret, 'username') ?? SUPERUSER, password },
  };
}

// No watch on clusters: a database waiting for its cluster polls (WAIT_MS), and once created it
// does not depend on which instance is primary.
@Controller({ for: PostgresDatabase, owns: [builtin.secrets] })
export class PostgresDatabaseController {
  constructor(private readonly options: DatabaseControllerOptions) {}

  async reconcile(db: Database, ctx: Ctx): Promise<ReconcileResult> {
    const namespace = ctx.namespace ?? '';
    const database = databaseNameOf(db);
    const target = await primaryOf(ctx, db.spec.cluster, this.options.resolveInstance);
    if ('missing' in target) {
      ctx.status.setCondition({
        type: 'Ready',
        status: 'False',
        reason: 'ClusterNotReady',
        message: target.missing,
      });
      return { requeueAfter: WAIT_MS };
    }
    // The owner's password is generated once, into the Secret; the Secret is the source of truth.
    const secretName = names.credentials(db.spec.cluster, database);
    let secret = await ctx.reader.get(builtin.secrets, secretName, { namespace });
    if (secret === undefined) {
      const input = {
        cluster: db.spec.cluster,
        namespace,
        database,
        user: db.spec.owner,
        password: generatePassword(),
      };
      try {
        secret = await ctx.client.create(builtin.secrets, ctx.own(credentialsSecret(input)));
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
        secret = await ctx.client.get(builtin.secrets, secretName, { namespace });
      }
    }
    const password = secretValue(secret, 'password') ?? '';
    const { admin } = this.options;
    await admin.ensureRole(target.instance, target.credentials, {
      name: db.spec.owner,
      password,
      login: true,
    });
    await admin.ensureDatabase(target.instance, target.credentials, { name: database, owner: db.spec.owner });
    ctx.status.set({ secretName });
    ctx.status.setCondition({
      type: 'Ready',
      status: 'True',
      reason: 'Created',
      message: `database ${database} owned by ${db.spec.owner}`,
    });
    return undefined;
  }

  async cleanup(db: Database, ctx: Ctx): Promise<ReconcileResult> {
    if ((db.spec.reclaimPolicy ?? 'Retain') !== 'Delete') return undefined;
    const target = await primaryOf(ctx, db.spec.cluster, this.options.resolveInstance);
    if ('missing' in target) {
      if (target.clusterGone === true) return undefined;
      ctx.log.info('waiting for a primary to drop the database', { reason: target.missing });
      return { requeueAfter: WAIT_MS };
    }
    await this.options.admin.dropDatabase(target.instance, target.credentials, databaseNameOf(db));
    void ctx.events.normal(
      'DatabaseDropped',
      `database ${databaseNameOf(db)} dropped (reclaimPolicy: Delete)`,
    );
    return undefined;
  }
}
