/**
 * Request-body reading: the 3 MiB limit (413), content-type checks (415) and JSON/YAML decoding (400),
 * with the real server's messages.
 *
 * Start with {@link readBody} and {@link decodeObject}.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, requestEntityTooLarge, StatusError } from '../errors/status.js';

/** The real server's request-body limit (`--max-request-body-bytes` default, 3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    throw requestEntityTooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) {
      req.resume();
      throw requestEntityTooLarge(limit);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** The media type without parameters, lower-cased; `application/json` when absent. */
export function mediaType(req: IncomingMessage): string {
  const raw = req.headers['content-type'];
  if (!raw) return 'application/json';
  return (raw.split(';')[0] ?? '').trim().toLowerCase();
}

/** 415 for a create/update body that is not JSON or YAML. */
export function unsupportedBody(type: string): StatusError {
  return new StatusError({
    reason: 'UnsupportedMediaType',
    code: 415,
    message: `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    details: { causes: [{ reason: 'UnexpectedServerResponse', message: type }] },
  });
}

/** Parses a create/update body (JSON, or YAML) into an object; 400 for malformed input. */
export function decodeObject(body: Buffer, type: string, what: string): Record<string, unknown> {
  let value: unknown;
  const text = body.toString('utf8');
  if (
    type === 'application/json' ||
    type === 'application/merge-patch+json' ||
    type === 'application/json-patch+json' ||
    type === 'application/strategic-merge-patch+json'
  ) {
    value = parseJson(text);
  } else if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    try {
      value = parseYaml(text);
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0] ?? ''}`);
    }
  } else {
    throw unsupportedBody(type);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(
      `${what}: couldn't get version/kind; json parse error: json: cannot unmarshal ${describe(value)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  return value as Record<string, unknown>;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (text.trim() === '') throw badRequest("Object 'Kind' is missing in ''");
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}
