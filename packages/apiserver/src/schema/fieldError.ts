/**
 * Field errors as apimachinery's `field.Error` renders them (`Invalid value: 0: <detail>`), turned into
 * `StatusCause`s. Start with {@link fieldError}; {@link goValue} prints a value the way Go's `%v`/`%q` would.
 */
import type { StatusCause } from '../errors/status.js';

export type FieldErrorType =
  | 'FieldValueInvalid'
  | 'FieldValueTypeInvalid'
  | 'FieldValueRequired'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError';

const TITLES: Record<FieldErrorType, string> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueRequired: 'Required value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
};

/** Marker for "do not print the value" (apimachinery's `field.OmitValueType`). */
export const OMIT = Symbol('omit value');

/** The value as `field.Error.ErrorBody` prints it: numbers and booleans bare, strings quoted, the rest as JSON. */
export function goValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value === undefined ? null : value);
}

/**
 * One cause. Types without a value (Required, Forbidden, TooLong, Internal) print only their title;
 * the rest print `<title>: <value>`, then `: <detail>` when there is a detail.
 */
export function fieldError(type: FieldErrorType, field: string, value: unknown, detail = ''): StatusCause {
  let body = TITLES[type];
  const valueless =
    type === 'FieldValueRequired' ||
    type === 'FieldValueForbidden' ||
    type === 'FieldValueTooLong' ||
    type === 'InternalError';
  if (!valueless && value !== OMIT) body += `: ${goValue(value)}`;
  if (detail !== '') body += `: ${detail}`;
  return { reason: type, message: body, field };
}

/** A field path that appends like apimachinery's `field.Path`: `.child`, `[index]`, `[key]`. */
export function childPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

export function indexPath(parent: string, index: number | string): string {
  return `${parent}[${index}]`;
}

/** How a `nil` `*field.Path` prints; the real server shows it for root-level errors. */
export const NIL_PATH = '<nil>';
