/**
 * `/openapi/v2` and `/openapi/v3[...]` routes, backed by the openapi module's documents for the resources
 * served right now (CRDs included).
 *
 * Start with {@link serveOpenApi}; it answers false for paths it does not serve (the caller sends 404).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerState } from '../handlers/context.js';
import { openApiV2, openApiV3GroupVersion, openApiV3Index } from '../openapi/index.js';
import { sendJson } from './respond.js';

export function serveOpenApi(
  state: ServerState,
  _req: IncomingMessage,
  res: ServerResponse,
  path: string,
): boolean {
  const resources = state.registry.all();
  if (path === '/openapi/v2') {
    sendJson(res, 200, openApiV2(resources));
    return true;
  }
  if (path === '/openapi/v3' || path === '/openapi/v3/') {
    sendJson(res, 200, openApiV3Index(resources));
    return true;
  }
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .slice(2);
  let group: string | undefined;
  let version: string | undefined;
  if (parts[0] === 'api' && parts.length === 2) [group, version] = ['', parts[1]];
  else if (parts[0] === 'apis' && parts.length === 3) [group, version] = [parts[1], parts[2]];
  if (group === undefined || version === undefined) return false;
  if (!resources.some((r) => r.group === group && r.version === version)) return false;
  sendJson(res, 200, openApiV3GroupVersion(resources, group, version));
  return true;
}
