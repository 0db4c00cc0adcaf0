/**
 * Kubernetes `Status` objects: the error (and delete-success) bodies the API server sends.
 *
 * Shapes and messages follow apimachinery's `pkg/api/errors`; start with {@link StatusError}, which
 * handlers throw and the HTTP layer turns into a response.
 */

/** One field-level cause of an `Invalid` (or apply `Conflict`) error. The JSON key is `reason`. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { resourceVersion?: string; continue?: string };
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A failure that the HTTP layer answers with a `Status` body and the status's code. */
export class StatusError extends Error {
  readonly status: Status;
  /** Extra response headers, such as `Retry-After`. */
  readonly headers: Record<string, string>;

  constructor(
    status: Omit<Status, 'kind' | 'apiVersion' | 'metadata' | 'status'> & Partial<Status>,
    headers: Record<string, string> = {},
  ) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
    this.name = 'StatusError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', ...status };
    this.headers = headers;
  }

  get code(): number {
    return this.status.code;
  }
}

/** `pods`, or `foos.example.com` for a group: how the server names a resource in messages. */
export function qualifiedResource(resource: string, group: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

function details(resource: string, group: string, name: string): StatusDetails {
  return group === '' ? { name, kind: resource } : { name, group, kind: resource };
}

export function notFound(resource: string, group: string, name: string): StatusError {
  return new StatusError({
    reason: 'NotFound',
    code: 404,
    message: `${qualifiedResource(resource, group)} "${name}" not found`,
    details: details(resource, group, name),
  });
}

export function alreadyExists(resource: string, group: string, name: string): StatusError {
  return new StatusError({
    reason: 'AlreadyExists',
    code: 409,
    message: `${qualifiedResource(resource, group)} "${name}" already exists`,
    details: details(resource, group, name),
  });
}

export function conflict(resource: string, group: string, name: string, why: string): StatusError {
  return new StatusError({
    reason: 'Conflict',
    code: 409,
    message: `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} "${name}": ${why}`,
    details: details(resource, group, name),
  });
}

export const OBJECT_MODIFIED =
  'the object has been modified; please apply your changes to the latest version and try again';

/**
 * 422 Invalid. `kind` is the Kind (not the plural), as in `Pod "x" is invalid: spec.containers: Required value`.
 * Each cause renders as `<field>: <message>`; the message joins them as the server's aggregate does.
 */
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): StatusError {
  const kindName = group === '' ? kind : `${kind}.${group}`;
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? '')));
  const joined = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  // Go's omitempty: an empty name (a create with only generateName) is left out.
  const d: StatusDetails = name === '' ? {} : { name };
  if (group !== '') d.group = group;
  d.kind = kind;
  d.causes = causes;
  return new StatusError({
    reason: 'Invalid',
    code: 422,
    message: `${kindName} "${name}" is invalid: ${joined}`,
    details: d,
  });
}

export function badRequest(message: string): StatusError {
  return new StatusError({ reason: 'BadRequest', code: 400, message });
}

export function forbidden(resource: string, group: string, name: string, why: string): StatusError {
  const subject =
    name === '' ? qualifiedResource(resource, group) : `${qualifiedResource(resource, group)} "${name}"`;
  return new StatusError({
    reason: 'Forbidden',
    code: 403,
    message: `${subject} is forbidden: ${why}`,
    details: details(resource, group, name),
  });
}

export function methodNotAllowed(
  message = 'the server does not allow this method on the requested resource',
): StatusError {
  return new StatusError({ reason: 'MethodNotAllowed', code: 405, message });
}

export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError({
    reason: 'UnsupportedMediaType',
    code: 415,
    message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
    details: { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] },
  });
}

export function expired(message: string): StatusError {
  return new StatusError({ reason: 'Expired', code: 410, message });
}

export function tooManyRequests(
  retryAfterSeconds: number,
  message = 'Too many requests, please try again later.',
): StatusError {
  return new StatusError(
    { reason: 'TooManyRequests', code: 429, message, details: { retryAfterSeconds } },
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

export function internalError(message: string): StatusError {
  return new StatusError({
    reason: 'InternalError',
    code: 500,
    message: `Internal error occurred: ${message}`,
    details: { causes: [{ message }] },
  });
}

/** The generic 404 for a path that names no resource. */
export function pathNotFound(): StatusError {
  return new StatusError({
    reason: 'NotFound',
    code: 404,
    message: 'the server could not find the requested resource',
    details: {},
  });
}

export function requestEntityTooLarge(limitBytes: number): StatusError {
  return new StatusError({
    reason: 'RequestEntityTooLarge',
    code: 413,
    message: `Request entity too large: limit is ${limitBytes}`,
  });
}
