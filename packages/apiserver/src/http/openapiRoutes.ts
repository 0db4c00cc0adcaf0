/**
 * `/openapi/v2` and `/openapi/v3[...]` routes, backed by the openapi module's documents for the resources
 * served right now.
 *
 * Start with {@link serveOpenApi}; it answers false for paths it does not serve (the caller sends 404).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerState } from '../handlers/context.js';

export function serveOpenApi(_state: ServerState, _req: IncomingMessage, _res: ServerResponse, _path: string): boolean {
  return false;
}
