/**
 * Typed API errors: every non-2xx answer becomes an {@link ApiError} subclass chosen from the server's
 * `Status` (reason first, HTTP code second), plus the transport's own failures. Start with
 * {@link apiErrorFrom}, which the client calls on every failed response.
 */
import { StewardError } from '../errors/errors.js';
import type { StewardErrorOptions } from '../errors/errors.js';
import type { Status, StatusCause } from './types.js';

/** What the failed request was, so that messages name it. */
export interface RequestContext {
  method: string;
  path: string;
}

/**
 * An answer from the API server that is not a success. `statusCode` is the HTTP code, `status` the
 * server's Status object (synthesised when the body was not one), `reason` and `causes` come from it.
 */
export class ApiError extends StewardError {
  readonly statusCode: number;
  readonly status: Status;
  readonly reason: string;
  readonly causes: StatusCause[];
  readonly method: string;
  readonly path: string;

  constructor(
    code: string,
    retryable: boolean,
    statusCode: number,
    status: Status,
    request: RequestContext,
    options: StewardErrorOptions & { hint?: string } = {},
  ) {
    const what = status.message ?? `HTTP ${statusCode}`;
    const hint = options.hint === undefined ? '' : ` — ${options.hint}`;
    const reason = status.reason === undefined || status.reason === '' ? '' : ` ${status.reason}`;
    super(
      code,
      `${what} (${request.method} ${request.path}: ${statusCode}${reason})${hint}`,
      retryable,
      options,
    );
    this.statusCode = statusCode;
    this.status = status;
    this.reason = status.reason ?? '';
    this.causes = status.details?.causes ?? [];
    this.method = request.method;
    this.path = request.path;
  }
}

/** The constructor shape every ApiError subclass has. */
export type ApiErrorClass = new (
  statusCode: number,
  status: Status,
  request: RequestContext,
  options?: StewardErrorOptions,
) => ApiError;

function kind(code: string, retryable: boolean, hint?: string): ApiErrorClass {
  return class extends ApiError {
    constructor(
      statusCode: number,
      status: Status,
      request: RequestContext,
      options: StewardErrorOptions = {},
    ) {
      super(
        code,
        retryable,
        statusCode,
        status,
        request,
        hint === undefined ? options : { ...options, hint },
      );
    }
  };
}

/** 404: the object (or its namespace, or the resource) does not exist. Not retried: wait for a change. */
export class NotFoundError extends kind('API_NOT_FOUND', false) {}
/** 409 AlreadyExists: a create met an object of that name. Not retried: get or replace it instead. */
export class AlreadyExistsError extends kind(
  'API_ALREADY_EXISTS',
  false,
  'get the existing object, or replace it',
) {}
/** 409 Conflict: a stale resourceVersion or a failed precondition. Retried: re-read, then write again. */
export class ConflictError extends kind('API_CONFLICT', true, 're-read the object and write again') {}
/** 422 Invalid: the object failed validation; `causes` names each field. Not retried: fix the object. */
export class InvalidError extends kind('API_INVALID', false) {}
/** 400 BadRequest: a malformed request. Not retried. */
export class BadRequestError extends kind('API_BAD_REQUEST', false) {}
/** 410 Gone: the resourceVersion is older than the server's history. Retried: list again, then watch. */
export class GoneError extends kind('API_GONE', true, 'list again and watch from the new resourceVersion') {}
/** 410 with reason Expired (compacted resourceVersion, expired continue token). A {@link GoneError}. */
export class ExpiredError extends GoneError {}
/** 429: throttled. `retryAfterSeconds` comes from Retry-After (or the Status). Retried after it. */
export class TooManyRequestsError extends kind('API_TOO_MANY_REQUESTS', true) {
  get retryAfterSeconds(): number | undefined {
    return this.status.details?.retryAfterSeconds;
  }
}
/** 403: RBAC refused, or the namespace is terminating. Retried with backoff: permissions get granted. */
export class ForbiddenError extends kind('API_FORBIDDEN', true, 'check the RBAC rules of this identity') {}
/** 401: the credentials were refused. Retried with backoff: tokens and certificates rotate. */
export class UnauthorizedError extends kind('API_UNAUTHORIZED', true, 'check the kubeconfig credentials') {}
/** 5xx, or 504/Timeout reasons: the server failed. Retried. */
export class ServerError extends kind('API_SERVER_ERROR', true) {}
/** 405, 406, 415 and other answers no class above covers. Not retried. */
export class UnexpectedApiError extends kind('API_ERROR', false) {}

