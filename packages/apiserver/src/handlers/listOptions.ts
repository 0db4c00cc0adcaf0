/**
 * List and watch query options (`resourceVersion`, `resourceVersionMatch`, `continue`, `limit`,
 * `sendInitialEvents`, `timeoutSeconds`) parsed and validated with the real server's rules and messages.
 *
 * Start with {@link parseListOptions}.
 */
import { badRequest, StatusError, type StatusCause } from '../errors/status.js';
import type { RequestContext } from './context.js';

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
    throw new StatusError({ reason: 'BadRequest', code: 400, message: `invalid resource version: ${rv}` });
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

export function decodeContinue(text: string): ContinueToken {
  try {
    const raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      v?: unknown;
      rv?: unknown;
      start?: unknown;
    };
    if (raw.v !== 'meta.k8s.io/v1') throw new Error('version');
    if (typeof raw.rv !== 'number' || typeof raw.start !== 'string') throw new Error('shape');
    return { rv: raw.rv, start: raw.start };
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}
