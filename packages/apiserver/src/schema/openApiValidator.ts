/**
 * OpenAPI v3 validation of a value against a CRD schema, with kube-openapi's order of checks and
 * messages (`spec.replicas in body should be greater than or equal to 1`), converted to field errors
 * the way apiextensions-apiserver does. Start with {@link validateOpenApi}.
 */
import type { StatusCause } from '../errors/status.js';
import type { JSONSchemaProps } from '../registry/types.js';
import { fieldError, NIL_PATH } from './fieldError.js';
import { checkFormat, isKnownFormat } from './formats.js';

type Code = 'required' | 'enum' | 'tooLong' | 'maxItems' | 'maxProperties' | 'type' | 'other' | 'composite';

/** One kube-openapi error: `name` is its dotted path (`spec.items[0]`), `message` the full text. */
interface OpenApiError {
  code: Code;
  name: string;
  value?: unknown;
  valid?: number;
  values?: unknown[];
  message: string;
}

/** The JSON type name of a value, as kube-openapi infers it from the decoded Go value. */
export function jsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value; // string, boolean
}

function schemaTypes(s: JSONSchemaProps): string[] {
  if (s['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return s.type ? [s.type] : [];
}

const IN = ' in body';

function typeError(path: string, expected: string, actual: string): OpenApiError {
  return {
    code: 'type',
    name: path,
    value: actual,
    message: `${path}${IN} must be of type ${expected}: ${JSON.stringify(actual)}`,
  };
}

const regexCache = new Map<string, RegExp | Error>();
function compilePattern(pattern: string): RegExp | Error {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      try {
        re = new RegExp(pattern);
      } catch (e) {
        re = e instanceof Error ? e : new Error(String(e));
      }
    }
    regexCache.set(pattern, re);
  }
  return re;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const rb = b as Record<string, unknown>;
  const ra = a as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(rb, k) && deepEqual(ra[k], rb[k]));
}

/** Validates `data` at `path`, appending errors in kube-openapi's order (type, allOf/anyOf/oneOf/not, string, format, number, array, enum, object). */
function validateNode(s: JSONSchemaProps, data: unknown, path: string, out: OpenApiError[]): void {
  const types = schemaTypes(s);
  if (data === null || data === undefined) {
    if (types.length > 0 && !s.nullable) out.push(typeError(path, types.join(','), 'null'));
    validateEnum(s, null, path, out);
    return;
  }
  const actual = jsonType(data);
  if (types.length > 0) {
    const ok = types.includes(actual) || (actual === 'integer' && types.includes('number'));
    if (!ok) out.push(typeError(path, types.join(','), actual));
  }
  validateComposition(s, data, path, out);
  if (typeof data === 'string') validateString(s, data, path, out);
  if (typeof data === 'number') validateNumber(s, data, path, out);
  if (Array.isArray(data)) validateArray(s, data, path, out);
  validateEnum(s, data, path, out);
  if (actual === 'object') validateObject(s, data as Record<string, unknown>, path, out);
}

