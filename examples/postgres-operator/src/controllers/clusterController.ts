/**
 * The PostgresCluster controller: keeps exactly one primary, replicas streaming from it, and the
 * Services, Secrets and PDBs around them. Start with {@link PostgresClusterController.reconcile},
 * which reads top-down as the order of concerns: credentials and Services → observe → bootstrap →
 * primary health (failover) → labels and replication → switchover → pods (recreate, scale) →
 * rolling changes → status. Each step that changes the cluster returns, and the next reconcile
 * starts from what that change produced: level-triggered, so a crash at any point resumes.
 */
import { builtin, Controller, resourceRefOf } from '@steward/core';
import type { ContextOf, KubeObject, ReconcileResult } from '@steward/core';
import { PostgresAdminError } from '../admin/adminErrors.js';
import type { PostgresAdmin } from '../admin/postgresAdmin.js';
import { ANNOTATIONS, names, ROLE_FENCED, ROLE_PRIMARY, ROLE_REPLICA } from '../api/labels.js';
import { PostgresCluster } from '../api/postgresCluster.js';
import type { Phase } from '../api/postgresCluster.js';
import { clusterPdbs } from '../resources/pdbs.js';
import { clusterServices } from '../resources/services.js';
import { reportStatus } from './clusterStatus.js';
import { createInstance, deletePod, ensureSuperuser, removeInstance } from './instances.js';
import type { StatusInput } from './clusterStatus.js';
import { observeCluster } from './observe.js';
import type { ResolveInstance } from './observe.js';
import { chooseScaleDownVictim, isStreamingFrom, nextSerial, planRollout } from './planning.js';
import { failover, fenceAllBut, setRole, switchover } from './primaryActions.js';
import type { PrimaryDeps } from './primaryActions.js';

type Cluster = PostgresCluster & KubeObject;
type Ctx = ContextOf<Cluster>;

export interface ClusterControllerOptions {
  admin: PostgresAdmin;
  resolveInstance: ResolveInstance;
  /** Used when a cluster does not set `spec.failoverDelaySeconds`. */
  failoverDelaySeconds: number;
  /** How long a switchover waits for its target to replay the old primary's writes (default 60). */
  switchoverTimeoutSeconds?: number;
  now?: () => number;
}

/** How soon to look again while something is in motion (pods starting, replicas catching up). */
const BUSY_MS = 300;
/** How often a settled cluster is looked at: WAL positions in status, a silently broken stream. */
const IDLE_MS = 15_000;
/** After an aborted switchover, how long a rolling change waits before it stops writes again. */
const SWITCHOVER_RETRY_MS = 60_000;
const clusters = resourceRefOf(PostgresCluster);

@Controller({
  for: PostgresCluster,
  owns: [
    builtin.pods,
    builtin.persistentvolumeclaims,
    builtin.services,
    builtin.secrets,
    builtin.poddisruptionbudgets,
  ],
})
export class PostgresClusterController {
  constructor(private readonly options: ClusterControllerOptions) {}

