/**
 * The write verbs of {@link KubeClient}, with the HTTP method each sends and where its options
 * argument sits, for clients that wrap another (leadership fencing, recording, fault injection).
 * Start with {@link WRITE_VERBS}.
 */
import type { KubeClient } from './types.js';

export type WriteVerb = 'create' | 'replace' | 'patch' | 'apply' | 'delete' | 'replaceStatus' | 'patchStatus';

export interface WriteVerbInfo {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The index of the options argument (`{ namespace, signal, … }`) in the verb's parameters. */
  optionsAt: number;
}

export const WRITE_VERBS: Readonly<Record<WriteVerb, WriteVerbInfo>> = {
  create: { method: 'POST', optionsAt: 2 },
  replace: { method: 'PUT', optionsAt: 2 },
  patch: { method: 'PATCH', optionsAt: 3 },
  apply: { method: 'PATCH', optionsAt: 2 },
  delete: { method: 'DELETE', optionsAt: 2 },
  replaceStatus: { method: 'PUT', optionsAt: 2 },
  patchStatus: { method: 'PATCH', optionsAt: 3 },
} satisfies Record<WriteVerb, WriteVerbInfo> & Partial<Record<keyof KubeClient, WriteVerbInfo>>;
