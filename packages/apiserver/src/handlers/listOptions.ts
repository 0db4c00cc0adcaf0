/**
 * List and watch query options (`resourceVersion`, `resourceVersionMatch`, `continue`, `limit`,
 * `sendInitialEvents`, `timeoutSeconds`) parsed and validated with the real server's rules and messages.
 *
 * Start with {@link parseListOptions}.
 */
import { badRequest, StatusError, type StatusCause } from '../errors/status.js';
import type { RequestContext } from './context.js';
import { goJsonSyntaxError, goJsonType } from '../http/goJson.js';

export interface ListOptions {
  watch: boolean;
  resourceVersion: string;
  resourceVersionMatch: '' | 'Exact' | 'NotOlderThan';
  continueToken: string;
  limit: number;
  sendInitialEvents: boolean | undefined;
  allowWatchBookmarks: boolean;
  timeoutSeconds: number | undefined;
}

function listOptionsInvalid(causes: StatusCause[]): StatusError {
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  return new StatusError({
    reason: 'Invalid',
    code: 422,
    message: `ListOptions.meta.k8s.io "" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`,
    details: { group: 'meta.k8s.io', kind: 'ListOptions', causes },
  });
}

const forbidden = (field: string, msg: string): StatusCause => ({
  reason: 'FieldValueForbidden',
  message: `Forbidden: ${msg}`,
  field,
});

function bool(v: string | null): boolean {
  return v === 'true' || v === '1';
}

export function parseListOptions(ctx: RequestContext): ListOptions {
  const q = ctx.query;
  const watch = bool(q.get('watch'));
  const rvm = q.get('resourceVersionMatch') ?? '';
  const rv = q.get('resourceVersion') ?? '';
  const cont = q.get('continue') ?? '';
  const limitText = q.get('limit');
  const limit = limitText === null || limitText === '' ? 0 : Number(limitText);
  if (!Number.isInteger(limit))
    throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(limitText)}: invalid syntax`);
  const sie = q.get('sendInitialEvents');
  const sendInitialEvents = sie === null ? undefined : bool(sie);
  const ts = q.get('timeoutSeconds');
  const timeoutSeconds = ts === null || ts === '' ? undefined : Number(ts);
  if (timeoutSeconds !== undefined && !Number.isInteger(timeoutSeconds)) {
    throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(ts)}: invalid syntax`);
  }
  if (rv !== '' && !/^\d+$/.test(rv)) {
    const err = `resourceVersion: Invalid value: ${JSON.stringify(rv)}: strconv.ParseUint: parsing ${JSON.stringify(rv)}: invalid syntax`;
    // A list refuses it as a bad request; a watch passes the storage layer's plain error through (500).
    if (watch) throw new StatusError({ code: 500, message: err });
    throw badRequest(`invalid resource version: ${err}`);
  }

  const causes: StatusCause[] = [];
  if (rvm !== '' && rvm !== 'Exact' && rvm !== 'NotOlderThan') {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(rvm)}: supported values: "Exact", "NotOlderThan", ""`,
      field: 'resourceVersionMatch',
    });
  }
  if (watch) {
    if (rvm !== '' && sendInitialEvents === undefined) {
      causes.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        ),
      );
    }
    if (sendInitialEvents !== undefined && rvm !== 'NotOlderThan') {
      causes.push(
        forbidden(
          'resourceVersionMatch',
          'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
        ),
      );
    }
  } else {
    if (sendInitialEvents !== undefined)
      causes.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
    if (rvm !== '') {
      if (rv === '')
        causes.push(
          forbidden(
            'resourceVersionMatch',
            'resourceVersionMatch is forbidden unless resourceVersion is provided',
          ),
        );
      if (cont !== '')
        causes.push(
          forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'),
        );
      if (rvm === 'Exact' && rv === '0')
        causes.push(
          forbidden(
            'resourceVersionMatch',
            'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
          ),
        );
    }
  }
  if (causes.length > 0) throw listOptionsInvalid(causes);
  if (!watch && cont !== '' && rv !== '' && rv !== '0') {
    throw badRequest('specifying resource version is not allowed when using continue');
  }
  return {
    watch,
    resourceVersion: rv,
    resourceVersionMatch: rvm as ListOptions['resourceVersionMatch'],
    continueToken: cont,
    limit: limit > 0 ? limit : 0,
    sendInitialEvents,
    allowWatchBookmarks: bool(q.get('allowWatchBookmarks')),
    timeoutSeconds,
  };
}

export interface ContinueToken {
  rv: number;
  /** The first key (`namespace/name`) of the next page. */
  start: string;
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]$/;

/** Go's `base64.RawURLEncoding.DecodeString`: the bytes, or `illegal base64 data at input byte N`. */
function decodeRawUrlBase64(text: string): Buffer {
  for (let i = 0; i < text.length; i++) {
    if (!BASE64URL.test(text[i] ?? '')) throw new Error(`illegal base64 data at input byte ${i}`);
  }
  if (text.length % 4 === 1) throw new Error(`illegal base64 data at input byte ${text.length - 1}`);
  return Buffer.from(text, 'base64url');
}

function invalidToken(why: string): StatusError {
  return badRequest(`invalid continue token: continue key is not valid: ${why}`);
}

/** Reads a continue token with the storage layer's checks and texts (400 `invalid continue token: ...`). */
export function decodeContinue(text: string): ContinueToken {
  let data: Buffer;
  try {
    data = decodeRawUrlBase64(text);
  } catch (e) {
    throw invalidToken((e as Error).message);
  }
  const syntax = goJsonSyntaxError(data);
  if (syntax !== undefined) throw invalidToken(syntax);
  const raw = JSON.parse(data.toString('utf8')) as unknown;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    if (raw === null) throw invalidToken('server does not recognize this encoded version ');
    throw invalidToken(
      `json: cannot unmarshal ${goJsonType(raw)} into Go value of type storage.continueToken`,
    );
  }
  const { v, rv, start } = raw as { v?: unknown; rv?: unknown; start?: unknown };
  const fields: [string, unknown, string][] = [
    ['v', v, 'string'],
    ['rv', rv, 'int64'],
    ['start', start, 'string'],
  ];
  for (const [name, value, goType] of fields) {
    const ok =
      value === undefined ||
      value === null ||
      (goType === 'string' ? typeof value === 'string' : Number.isInteger(value));
    if (!ok)
      throw invalidToken(
        `json: cannot unmarshal ${goJsonType(value)} into Go struct field continueToken.${name} of type ${goType}`,
      );
  }
  if (v !== 'meta.k8s.io/v1')
    throw invalidToken(`server does not recognize this encoded version ${typeof v === 'string' ? v : ''}`);
  if (typeof rv !== 'number' || rv === 0)
    throw invalidToken('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof start !== 'string' || start === '')
    throw invalidToken('encoded start key empty (version meta.k8s.io/v1)');
  return { rv, start };
}