  async reconcile(cluster: Cluster, ctx: Ctx): Promise<ReconcileResult> {
    const { admin, resolveInstance: resolve } = this.options;
    const { spec } = cluster;
    const ns = ctx.namespace ?? '';
    const credentials = await ensureSuperuser(ctx);
    for (const svc of clusterServices(ctx.name, ns)) await ctx.apply(builtin.services, ctx.own(svc));
    for (const pdb of clusterPdbs(ctx.name, ns, spec.instances))
      await ctx.apply(builtin.poddisruptionbudgets, ctx.own(pdb));

    const observed = await observeCluster(ctx, spec, admin, resolve, credentials);
    const switchoverTimeoutMs = (this.options.switchoverTimeoutSeconds ?? 60) * 1000;
    const clock = (): number => this.now();
    const deps: PrimaryDeps = { ctx, admin, resolve, credentials, observed, switchoverTimeoutMs, now: clock };
    const { instances } = observed;
    const status = cluster.status ?? {};
    // The serial high-water mark follows what exists, not only what this operator recorded: a crash
    // between creating an instance and recording its serial must not leave the mark behind.
    const latestSerial = Math.max(status.latestSerial ?? 0, ...instances.map((i) => i.serial));
    if (latestSerial > 0 && latestSerial !== status.latestSerial) ctx.status.set({ latestSerial });
    const done = (input: Omit<StatusInput, 'instances'>, result: ReconcileResult): ReconcileResult => {
      reportStatus(ctx, { instances, ...input });
      return result;
    };

    // Bootstrap: the first instance runs initdb and is the primary; the others come one by one.
    let primary = status.currentPrimary;
    if (primary === undefined) {
      if (instances.length === 0) {
        await createInstance(cluster, ctx, 1, undefined);
        ctx.status.set({ currentPrimary: names.instance(ctx.name, 1), latestSerial: 1 });
        return done(
          {
            primary: names.instance(ctx.name, 1),
            phase: 'Bootstrapping',
            progress: 'initdb on the first instance',
          },
          { requeueAfter: BUSY_MS },
        );
      }
      primary = (instances.find((i) => i.db?.role === 'primary') ?? instances[0])?.name;
      ctx.status.set({ currentPrimary: primary });
    }
    const current = instances.find((i) => i.name === primary);

    // An instance promoted by a reconcile that crashed before recording it: adopt it, never promote another.
    const promoted = instances.find(
      (i) =>
        i.name !== primary &&
        i.ready &&
        i.db?.role === 'primary' &&
        i.db.timeline > (current?.db?.timeline ?? 0),
    );
    if (promoted !== undefined && primary !== undefined) {
      await fenceAllBut(deps, promoted.name);
      await setRole(deps, promoted.name, ROLE_PRIMARY);
      ctx.status.set({ currentPrimary: promoted.name, currentPrimaryFailingSince: undefined });
      void ctx.events.normal('PrimaryAdopted', `${promoted.name} was promoted; recording it as the primary`);
      return done(
        { primary: promoted.name, phase: 'FailingOver', progress: 'recording the new primary' },
        { requeueAfter: BUSY_MS },
      );
    }

    // Failover: the primary is gone or not ready. Wait the delay (a restart is cheaper than a
    // failover), then fence it and promote the most advanced replica.
    if (current?.ready !== true && primary !== undefined) {
      const replicasReady = instances.some((i) => i.name !== primary && i.ready);
      if (!replicasReady && current?.hasPod !== true) {
        // Nobody to fail over to: bring the primary's pod back on its own data.
        if (current !== undefined || instances.length === 0)
          await createInstance(cluster, ctx, current?.serial ?? 1, undefined);
        return done(
          {
            primary,
            phase: 'Degraded',
            degraded: { reason: 'PrimaryUnavailable', message: `restarting ${primary}` },
          },
          { requeueAfter: BUSY_MS },
        );
      }
      const now = this.now();
      const since =
        status.currentPrimaryFailingSince === undefined ? now : Date.parse(status.currentPrimaryFailingSince);
      if (status.currentPrimaryFailingSince === undefined)
        ctx.status.set({ currentPrimaryFailingSince: new Date(now).toISOString() });
      const delayMs = (spec.failoverDelaySeconds ?? this.options.failoverDelaySeconds) * 1000;
      const degraded = { reason: 'PrimaryUnavailable', message: `primary ${primary} is not ready` };
      if (now - since < delayMs)
        return done(
          { primary, phase: 'Degraded', degraded },
          { requeueAfter: Math.max(50, delayMs - (now - since)) },
        );
      const promotedNow = await failover(deps, primary);
      if (promotedNow === undefined)
        return done({ primary, phase: 'Degraded', degraded }, { requeueAfter: 1000 });
      return done(
        { primary: promotedNow, phase: 'FailingOver', progress: `promoted ${promotedNow}` },
        { requeueAfter: BUSY_MS },
      );
    }
    if (status.currentPrimaryFailingSince !== undefined)
      ctx.status.set({ currentPrimaryFailingSince: undefined });
    if (primary === undefined || current === undefined)
      return done({ primary, phase: 'Degraded' }, { requeueAfter: BUSY_MS });

    // Labels follow status.currentPrimary: any other pod labelled primary is fenced first. Only a
    // replica seen streaming from the primary is labelled replica (and so read through `-ro`); a
    // former primary on a diverged timeline, a replica still on the old primary or one that does not
    // answer is fenced until it streams: its reads could show data the primary never had.
    await fenceAllBut(deps, primary);
    await setRole(deps, primary, ROLE_PRIMARY);
    for (const i of instances) {
      if (i.name !== primary && i.hasPod)
        await setRole(deps, i.name, isStreamingFrom(i, primary) ? ROLE_REPLICA : ROLE_FENCED);
    }
    // A primary whose writes a switchover stopped, and which is still the primary: that switchover
    // was aborted or the operator stopped mid-way. It takes writes again (a switchover that goes
    // ahead now stops them anew, and waits for its target from there).
    const primaryPod = observed.pods.get(primary);
    if (current.db?.writesStopped === true && primaryPod !== undefined && admin.resumeWrites !== undefined) {
      await admin.resumeWrites(resolve(primaryPod), credentials);
      void ctx.events.normal('WritesResumed', `${primary} takes writes again (a switchover did not finish)`);
    }

    // Replication: every ready replica streams from the primary; a former primary that came back
    // (on its old timeline) is rewound and follows too — unless nothing can rewind it (SQL cannot:
    // `pgAdmin()` without a `rejoin` hook), which leaves it fenced and the cluster Degraded.
    const needRewind: string[] = [];
    for (const i of instances) {
      if (i.name === primary || i.db === undefined || isStreamingFrom(i, primary)) continue;
      const pod = observed.pods.get(i.name);
      if (pod === undefined || primaryPod === undefined) continue;
      try {
        await admin.follow(resolve(pod), resolve(primaryPod), credentials);
      } catch (error) {
        if (!(error instanceof PostgresAdminError) || error.code !== 'PG_REJOIN_REQUIRED') throw error;
        needRewind.push(i.name);
        continue;
      }
      if (i.db.role === 'primary')
        void ctx.events.normal('RejoinedAsReplica', `former primary ${i.name} now follows ${primary}`);
    }
    if (needRewind.length > 0) {
      const message =
        `former primary ${needRewind.join(', ')} cannot rejoin: it must be rewound (pg_rewind) and ` +
        `restarted as a standby of ${primary}, which SQL cannot do; run an instance manager in the pod ` +
        `(pgAdmin({ rejoin })), or delete its pod and claim so that it clones ${primary} afresh`;
      void ctx.events.warning('RejoinRequired', message);
      // Nothing else moves meanwhile: a rollout or a switchover would need that instance streaming.
      return done(
        { primary, phase: 'Degraded', degraded: { reason: 'RejoinRequired', message } },
        { requeueAfter: IDLE_MS },
      );
    }

    // A switchover the user asked for: to a named, streaming replica. The request is consumed once it
    // is done, refused (not a streaming replica) or aborted (writes stopped, the target did not catch up).
    const requested = cluster.metadata.annotations?.[ANNOTATIONS.switchoverTo];
    if (requested !== undefined) {
      const outcome = requested === primary ? undefined : await switchover(deps, primary, requested);
      // Too far behind to stop writes for: the request stays, and is tried again as it catches up.
      if (outcome?.kind === 'behind')
        return done({ primary, phase: 'Switchover', progress: outcome.message }, { requeueAfter: BUSY_MS });
      if (outcome?.kind === 'ineligible') {
        void ctx.events.warning(
          'SwitchoverRefused',
          `${requested} is not a ready replica streaming from ${primary}`,
        );
      }
      // Status first (it is compare-and-swap on this resourceVersion), then the request is consumed.
      reportStatus(ctx, {
        instances,
        primary: ctx.status.status['currentPrimary'] as string,
        phase: 'Switchover',
        progress: outcome?.kind === 'aborted' ? outcome.message : 'switchover done',
      });
      await ctx.status.commit({ signal: ctx.signal });
      await ctx.client.patch(
        clusters,
        ctx.name,
        { metadata: { annotations: { [ANNOTATIONS.switchoverTo]: null } } },
        { namespace: ns },
      );
      return { requeueAfter: BUSY_MS };
    }

    // Pods: scale-down victims go (pod first, then its claim); missing pods come back; one new
    // instance at a time while every existing one is ready and streaming.
    const excess = Math.max(0, instances.length - spec.instances);
    const victims = new Set<string>();
    for (let k = 0; k < excess; k++) {
      const v = chooseScaleDownVictim(
        instances.filter((i) => !victims.has(i.name)),
        primary,
      );
      if (v !== undefined) victims.add(v.name);
    }
    for (const name of victims) {
      if (await removeInstance(ctx, name, observed.pods.has(name))) {
        return done({ primary, phase: 'Scaling', progress: `removing ${name}` }, { requeueAfter: BUSY_MS });
      }
    }
    const missing = instances.filter((i) => !i.hasPod && !victims.has(i.name) && !observed.pods.has(i.name));
    for (const i of missing) await createInstance(cluster, ctx, i.serial, primary);
    if (missing.length > 0)
      return done(
        { primary, phase: 'Scaling', progress: `recreating ${missing.map((i) => i.name).join(', ')}` },
        { requeueAfter: BUSY_MS },
      );
    const settled = instances.every((i) => (i.name === primary ? i.ready : isStreamingFrom(i, primary)));
    if (instances.length < spec.instances) {
      if (!settled)
        return done(
          { primary, phase: 'Scaling', progress: 'waiting for instances to stream' },
          { requeueAfter: BUSY_MS },
        );
      const serial = nextSerial(status.latestSerial, instances);
      await createInstance(cluster, ctx, serial, primary);
      ctx.status.set({ latestSerial: serial });
      return done(
        { primary, phase: 'Scaling', progress: `adding ${names.instance(ctx.name, serial)}` },
        { requeueAfter: BUSY_MS },
      );
    }

    // Rolling changes: replicas first, then a switchover, then the old primary as a replica.
    const step = planRollout(instances, primary, spec.primaryUpdateStrategy ?? 'unsupervised');
    switch (step.kind) {
      case 'replaceReplica':
      case 'restartPrimary': {
        const name = step.kind === 'replaceReplica' ? step.name : primary;
        await deletePod(ctx, name);
        return done(
          { primary, phase: 'Upgrading', progress: `replacing ${name}` },
          { requeueAfter: BUSY_MS },
        );
      }
      case 'switchover': {
        const abortedAt =
          status.switchoverAbortedAt === undefined ? 0 : Date.parse(status.switchoverAbortedAt);
        const retryIn = abortedAt + SWITCHOVER_RETRY_MS - this.now();
        if (retryIn > 0) {
          const progress = `a switchover was aborted (its target did not catch up); trying ${step.to} again in ${Math.ceil(retryIn / 1000)} s`;
          return done({ primary, phase: 'Upgrading', progress }, { requeueAfter: retryIn });
        }
        const outcome = await switchover(deps, primary, step.to);
        if (outcome.kind === 'done')
          return done(
            { primary: step.to, phase: 'Upgrading', progress: `switched over to ${step.to}` },
            { requeueAfter: BUSY_MS },
          );
        const progress = outcome.kind === 'ineligible' ? `${step.to} does not stream` : outcome.message;
        return done({ primary, phase: 'Upgrading', progress }, { requeueAfter: BUSY_MS });
      }
      case 'awaitUser': {
        const progress = `every replica is updated; the primary ${primary} waits for a switchover (annotate ${ANNOTATIONS.switchoverTo})`;
        return done({ primary, phase: 'WaitingForUser', progress }, { requeueAfter: IDLE_MS });
      }
      case 'wait':
        return done({ primary, phase: 'Upgrading', progress: step.reason }, { requeueAfter: BUSY_MS });
      case 'none':
        break;
    }
    const phase: Phase = settled ? 'Healthy' : 'Scaling';
    return done(
      { primary, phase, ...(settled ? {} : { progress: 'waiting for replicas to stream' }) },
      { requeueAfter: settled ? IDLE_MS : BUSY_MS },
    );
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
