/**
 * `routeResource()`: parses a resource path (`/api/v1/namespaces/ns/pods/name/status`,
 * `/apis/g/v/plural`, legacy `/watch/` paths) into a request context and calls the verb's handler.
 *
 * Start with {@link routeResource}; it returns false for paths that name no API resource path shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { methodNotAllowed, pathNotFound, StatusError } from '../errors/status.js';
import type { RequestContext, ServerState } from '../handlers/context.js';
import { handleCreate } from '../handlers/create.js';
import { handleDelete } from '../handlers/delete.js';
import { handleDeleteCollection } from '../handlers/deleteCollection.js';
import { handleGet } from '../handlers/get.js';
import { handleList } from '../handlers/list.js';
import { parseListOptions } from '../handlers/listOptions.js';
import { handlePatch } from '../handlers/patch.js';
import { handlePodBinding } from '../handlers/podBinding.js';
import { handlePodEviction } from '../handlers/podEviction.js';
import { handleScaleGet } from '../handlers/scaleGet.js';
import { handleUpdate } from '../handlers/update.js';
import { handleWatch } from '../handlers/watch.js';
import type { ResourceInfo } from '../registry/types.js';
import { negotiateOutput } from './respond.js';

/** Pod subresources that only take a POST (a scheduler's binding, an eviction). */
const POD_CREATE_SUBRESOURCES = new Set(['binding', 'eviction']);

interface Parsed {
  info: ResourceInfo;
  namespace: string;
  name: string;
  subresource: string;
  watchPath: boolean;
}

function parse(state: ServerState, parts: string[]): Parsed | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else {
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  }
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const info = state.registry.lookup(group, version, rest[2] ?? '');
    if (info && info.namespaced) {
      if (rest.length > 5) return undefined;
      return { info, namespace: rest[1] ?? '', name: rest[3] ?? '', subresource: rest[4] ?? '', watchPath };
    }
  }
  const info = state.registry.lookup(group, version, rest[0] ?? '');
  if (!info || rest.length > 3) return undefined;
  return { info, namespace: '', name: rest[1] ?? '', subresource: rest[2] ?? '', watchPath };
}

/** Serves a request under `/api/v1` or `/apis/<g>/<v>` that names a resource. */
export async function routeResource(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  parts: string[],
): Promise<void> {
  const p = parse(state, parts);
  if (!p) throw pathNotFound();
  const query = url.searchParams;
  if (p.watchPath) query.set('watch', 'true');
  const ctx: RequestContext = {
    state,
    req,
    res,
    info: p.info,
    namespace: p.namespace,
    name: p.name,
    subresource: p.subresource,
    query,
    warnings: [],
  };
  const knownSub =
    p.subresource === '' ||
    (p.subresource === 'status' && p.info.subresources.status) ||
    (p.subresource === 'scale' && p.info.subresources.scale !== undefined) ||
    (p.subresource === 'finalize' && p.info.plural === 'namespaces' && p.info.group === '') ||
    (POD_CREATE_SUBRESOURCES.has(p.subresource) && p.info.plural === 'pods' && p.info.group === '');
  if (!knownSub) throw pathNotFound();
  const method = req.method ?? 'GET';
  const verb = verbOf(method, p.name !== '', query);
  if (verb !== 'watch') negotiateOutput(req, res, p.info.crdName !== undefined);
  // A resource without create refuses it here; a terminating CRD's resources refuse it in admission, after
  // decoding (`create.ts`), while existing objects can still be updated so their finalizers can go.
  if (verb === 'create' && !p.info.verbs.includes('create') && !p.info.crdName) throw methodNotAllowed();
  if (p.name === '') {
    switch (method) {
      case 'GET': {
        const opts = parseListOptions(ctx);
        if (opts.watch) handleWatch(ctx, opts);
        else handleList(ctx, opts);
        return;
      }
      case 'POST':
        // The cluster-wide path of a namespaced resource serves list and watch only.
        if (p.info.namespaced && p.namespace === '')
          throw new StatusError({
            reason: 'MethodNotAllowed',
            code: 405,
            message: 'the server does not allow this method on the requested resource',
            details: {},
          });
        return handleCreate(ctx);
      case 'DELETE':
        return handleDeleteCollection(ctx);
      default:
        throw methodNotAllowed();
    }
  }
  if (POD_CREATE_SUBRESOURCES.has(p.subresource) && method !== 'POST') throw methodNotAllowed();
  switch (method) {
    case 'GET':
      if (query.get('watch') === 'true' || query.get('watch') === '1') {
        // A watch on one object is a watch on the collection with a name field selector.
        const named: RequestContext = { ...ctx, name: '', query: withNameSelector(query, p.name) };
        const opts = parseListOptions(named);
        handleWatch(named, opts);
        return;
      }
      if (p.subresource === 'scale') return handleScaleGet(ctx);
      return handleGet(ctx);
    case 'PUT':
      return handleUpdate(ctx);
    case 'PATCH':
      return handlePatch(ctx);
    case 'DELETE':
      return handleDelete(ctx);
    case 'POST':
      // Only the create-only Pod subresources take a POST on a named path.
      if (p.subresource === 'binding') return handlePodBinding(ctx);
      if (p.subresource === 'eviction') return handlePodEviction(ctx);
      throw methodNotAllowed();
    default:
      throw methodNotAllowed();
  }
}

function verbOf(method: string, named: boolean, query: URLSearchParams): string | undefined {
  const watch = query.get('watch') === 'true' || query.get('watch') === '1';
  switch (method) {
    case 'GET':
      return watch ? 'watch' : named ? 'get' : 'list';
    case 'POST':
      return named ? undefined : 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

function withNameSelector(query: URLSearchParams, name: string): URLSearchParams {
  const q = new URLSearchParams(query);
  const existing = q.get('fieldSelector');
  q.set('fieldSelector', existing ? `${existing},metadata.name=${name}` : `metadata.name=${name}`);
  return q;
}
