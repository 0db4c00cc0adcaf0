/**
 * Response writing: JSON text with the right headers, `Status` errors, and stored objects converted to the
 * requested version (CRD versions differ only in `apiVersion`).
 *
 * Start with {@link sendText} and {@link objectJson}.
 */
import type { ServerResponse } from 'node:http';
import { StatusError } from '../errors/status.js';
import type { StoredObject } from '../storage/storedObject.js';

export function sendText(
  res: ServerResponse,
  code: number,
  text: string,
  headers: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  sendText(res, code, JSON.stringify(body), headers);
}

export function sendError(
  res: ServerResponse,
  err: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const e =
    err instanceof StatusError
      ? err
      : new StatusError({
          reason: 'InternalError',
          code: 500,
          message: `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`,
          details: { causes: [{ message: err instanceof Error ? err.message : String(err) }] },
        });
  sendText(res, e.code, JSON.stringify(e.status), { ...headers, ...e.headers });
}

/**
 * The object's JSON as `apiVersion` (the stored text when it already is; otherwise only the
 * `apiVersion` field is rewritten, which is all conversion `None` does).
 */
export function objectJson(s: StoredObject, apiVersion: string): string {
  if (s.obj['apiVersion'] === apiVersion || s.typeMetaEnd === 1) return s.json;
  return `{"kind":${JSON.stringify(s.obj['kind'])},"apiVersion":${JSON.stringify(apiVersion)},${s.json.slice(s.typeMetaEnd)}`;
}

/** Header value(s) for `Warning`, as `299 - "<text>"`. */
export function warningHeaders(warnings: string[]): Record<string, string[]> {
  if (warnings.length === 0) return {};
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) };
}
