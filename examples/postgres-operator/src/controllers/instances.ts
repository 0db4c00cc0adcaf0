/**
 * The cluster controller's writes of pods, claims and the superuser Secret: each idempotent, so a
 * reconcile repeated after a crash or a conflict changes nothing twice. Start with {@link createInstance}.
 */
import { AlreadyExistsError, builtin, NotFoundError } from '@steward/core';
import type { ContextOf, KubeObject, ResourceRef } from '@steward/core';
import type { Credentials } from '../admin/postgresAdmin.js';
import { names, ROLE_FENCED, ROLE_PRIMARY } from '../api/labels.js';
import type { PostgresCluster } from '../api/postgresCluster.js';
import { instanceClaim, instancePod } from '../resources/instancePod.js';
import { generatePassword, secretValue, SUPERUSER, superuserSecret } from '../resources/secrets.js';

type Cluster = PostgresCluster & KubeObject;
type Ctx = ContextOf<Cluster>;

async function createIgnoringExisting(ctx: Ctx, ref: ResourceRef, object: KubeObject): Promise<void> {
  try {
    await ctx.client.create(ref, object);
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
  }
}

/** The superuser Secret, created once: an existing one is never overwritten (no accidental rotation). */
export async function ensureSuperuser(ctx: Ctx): Promise<Credentials> {
  const namespace = ctx.namespace ?? '';
  const name = names.superuser(ctx.name);
  let secret = await ctx.reader.get(builtin.secrets, name, { namespace });
  if (secret === undefined) {
    try {
      secret = await ctx.client.create(
        builtin.secrets,
        ctx.own(superuserSecret(ctx.name, namespace, generatePassword())),
      );
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      secret = await ctx.client.get(builtin.secrets, name, { namespace });
    }
  }
  return {
    user: secretValue(secret, 'username') ?? SUPERUSER,
    password: secretValue(secret, 'password') ?? '',
  };
}

/**
 * Creates instance `serial`'s claim, then its pod. Without `source` it initialises (the first
 * instance, or a lone primary whose volume already holds data and so ignores it) and starts labelled
 * primary; with one it clones `source` and starts labelled fenced: a claim that already holds data
 * (a former primary coming back) starts as what it was, maybe on a diverged timeline, so `-ro` may
 * select it only once the operator has seen it stream from the primary.
 */
export async function createInstance(
  cluster: Cluster,
  ctx: Ctx,
  serial: number,
  source: string | undefined,
): Promise<void> {
  const namespace = ctx.namespace ?? '';
  const bootstrap = source === undefined ? { mode: 'initdb' as const } : { mode: 'clone' as const, source };
  const role = source === undefined ? ROLE_PRIMARY : ROLE_FENCED;
  const claim = instanceClaim(ctx.name, namespace, serial, cluster.spec);
  await createIgnoringExisting(ctx, builtin.persistentvolumeclaims, ctx.own(claim));
  const pod = instancePod({ cluster: ctx.name, namespace, serial, spec: cluster.spec, bootstrap, role });
  await createIgnoringExisting(ctx, builtin.pods, ctx.own(pod));
}

/** Deletes a pod; its claim stays, so the instance comes back with its data. True if it wrote. */
export async function deletePod(ctx: Ctx, name: string): Promise<boolean> {
  try {
    await ctx.client.delete(builtin.pods, name, { namespace: ctx.namespace ?? '' });
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

/**
 * Removes a scaled-away instance: its pod, and only once the pod is gone, its claim (a claim deleted
 * under a running Postgres would lose the volume beneath it). True if it wrote.
 */
export async function removeInstance(ctx: Ctx, name: string, hasPod: boolean): Promise<boolean> {
  if (hasPod) return deletePod(ctx, name);
  try {
    await ctx.client.delete(builtin.persistentvolumeclaims, name, { namespace: ctx.namespace ?? '' });
    void ctx.events.normal('InstanceRemoved', `${name} and its volume were removed (scale-down)`);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}