/**
 * A watch saw no bytes (no event, no bookmark) within its inactivity deadline: the connection is
 * probably half-open behind a load balancer or NAT. Retried: reconnect from the last resourceVersion.
 */
export class WatchIdleError extends StewardError {
  readonly idleTimeoutMs: number;
  constructor(path: string, idleTimeoutMs: number) {
    super(
      'WATCH_IDLE',
      `watch ${path} received nothing for ${idleTimeoutMs} ms; reconnect from the last resourceVersion (ask for bookmarks to keep quiet watches alive)`,
      true,
    );
    this.idleTimeoutMs = idleTimeoutMs;
  }
}

/** The connection failed, reset, or timed out before an answer. Retried. */
export class TransportError extends StewardError {
  constructor(request: RequestContext, detail: string, options: StewardErrorOptions = {}) {
    super('TRANSPORT', `${request.method} ${request.path}: ${detail}`, true, options);
  }
}

/** A request that cannot be built: a namespaced resource without a namespace, an object without a name. */
export class ClientUsageError extends StewardError {
  constructor(message: string) {
    super('CLIENT_USAGE', message, false);
  }
}

function isStatus(body: unknown): body is Status {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'Status';
}

/** Reads a Retry-After header as seconds (integer form, or an HTTP date). */
export function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Builds the typed error for a failed answer. The body is parsed as a Status when it is one; otherwise
 * (proxies, the mux's text/plain 404) a Status is synthesised from the code and the text.
 */
export function apiErrorFrom(
  statusCode: number,
  bodyText: string,
  request: RequestContext,
  retryAfterHeader?: string | string[],
): ApiError {
  let status: Status;
  try {
    const parsed: unknown = JSON.parse(bodyText);
    status = isStatus(parsed) ? parsed : synthesise(statusCode, bodyText);
  } catch {
    status = synthesise(statusCode, bodyText);
  }
  const retryAfter = parseRetryAfter(retryAfterHeader);
  if (retryAfter !== undefined && status.details?.retryAfterSeconds === undefined) {
    status = { ...status, details: { ...status.details, retryAfterSeconds: retryAfter } };
  }
  return new (errorClass(statusCode, status.reason))(statusCode, status, request);
}

function synthesise(statusCode: number, text: string): Status {
  const message = text.trim().slice(0, 500);
  return {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code: statusCode,
    ...(message === '' ? {} : { message }),
  };
}

function errorClass(statusCode: number, reason: string | undefined): ApiErrorClass {
  switch (reason) {
    case 'NotFound':
      return NotFoundError;
    case 'AlreadyExists':
      return AlreadyExistsError;
    case 'Conflict':
      return ConflictError;
    case 'Invalid':
      return InvalidError;
    case 'Expired':
      return ExpiredError;
    case 'Gone':
      return GoneError;
    case 'TooManyRequests':
      return TooManyRequestsError;
    case 'Forbidden':
      return ForbiddenError;
    case 'Unauthorized':
      return UnauthorizedError;
    case 'Timeout':
    case 'ServerTimeout':
    case 'InternalError':
    case 'ServiceUnavailable':
      return ServerError;
    case 'BadRequest':
      return BadRequestError;
    default:
  }
  if (statusCode === 404) return NotFoundError;
  if (statusCode === 409) return ConflictError;
  if (statusCode === 422) return InvalidError;
  if (statusCode === 410) return GoneError;
  if (statusCode === 429) return TooManyRequestsError;
  if (statusCode === 403) return ForbiddenError;
  if (statusCode === 401) return UnauthorizedError;
  if (statusCode === 400) return BadRequestError;
  if (statusCode >= 500) return ServerError;
  return UnexpectedApiError;
}
