import { describe, expect, it } from '@jest/globals';
import { ExpiredError, GoneError, ServerError, TooManyRequestsError } from '../client/errors.js';
import type { Status } from '../client/types.js';
import { WatchExpiredError, httpStatusOf, isExpired, retryAfterMsOf } from './informerErrors.js';

const request = { method: 'GET', path: '/api/v1/pods' };
const status = (code: number, reason: string, retryAfterSeconds?: number): Status => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  code,
  reason,
  ...(retryAfterSeconds === undefined ? {} : { details: { retryAfterSeconds } }),
});

describe('reading client errors', () => {
  it('sees a 410 in the client errors, in a cause chain, and in our own WatchExpiredError', () => {
    expect(isExpired(new GoneError(410, status(410, 'Gone'), request))).toBe(true);
    expect(isExpired(new ExpiredError(410, status(410, 'Expired'), request))).toBe(true);
    expect(isExpired(new Error('wrapped', { cause: new GoneError(410, status(410, 'Gone'), request) }))).toBe(
      true,
    );
    expect(isExpired(new WatchExpiredError('x'))).toBe(true);
    expect(isExpired(new ServerError(500, status(500, 'InternalError'), request))).toBe(false);
    expect(isExpired(new Error('ECONNRESET'))).toBe(false);
  });

  it('reads the HTTP status and Retry-After', () => {
    const throttled = new TooManyRequestsError(429, status(429, 'TooManyRequests', 3), request);
    expect(httpStatusOf(throttled)).toBe(429);
    expect(retryAfterMsOf(throttled)).toBe(3000);
    expect(retryAfterMsOf(new Error('x'))).toBeUndefined();
    expect(httpStatusOf({ code: 'ECONNRESET' })).toBeUndefined();
  });
});