function validateComposition(s: JSONSchemaProps, data: unknown, path: string, out: OpenApiError[]): void {
  const run = (sub: JSONSchemaProps): OpenApiError[] => {
    const errs: OpenApiError[] = [];
    validateNode(sub, data, path, errs);
    return errs;
  };
  if (s.anyOf && s.anyOf.length > 0) {
    const results = s.anyOf.map(run);
    if (!results.some((r) => r.length === 0)) {
      out.push({
        code: 'composite',
        name: path,
        message: `${JSON.stringify(path)} must validate at least one schema (anyOf)`,
      });
      out.push(...(results[0] ?? []));
    }
  }
  if (s.oneOf && s.oneOf.length > 0) {
    const results = s.oneOf.map(run);
    const valid = results.filter((r) => r.length === 0).length;
    if (valid !== 1) {
      const more = valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`;
      out.push({
        code: 'composite',
        name: path,
        message: `${JSON.stringify(path)} must validate one and only one schema (oneOf). ${more}`,
      });
      if (valid === 0) out.push(...(results[0] ?? []));
    }
  }
  if (s.allOf && s.allOf.length > 0) {
    const results = s.allOf.map(run);
    const valid = results.filter((r) => r.length === 0).length;
    for (const r of results) out.push(...r);
    if (valid !== results.length) {
      out.push({
        code: 'composite',
        name: path,
        message: `${JSON.stringify(path)} must validate all the schemas (allOf)${valid === 0 ? '. None validated' : ''}`,
      });
    }
  }
  if (s.not && run(s.not).length === 0) {
    out.push({
      code: 'composite',
      name: path,
      message: `${JSON.stringify(path)} must not validate the schema (not)`,
    });
  }
}

function validateString(s: JSONSchemaProps, data: string, path: string, out: OpenApiError[]): void {
  const length = Array.from(data).length; // runes, as utf8.RuneCount
  if (s.maxLength !== undefined && length > s.maxLength) {
    out.push({
      code: 'tooLong',
      name: path,
      value: data,
      valid: s.maxLength,
      message: `${path}${IN} should be at most ${s.maxLength} chars long`,
    });
    return;
  }
  if (s.minLength !== undefined && length < s.minLength) {
    out.push({
      code: 'other',
      name: path,
      value: data,
      message: `${path}${IN} should be at least ${s.minLength} chars long`,
    });
    return;
  }
  if (s.pattern !== undefined && s.pattern !== '') {
    const re = compilePattern(s.pattern);
    if (re instanceof Error) {
      out.push({
        code: 'other',
        name: path,
        value: data,
        message: `${path}${IN} should match '${s.pattern}, but pattern is invalid: ${re.message}'`,
      });
    } else if (!re.test(data)) {
      out.push({
        code: 'other',
        name: path,
        value: data,
        message: `${path}${IN} should match '${s.pattern}'`,
      });
    }
  }
  if (s.format !== undefined && isKnownFormat(s.format) && !checkFormat(s.format, data)) {
    out.push({
      code: 'type',
      name: path,
      value: data,
      message: `${path}${IN} must be of type ${s.format}: ${JSON.stringify(data)}`,
    });
  }
}

function validateNumber(s: JSONSchemaProps, data: number, path: string, out: OpenApiError[]): void {
  if (s.multipleOf !== undefined) {
    const f = s.multipleOf;
    const mult = f < 1 ? (1 / f) * data : data / f;
    if (f <= 0) {
      out.push({
        code: 'other',
        name: path,
        value: data,
        message: `factor MultipleOf declared for ${path} must be positive: ${f}`,
      });
    } else if (!Number.isInteger(mult)) {
      out.push({
        code: 'other',
        name: path,
        value: data,
        message: `${path}${IN} should be a multiple of ${f}`,
      });
    }
  }
  if (s.minimum !== undefined) {
    const min = s.minimum;
    if (s.exclusiveMinimum ? data <= min : data < min) {
      const how = s.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
      out.push({ code: 'other', name: path, value: data, message: `${path}${IN} should be ${how} ${min}` });
    }
  }
  if (s.maximum !== undefined) {
    const max = s.maximum;
    if (s.exclusiveMaximum ? data >= max : data > max) {
      const how = s.exclusiveMaximum ? 'less than' : 'less than or equal to';
      out.push({ code: 'other', name: path, value: data, message: `${path}${IN} should be ${how} ${max}` });
    }
  }
}

/** `minItems`/`maxItems` or `minProperties`/`maxProperties`: only the upper bound has its own code. */
function checkCount(
  count: number,
  min: number | undefined,
  max: number | undefined,
  noun: 'items' | 'properties',
  path: string,
  out: OpenApiError[],
): void {
  if (min !== undefined && count < min) {
    out.push({
      code: 'other',
      name: path,
      value: count,
      message: `${path}${IN} should have at least ${min} ${noun}`,
    });
  }
  if (max !== undefined && count > max) {
    out.push({
      code: noun === 'items' ? 'maxItems' : 'maxProperties',
      name: path,
      value: count,
      valid: max,
      message: `${path}${IN} should have at most ${max} ${noun}`,
    });
  }
}

function validateArray(s: JSONSchemaProps, data: unknown[], path: string, out: OpenApiError[]): void {
  if (s.items) {
    const items = s.items;
    data.forEach((item, i) => validateNode(items, item, `${path}[${i}]`, out));
  }
  checkCount(data.length, s.minItems, s.maxItems, 'items', path, out);
  if (s.uniqueItems && data.some((x, i) => data.slice(0, i).some((y) => deepEqual(x, y)))) {
    out.push({ code: 'other', name: path, message: `${path}${IN} shouldn't contain duplicates` });
  }
}

function validateEnum(s: JSONSchemaProps, data: unknown, path: string, out: OpenApiError[]): void {
  if (!s.enum || s.enum.length === 0) return;
  if (s.enum.some((e) => deepEqual(e, data))) return;
  out.push({
    code: 'enum',
    name: path,
    value: data,
    values: s.enum,
    message: `${path}${IN} should be one of ${JSON.stringify(s.enum)}`,
  });
}

function validateObject(
  s: JSONSchemaProps,
  data: Record<string, unknown>,
  path: string,
  out: OpenApiError[],
): void {
  const keys = Object.keys(data);
  checkCount(keys.length, s.minProperties, s.maxProperties, 'properties', path, out);
  const props = s.properties ?? {};
  if (s.additionalProperties === false) {
    for (const k of keys) {
      if (!Object.hasOwn(props, k))
        out.push({
          code: 'other',
          name: path,
          value: k,
          message: `${path}.${k}${IN} is a forbidden property`,
        });
    }
  } else if (typeof s.additionalProperties === 'object') {
    const extra = s.additionalProperties;
    for (const k of keys) if (!Object.hasOwn(props, k)) validateNode(extra, data[k], `${path}.${k}`, out);
  }
  for (const [name, sub] of Object.entries(props)) {
    if (Object.hasOwn(data, name)) validateNode(sub, data[name], path === '' ? name : `${path}.${name}`, out);
  }
  for (const k of s.required ?? []) {
    if (!Object.hasOwn(data, k))
      out.push({ code: 'required', name: `${path}.${k}`, message: `${path}.${k}${IN} is required` });
  }
}

/** Converts kube-openapi errors to causes, as `kubeOpenAPIResultToFieldErrors` does (root path is nil). */
function toCause(e: OpenApiError): StatusCause {
  if (e.code === 'composite') return fieldError('FieldValueInvalid', NIL_PATH, '', e.message);
  const field = e.name === '' || e.name === '.' ? NIL_PATH : e.name.replace(/^\./, '');
  switch (e.code) {
    case 'required':
      return fieldError('FieldValueRequired', field, '');
    case 'enum': {
      const values = (e.values ?? []).map((v) =>
        JSON.stringify(typeof v === 'string' ? v : JSON.stringify(v)),
      );
      const c = fieldError(
        'FieldValueNotSupported',
        field,
        e.value ?? '',
        values.length > 0 ? `supported values: ${values.join(', ')}` : '',
      );
      return c;
    }
    case 'tooLong': {
      const max = e.valid ?? -1;
      return fieldError(
        'FieldValueTooLong',
        field,
        '',
        max >= 0 ? `may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}` : 'value is too long',
      );
    }
    case 'maxItems':
    case 'maxProperties': {
      const max = e.valid ?? -1;
      return fieldError(
        'FieldValueTooMany',
        field,
        e.value,
        max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items',
      );
    }
    case 'type':
      return fieldError('FieldValueTypeInvalid', field, e.value ?? '', e.message);
    default:
      return fieldError('FieldValueInvalid', field, e.value ?? '', e.message);
  }
}

/** All OpenAPI errors of `value` against `schema`, as causes with the real server's fields and messages. */
export function validateOpenApi(schema: JSONSchemaProps, value: unknown): StatusCause[] {
  const errs: OpenApiError[] = [];
  validateNode(schema, value, '', errs);
  return errs.map(toCause);
}
