/**
 * Request-body reading: the 3 MiB limit (413), content-type checks (415) and JSON/YAML decoding (400),
 * with the real server's messages.
 *
 * Start with {@link readBody} and {@link decodeObject}.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, requestEntityTooLarge, StatusError } from '../errors/status.js';
import { goJsonSyntaxError, goJsonType, summarizeBody } from './goJson.js';

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

const TYPE_META_STRUCT =
  'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** apiserver's `transformDecodeError` for a body whose type could not be read. */
export function unrecognized(into: string, err: string, body: Uint8Array): StatusError {
  return badRequest(
    `the object provided is unrecognized (must be of type ${into}): ${err} (${summarizeBody(body)})`,
  );
}

/**
 * Parses a create/update body (JSON, or YAML) into an object of kind `into`; 400 with the real server's
 * decode error (Go's JSON syntax error and an echo of the body) for malformed input. A JSON `null` is an
 * empty object, as Go's decoder leaves the struct untouched.
 */
export function decodeObject(body: Buffer, type: string, into: string): Record<string, unknown> {
  let value: unknown;
  if (
    type === 'application/json' ||
    type === 'application/merge-patch+json' ||
    type === 'application/json-patch+json' ||
    type === 'application/strategic-merge-patch+json'
  ) {
    const syntax = goJsonSyntaxError(body);
    if (syntax !== undefined)
      throw unrecognized(into, `couldn't get version/kind; json parse error: ${syntax}`, body);
    value = JSON.parse(body.toString('utf8'));
  } else if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    try {
      value = parseYaml(body.toString('utf8'));
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0] ?? ''}`);
    }
  } else {
    throw unsupportedBody(type);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw unrecognized(
      into,
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonType(value)} into Go value of type ${TYPE_META_STRUCT}`,
      body,
    );
  }
  for (const field of ['apiVersion', 'kind'] as const) {
    const v = (value as Record<string, unknown>)[field];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      throw unrecognized(
        into,
        `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonType(v)} into Go struct field .${field} of type string`,
        body,
      );
    }
  }
  return value as Record<string, unknown>;
}

/** Parses a patch document; any JSON syntax error is the real server's plain `invalid JSON patch`. */
export function parseJson(text: string): unknown {
  if (goJsonSyntaxError(text) !== undefined) throw badRequest('invalid JSON patch');
  return JSON.parse(text) as unknown;
}
