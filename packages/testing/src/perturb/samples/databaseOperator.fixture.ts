/**
 * A tiny Database operator for the perturbation runner's tests, with two deliberate bugs that each can
 * be switched off (the fixed twin has neither): a crash between two writes leaves a password that
 * differs between a Secret and the init script, and a stale cache makes it create duplicate init
 * Jobs. Start with {@link databaseOperator}; {@link databaseScenario} and {@link passwordsAgree} are
 * what its tests run. Tests only, not exported.
 */
import { randomBytes } from 'node:crypto';
import { AlreadyExistsError, builtin, refFor } from '@steward/core';
import type { KubeObject, Manager } from '@steward/core';
import { invariant } from '../../invariants/invariant.js';
import type { Snapshot } from '../../invariants/invariantTypes.js';
import type { Step } from '../perturbationTypes.js';

export const databaseCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'databases.samples.steward.dev' },
  spec: {
    group: 'samples.steward.dev',
    names: { kind: 'Database', plural: 'databases', singular: 'database', listKind: 'DatabaseList' },
    scope: 'Namespaced' as const,
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', properties: { version: { type: 'string' } } } },
          },
        },
      },
    ],
  },
};
export const databases = refFor('samples.steward.dev/v1', 'Database', 'databases', true);

export interface DatabaseBugs {
  /**
   * Intermediate state (Sieve): the password is generated on every reconcile and trusted to match
   * the Secret when the init script is written. True only when both are written in one reconcile; a
   * crash (or a 409) between the two writes leaves them different for ever.
   */
  regeneratesPassword?: boolean;
  /**
   * Stale state (Sieve): "is there an init Job?" is answered from the cache, and the Job is created
   * with a generated name through the manager's client, which the reconcile loop's read-your-writes
   * does not see. While the cache lags, every requeue creates another Job.
   */
  duplicatesInitJob?: boolean;
}

type Database = KubeObject & { spec?: { version?: string } };
const secretName = (db: string): string => `${db}-credentials`;
const scriptName = (db: string): string => `${db}-init-script`;
const initScript = (password: string): string => `CREATE USER app PASSWORD '${password}';`;
const dataOf = (obj: KubeObject | undefined): Record<string, string> | undefined =>
  obj?.['data'] as Record<string, string> | undefined;
const fromBase64 = (text: string | undefined): string => Buffer.from(text ?? '', 'base64').toString('utf8');

export function databaseOperator(bugs: DatabaseBugs = {}): (m: Manager) => void {
  return (m) =>
    m.add<Database>({
      name: 'database',
      for: databases,
      owns: [builtin.secrets, builtin.configmaps, builtin.jobs],
      async reconcile(db, ctx) {
        const namespace = ctx.namespace ?? 'default';
        const labels = { database: ctx.name };
        // Phase 1, the init Job (its pod waits for the Secret and the script it mounts), alone in its
        // reconcile.
        const jobs = await ctx.reader.list(builtin.jobs, {
          namespace,
          labelSelector: `database=${ctx.name}`,
        });
        if (jobs.length === 0) {
          const spec = {
            template: {
              spec: { restartPolicy: 'Never', containers: [{ name: 'init', image: 'postgres:17' }] },
            },
          };
          if (bugs.duplicatesInitJob) {
            const metadata = { generateName: `${ctx.name}-init-`, labels };
            await m.client.create(builtin.jobs, ctx.own({ metadata, spec }));
          } else {
            const metadata = { name: `${ctx.name}-init`, labels };
            await ctx.client.create(builtin.jobs, ctx.own({ metadata, spec })).catch(alreadyThere);
          }
          return { requeueAfter: 200 };
        }
        // Phase 2, the credentials: the Secret and the init script that embeds its password.
        const secret = await ctx.reader.get(builtin.secrets, secretName(ctx.name), { namespace });
        const script = await ctx.reader.get(builtin.configmaps, scriptName(ctx.name), { namespace });
        const version = db.spec?.version ?? '16';
        if (secret === undefined || script === undefined) {
          const stored = dataOf(secret)?.['password'];
          const password =
            bugs.regeneratesPassword || stored === undefined
              ? randomBytes(9).toString('base64url')
              : fromBase64(stored);
          if (secret === undefined) {
            const data = { password: Buffer.from(password).toString('base64') };
            await ctx.client.create(
              builtin.secrets,
              ctx.own({ metadata: { name: secretName(ctx.name), labels }, data }),
            );
          }
          if (script === undefined) {
            const data = { 'init.sql': initScript(password), version };
            await ctx.client.create(
              builtin.configmaps,
              ctx.own({ metadata: { name: scriptName(ctx.name), labels }, data }),
            );
          }
          return { requeueAfter: 200 };
        }
        // Phase 3, steady state: the script follows the version.
        if (dataOf(script)?.['version'] !== version) {
          await ctx.client.patch(
            builtin.configmaps,
            scriptName(ctx.name),
            { data: { version } },
            { namespace },
          );
        }
        // A periodic health check, as database operators do: also what re-reads the cache while it lags.
        return { requeueAfter: 200 };
      },
    });
}

function alreadyThere(error: unknown): void {
  if (!(error instanceof AlreadyExistsError)) throw error;
}

/** The invariant the crash bug breaks: the init script creates the user with the Secret's password. */
export const passwordsAgree = invariant(
  'passwordsAgree',
  (snapshot) => {
    for (const script of snapshot.list(builtin.configmaps, { labelSelector: 'database' })) {
      const db = script.metadata.labels?.['database'] ?? '';
      const secret = snapshot.get(builtin.secrets, script.metadata.namespace, secretName(db));
      if (secret === undefined) continue;
      if (dataOf(script)?.['init.sql'] !== initScript(fromBase64(dataOf(secret)?.['password']))) {
        return `ConfigMap ${script.metadata.namespace}/${scriptName(db)} creates the user with another password than Secret ${secretName(db)} holds`;
      }
    }
    return undefined;
  },
  { kinds: [builtin.configmaps, builtin.secrets] },
);

const hasScript = (s: Snapshot, version: string): boolean =>
  s.list(builtin.configmaps, { namespace: 'default' }).some((c) => dataOf(c)?.['version'] === version);

/** Create a Database, wait for its children, change its version, wait for the script to follow. */
export const databaseScenario: Step[] = [
  {
    apply: {
      apiVersion: 'samples.steward.dev/v1',
      kind: 'Database',
      metadata: { name: 'db', namespace: 'default' },
      spec: { version: '16' },
    },
  },
  {
    wait: (s) => hasScript(s, '16') && s.list(builtin.jobs, { namespace: 'default' }).length > 0,
    description: 'the script and the init Job',
  },
  { patch: { ref: databases, namespace: 'default', name: 'db', patch: { spec: { version: '17' } } } },
  { wait: (s) => hasScript(s, '17'), description: 'the script at version 17' },
];
