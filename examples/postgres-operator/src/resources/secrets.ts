/**
 * The Secrets: `<cluster>-superuser` (the operator's own credentials, generated once) and
 * `<cluster>-<database>-credentials` (what an application mounts). Start with {@link superuserSecret}.
 * Passwords are generated only when the Secret does not exist yet: the caller creates, never applies
 * over, so a re-run cannot rotate a password Postgres already holds.
 */
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '@steward/core';
import { LABELS, names } from '../api/labels.js';
import { POSTGRES_PORT } from './instancePod.js';

export const SUPERUSER = 'postgres';

/** 24 random bytes, URL-safe: no character that needs escaping in a connection URI. */
export const generatePassword = (): string => randomBytes(24).toString('base64url');

export function superuserSecret(cluster: string, namespace: string, password: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: names.superuser(cluster), namespace, labels: { [LABELS.cluster]: cluster } },
    type: 'kubernetes.io/basic-auth',
    stringData: { username: SUPERUSER, password },
  };
}

export interface CredentialsInput {
  cluster: string;
  namespace: string;
  database: string;
  user: string;
  password: string;
}

export function credentialsSecret(input: CredentialsInput): KubeObject {
  const { cluster, namespace, database, user, password } = input;
  const host = `${names.readWrite(cluster)}.${namespace}.svc`;
  const port = String(POSTGRES_PORT);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: names.credentials(cluster, database),
      namespace,
      labels: { [LABELS.cluster]: cluster },
    },
    type: 'Opaque',
    stringData: {
      user,
      password,
      host,
      port,
      dbname: database,
      uri: `postgresql://${user}:${password}@${host}:${port}/${database}`,
    },
  };
}

/** A Secret's key, decoded (the API returns `data` base64; a freshly built one has `stringData`). */
export function secretValue(secret: KubeObject | undefined, key: string): string | undefined {
  const s = secret?.['stringData'] as Record<string, string> | undefined;
  if (s?.[key] !== undefined) return s[key];
  const d = secret?.['data'] as Record<string, string> | undefined;
  const raw = d?.[key];
  return raw === undefined ? undefined : Buffer.from(raw, 'base64').toString('utf8');
}
