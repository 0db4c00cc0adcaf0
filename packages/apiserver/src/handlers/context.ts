/**
 * The state every handler shares (`ServerState`) and the per-request context (`RequestContext`) the
 * router builds for a resource request.
 *
 * Start with {@link RequestContext}; `apiServer.ts` builds the {@link ServerState}.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatusCause } from '../errors/status.js';
import type { Registry } from '../registry/registry.js';
import type { ResourceInfo } from '../registry/types.js';
import type { Storage } from '../storage/storage.js';
import type { KObject } from '../storage/storedObject.js';
import type { WatchHub } from '../watch/watchHub.js';

/** What a CRD's schema offers the write path (compiled by the schema module). */
export interface CompiledSchema {
  applyDefaults(obj: KObject): void;
  /** Removes unknown fields; returns their paths (`spec.foo`). */
  prune(obj: KObject): string[];
  validate(obj: KObject, old?: KObject): StatusCause[];
}

export interface ServerState {
  readonly storage: Storage;
  readonly registry: Registry;
  readonly watches: WatchHub;
  /** How often watches with `allowWatchBookmarks` get a BOOKMARK (ms). */
  readonly bookmarkIntervalMs: number;
  /** The compiled schema of a CRD-backed resource (cached per CRD generation), if any. */
  schemaFor(info: ResourceInfo): CompiledSchema | undefined;
  /** Called after every committed write of a CRD object, so served resources follow it. */
  onCrdWritten(crd: KObject | undefined, name: string): void;
}

export interface RequestContext {
  readonly state: ServerState;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly info: ResourceInfo;
  /** The namespace from the path; '' for cluster-scoped or all-namespace requests. */
  readonly namespace: string;
  /** The object name from the path; '' for collection requests. */
  readonly name: string;
  /** '' | 'status' | 'scale' | ... */
  readonly subresource: string;
  readonly query: URLSearchParams;
  /** `Warning` headers to send with the response. */
  readonly warnings: string[];
}

export function apiVersionOf(info: ResourceInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

export function isCustom(info: ResourceInfo): boolean {
  return info.crdName !== undefined;
}
