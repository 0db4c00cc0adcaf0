import { expect, test } from '@jest/globals';
import { StewardError } from '../errors/errors.js';
import {
  ApiError,
  BadRequestError,
  ConflictError,
  ExpiredError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  ServerError,
  TooManyRequestsError,
  UnauthorizedError,
  UnexpectedApiError,
  apiErrorFrom,
  parseRetryAfter,
} from './errors.js';

const req = { method: 'GET', path: '/api/v1/namespaces/default/pods/p' };
const status = (code: number, reason: string, message = `m${code}`): string =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

test.each([
  [403, 'Forbidden', ForbiddenError, 'API_FORBIDDEN', true],
  [401, 'Unauthorized', UnauthorizedError, 'API_UNAUTHORIZED', true],
  [410, 'Expired', ExpiredError, 'API_GONE', true],
  [410, 'Gone', GoneError, 'API_GONE', true],
  [400, 'BadRequest', BadRequestError, 'API_BAD_REQUEST', false],
  [504, 'Timeout', ServerError, 'API_SERVER_ERROR', true],
  [409, 'Conflict', ConflictError, 'API_CONFLICT', true],
  [405, 'MethodNotAllowed', UnexpectedApiError, 'API_ERROR', false],
] as const)('%i %s → %p', (code, reason, cls, stable, retryable) => {
  const err = apiErrorFrom(code, status(code, reason), req);
  expect(err).toBeInstanceOf(cls);
  expect(err).toBeInstanceOf(ApiError);
  expect(err).toBeInstanceOf(StewardError);
  expect(err).toMatchObject({ code: stable, retryable, statusCode: code, reason });
  expect(err.message).toContain(`m${code}`);
  expect(err.message).toContain(req.path);
});

test('Expired is a Gone', () => {
  expect(apiErrorFrom(410, status(410, 'Expired'), req)).toBeInstanceOf(GoneError);
});

test('a body that is not a Status (the mux text/plain 404) still types by HTTP code', () => {
  const err = apiErrorFrom(404, '404 page not found\n', req);
  expect(err).toBeInstanceOf(NotFoundError);
  expect(err.status).toMatchObject({ kind: 'Status', code: 404, message: '404 page not found' });
  expect(err.message).toContain('404 page not found');
});

test('Retry-After fills retryAfterSeconds when the Status lacks it', () => {
  const err = apiErrorFrom(429, '{}', req, '7');
  expect(err).toBeInstanceOf(TooManyRequestsError);
  expect((err as TooManyRequestsError).retryAfterSeconds).toBe(7);
});

test('parseRetryAfter reads seconds and HTTP dates', () => {
  expect(parseRetryAfter('3')).toBe(3);
  expect(parseRetryAfter(undefined)).toBeUndefined();
  expect(parseRetryAfter('soon')).toBeUndefined();
  const inFiveSeconds = new Date(Date.now() + 5000).toUTCString();
  expect(parseRetryAfter(inFiveSeconds)).toBeGreaterThanOrEqual(4);
  expect(parseRetryAfter(new Date(0).toUTCString())).toBe(0);
});

test('Invalid keeps the causes', () => {
  const body = JSON.stringify({
    kind: 'Status',
    code: 422,
    reason: 'Invalid',
    message: 'x is invalid',
    details: { causes: [{ field: 'spec.replicas', reason: 'FieldValueInvalid', message: 'bad' }] },
  });
  expect(apiErrorFrom(422, body, req).causes).toEqual([
    { field: 'spec.replicas', reason: 'FieldValueInvalid', message: 'bad' },
  ]);
});
