/**
 * Object-name rules (DNS-1123 subdomain and label, DNS-1035 label, path segment) with the real server's
 * error messages, plus the metadata checks every kind shares.
 *
 * Start with {@link validateObjectMeta}.
 */
import type { StatusCause } from '../errors/status.js';
import type { ObjectMeta } from '../storage/storedObject.js';

export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** The problems with `name` under `rule` (empty when valid), as the real validators phrase them. */
export function nameProblems(name: string, rule: NameRule, prefix = false): string[] {
  // With generateName the server validates the base plus a placeholder suffix ("prefix" mode).
  const n = prefix ? `${name}a` : name;
  const out: string[] = [];
  if (rule === 'path') {
    if (name === '.' || name === '..') out.push(`may not be '${name}'`);
    for (const bad of ['/', '%']) if (name.includes(bad)) out.push(`may not contain '${bad}'`);
    return out;
  }
  const max = rule === 'subdomain' ? 253 : 63;
  if (n.length > max) out.push(`must be no more than ${max} characters`);
  const [re, msg] =
    rule === 'subdomain'
      ? [SUBDOMAIN, SUBDOMAIN_MSG]
      : rule === 'label'
        ? [LABEL, LABEL_MSG]
        : [DNS1035, DNS1035_MSG];
  if (!re.test(n)) out.push(msg);
  return out;
}

export function quote(v: unknown): string {
  return JSON.stringify(v);
}

/** `Invalid value: <v>: <msg>` as field.Invalid renders it. */
export function invalidCause(field: string, value: unknown, message: string): StatusCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${renderValue(value)}: ${message}`, field };
}

export function requiredCause(field: string, message = 'Required value'): StatusCause {
  return {
    reason: 'FieldValueRequired',
    message: message === 'Required value' ? message : `Required value: ${message}`,
    field,
  };
}

export function forbiddenCause(field: string, message: string): StatusCause {
  return { reason: 'FieldValueForbidden', message: `Forbidden: ${message}`, field };
}

export function notSupportedCause(field: string, value: unknown, supported: string[]): StatusCause {
  return {
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${renderValue(value)}: supported values: ${supported.map((s) => quote(s)).join(', ')}`,
    field,
  };
}

/** Go's `%#v`-ish rendering used in field errors: strings quoted, numbers bare, objects as JSON. */
export function renderValue(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'symbol') return v.toString();
  return JSON.stringify(v) ?? 'null';
}

/**
 * The metadata checks every kind shares: name (or generateName) present and well-formed, namespace
 * presence matching the scope, labels and annotations well-formed.
 */
export function validateObjectMeta(meta: ObjectMeta, namespaced: boolean, rule: NameRule): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = meta.name ?? '';
  if (name === '') {
    if (!meta.generateName) causes.push(requiredCause('metadata.name', 'name or generateName is required'));
    else
      for (const p of nameProblems(meta.generateName, rule, true))
        causes.push(invalidCause('metadata.generateName', meta.generateName, p));
  } else {
    for (const p of nameProblems(name, rule)) causes.push(invalidCause('metadata.name', name, p));
  }
  if (namespaced && !meta.namespace) causes.push(requiredCause('metadata.namespace'));
  if (!namespaced && meta.namespace)
    causes.push(forbiddenCause('metadata.namespace', 'not allowed on this type'));
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    for (const p of qualifiedNameProblems(k)) causes.push(invalidCause('metadata.labels', k, p));
    if (typeof v !== 'string' || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v) || v.length > 63) {
      causes.push(
        invalidCause(
          'metadata.labels',
          v,
          v.length > 63
            ? 'must be no more than 63 characters'
            : "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
    }
  }
  for (const k of Object.keys(meta.annotations ?? {})) {
    for (const p of qualifiedNameProblems(k.toLowerCase()))
      causes.push(invalidCause('metadata.annotations', k, p));
  }
  return causes;
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** A label or annotation key: an optional DNS-subdomain prefix and a name of at most 63 characters. */
export function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/');
  const out: string[] = [];
  const nameMsg =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  let name = key;
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    name = rest;
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else for (const p of nameProblems(prefix, 'subdomain')) out.push(`prefix part ${p}`);
  } else if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME.test(name)) out.push(nameMsg);
  return out;
}
