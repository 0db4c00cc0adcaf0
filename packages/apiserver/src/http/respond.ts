/**
 * Response writing: JSON text with the right headers, `Status` errors, and stored objects converted to the
 * requested version (CRD versions differ only in `apiVersion`).
 *
 * Start with {@link sendText} and {@link objectJson}.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify as stringifyYaml } from 'yaml';
import { StatusError } from '../errors/status.js';
import type { StoredObject } from '../storage/storedObject.js';

/** Responses whose request asked for YAML: their JSON bodies are sent as YAML (see {@link negotiateOutput}). */
const yamlResponses = new WeakSet<ServerResponse>();

const REPRESENTATIONS = 'application/json, application/yaml, application/vnd.kubernetes.protobuf';

/**
 * Picks the response format from `Accept` as the real server does (highest q first, wildcards allowed):
 * JSON or YAML. Protobuf is not served, so a client that accepts only protobuf still gets JSON; a request
 * that accepts none of the server's types is a 406 (go-restful's text for built-ins, the negotiator's for
 * custom resources).
 */
export function negotiateOutput(req: IncomingMessage, res: ServerResponse, custom: boolean): void {
  const accept = req.headers.accept;
  if (accept === undefined || accept.trim() === '') return;
  const clauses = accept
    .split(',')
    .map((raw, i) => {
      const [type = '', ...params] = raw.split(';').map((p) => p.trim());
      const qParam = params.find((p) => p.startsWith('q='));
      return { type: type.toLowerCase(), q: qParam ? Number(qParam.slice(2)) : 1, i };
    })
    .filter((c) => c.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  let protobuf = false;
  for (const c of clauses) {
    if (c.type === 'application/json' || c.type === '*/*' || c.type === 'application/*') return;
    if (c.type === 'application/yaml') {
      yamlResponses.add(res);
      return;
    }
    if (c.type === 'application/vnd.kubernetes.protobuf') protobuf = true;
  }
  if (protobuf) return;
  throw new StatusError({
    reason: 'NotAcceptable',
    code: 406,
    message: custom
      ? `only the following media types are accepted: ${REPRESENTATIONS}`
      : `406: Not Acceptable\n\nAvailable representations: ${REPRESENTATIONS}`,
    ...(custom ? {} : { details: {} }),
  });
}

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
  if (yamlResponses.has(res) && headers['Content-Type'] === undefined) {
    // sigs.k8s.io/yaml's JSONToYAML: the same document, keys sorted.
    text = stringifyYaml(JSON.parse(text), { sortMapEntries: true });
    headers = { ...headers, 'Content-Type': 'application/yaml' };
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
