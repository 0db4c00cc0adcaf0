/**
 * Validation of one CRD version's `openAPIV3Schema`, as apiextensions-apiserver does it: OpenAPI
 * restrictions (types, `additionalProperties` with `properties`, `uniqueItems`), structural rules (every
 * node typed unless int-or-string or preserve-unknown-fields, root `metadata` limited to name and
 * generateName), list/map extensions, CEL rules that must compile, and defaults that must validate.
 * Start with {@link validateSchemaOfVersion}.
 */
import type { StatusCause } from '../errors/status.js';
import type { JSONSchemaProps } from '../registry/types.js';
import { compileRule } from './celRules.js';
import { fieldError, OMIT } from './fieldError.js';
import { validateOpenApi } from './openApiValidator.js';

type Level = 'root' | 'item' | 'field';

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];

/** A field that must hold a particular value: Required when it is unset, Invalid (showing it) otherwise. */
function requiredOrInvalid(field: string, value: string | undefined, detail: string): StatusCause {
  return value === undefined
    ? fieldError('FieldValueRequired', field, '', detail)
    : fieldError('FieldValueInvalid', field, value, detail);
}

function checkRules(s: JSONSchemaProps, path: string, errs: StatusCause[]): void {
  (s['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    const at = `${path}.x-kubernetes-validations[${i}]`;
    if (!rule.rule || rule.rule.trim() === '') {
      errs.push(fieldError('FieldValueRequired', `${at}.rule`, '', 'rule is not specified'));
      return;
    }
    if (rule.message !== undefined && rule.message.trim() === '') {
      errs.push(
        fieldError('FieldValueInvalid', `${at}.message`, rule.message, 'must be non-empty if specified'),
      );
    } else if (rule.message !== undefined && /\n/.test(rule.message)) {
      errs.push(
        fieldError('FieldValueInvalid', `${at}.message`, rule.message, 'must not contain line breaks'),
      );
    } else if (rule.message === undefined && /\n/.test(rule.rule)) {
      errs.push(
        fieldError(
          'FieldValueRequired',
          `${at}.message`,
          '',
          'message must be specified if rule contains line breaks',
        ),
      );
    }
    if (rule.reason !== undefined && !REASONS.includes(rule.reason)) {
      errs.push(
        fieldError(
          'FieldValueNotSupported',
          `${at}.reason`,
          rule.reason,
          `supported values: ${REASONS.map((r) => JSON.stringify(r)).join(', ')}`,
        ),
      );
    }
    const compiled = compileRule(rule);
    if (compiled.error !== undefined) {
      const onMessage = compiled.error.startsWith('messageExpression ');
      errs.push(
        fieldError(
          'FieldValueInvalid',
          `${at}.${onMessage ? 'messageExpression' : 'rule'}`,
          rule,
          onMessage ? compiled.error.slice('messageExpression '.length) : compiled.error,
        ),
      );
    } else if (rule.optionalOldSelf === true && !compiled.usesOldSelf) {
      errs.push(
        fieldError(
          'FieldValueInvalid',
          `${at}.optionalOldSelf`,
          true,
          'may not be set if oldSelf is not used in rule',
        ),
      );
    }
  });
}

function checkLists(s: JSONSchemaProps, path: string, errs: StatusCause[]): void {
  const listType = s['x-kubernetes-list-type'];
  if (s['x-kubernetes-map-type'] !== undefined) {
    if (s.type !== 'object') {
      errs.push(
        requiredOrInvalid(
          `${path}.type`,
          s.type || undefined,
          'must be object if x-kubernetes-map-type is specified',
        ),
      );
    }
    if (!['atomic', 'granular'].includes(s['x-kubernetes-map-type'])) {
      errs.push(
        fieldError(
          'FieldValueNotSupported',
          `${path}.x-kubernetes-map-type`,
          s['x-kubernetes-map-type'],
          'supported values: "atomic", "granular"',
        ),
      );
    }
  }
  if (listType !== undefined) {
    if (s.type !== 'array') {
      errs.push(
        requiredOrInvalid(
          `${path}.type`,
          s.type || undefined,
          'must be array if x-kubernetes-list-type is specified',
        ),
      );
    } else if (
      listType === 'set' &&
      s.items &&
      s.items.type === 'object' &&
      s.items['x-kubernetes-map-type'] !== 'atomic'
    ) {
      errs.push(
        fieldError(
          'FieldValueInvalid',
          `${path}.items.x-kubernetes-map-type`,
          s.items['x-kubernetes-map-type'] ?? null,
          'must be atomic as item of a list with x-kubernetes-list-type=set',
        ),
      );
    }
    if (!['atomic', 'set', 'map'].includes(listType)) {
      errs.push(
        fieldError(
          'FieldValueNotSupported',
          `${path}.x-kubernetes-list-type`,
          listType,
          'supported values: "atomic", "set", "map"',
        ),
      );
    }
  }
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  if (keys.length > 0 && listType !== 'map') {
    errs.push(
      requiredOrInvalid(
        `${path}.x-kubernetes-list-type`,
        listType,
        'must be map if x-kubernetes-list-map-keys is non-empty',
      ),
    );
  }
  if (listType === 'map') {
    if (keys.length === 0)
      errs.push(
        fieldError(
          'FieldValueRequired',
          `${path}.x-kubernetes-list-map-keys`,
          '',
          'must not be empty if x-kubernetes-list-type is map',
        ),
      );
    if (!s.items) {
      errs.push(
        fieldError(
          'FieldValueRequired',
          `${path}.items`,
          '',
          'must have a schema if x-kubernetes-list-type is map',
        ),
      );
    } else if (s.items.type !== 'object') {
      errs.push(
        fieldError(
          'FieldValueInvalid',
          `${path}.items.type`,
          s.items.type ?? '',
          "must be object if parent array's x-kubernetes-list-type is map",
        ),
      );
    } else if (keys.some((k) => !s.items?.properties?.[k])) {
      errs.push(
        fieldError(
          'FieldValueInvalid',
          `${path}.x-kubernetes-list-map-keys`,
          keys,
          'entries must all be names of item properties',
        ),
      );
    } else if (new Set(keys).size !== keys.length) {
      errs.push(
        fieldError(
          'FieldValueInvalid',
          `${path}.x-kubernetes-list-map-keys`,
          keys,
          'must not contain duplicate entries',
        ),
      );
    }
  }
}

function checkMetadata(meta: JSONSchemaProps, path: string, errs: StatusCause[]): void {
  if (meta.type !== 'object')
    errs.push(fieldError('FieldValueInvalid', `${path}.type`, meta.type ?? '', 'must be object'));
  const rest: Record<string, unknown> = { ...meta };
  delete rest['type'];
  delete rest['default'];
  const props = Object.keys(meta.properties ?? {});
  if (props.every((p) => p === 'name' || p === 'generateName')) delete rest['properties'];
  if (Object.keys(rest).length > 0) {
    errs.push(
      fieldError(
        'FieldValueForbidden',
        path,
        '',
        'must not specify anything other than name and generateName, but metadata is implicitly specified',
      ),
    );
  }
}

/** Checks a default against its own node, as the server does before accepting a schema. */
function checkDefault(s: JSONSchemaProps, path: string, errs: StatusCause[]): void {
  if (s.default === undefined) return;
  for (const c of validateOpenApi(s, s.default)) {
    const suffix = c.field && c.field !== '<nil>' ? `.${c.field}` : '';
    errs.push({ ...c, field: `${path}.default${suffix}` });
  }
}

/** Why a pattern does not compile, or undefined when it does. */
function patternProblem(pattern: string): string | undefined {
  try {
    RegExp(pattern);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function walk(s: JSONSchemaProps, level: Level, path: string, errs: StatusCause[]): void {
  if (s.type !== undefined && !TYPES.includes(s.type)) {
    if (s.type === 'null')
      errs.push(
        fieldError(
          'FieldValueForbidden',
          `${path}.type`,
          '',
          'type cannot be set to null, use nullable as an alternative',
        ),
      );
    else
      errs.push(
        fieldError(
          'FieldValueNotSupported',
          `${path}.type`,
          s.type,
          `supported values: ${TYPES.map((t) => JSON.stringify(t)).join(', ')}`,
        ),
      );
  }
  if (s.uniqueItems)
    errs.push(
      fieldError(
        'FieldValueForbidden',
        `${path}.uniqueItems`,
        '',
        'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      ),
    );
  if (s.additionalProperties !== undefined && s.properties !== undefined) {
    errs.push(
      fieldError(
        'FieldValueForbidden',
        `${path}.additionalProperties`,
        '',
        'additionalProperties and properties are mutual exclusive',
      ),
    );
  }
  if (s.additionalProperties === false) {
    errs.push(
      fieldError(
        'FieldValueForbidden',
        `${path}.additionalProperties`,
        '',
        'additionalProperties cannot be set to false',
      ),
    );
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    errs.push(
      fieldError(
        'FieldValueInvalid',
        `${path}.x-kubernetes-preserve-unknown-fields`,
        false,
        'must be true or undefined',
      ),
    );
  }
  if (s['x-kubernetes-int-or-string'] && s['x-kubernetes-preserve-unknown-fields']) {
    errs.push(
      fieldError(
        'FieldValueInvalid',
        `${path}.x-kubernetes-preserve-unknown-fields`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  }
  if (s.pattern !== undefined) {
    const problem = patternProblem(s.pattern);
    if (problem !== undefined)
      errs.push(
        fieldError(
          'FieldValueInvalid',
          `${path}.pattern`,
          s.pattern,
          `must be a valid regular expression, but isn't: ${problem}`,
        ),
      );
  }
  if (s.type === 'array' && !s.items)
    errs.push(fieldError('FieldValueRequired', `${path}.items`, '', 'must be specified'));
  if (level === 'root' && s.additionalProperties !== undefined) {
    errs.push(
      fieldError('FieldValueForbidden', `${path}.additionalProperties`, '', 'must not be used at the root'),
    );
  }
  const embedded = Boolean(s['x-kubernetes-embedded-resource']);
  if (embedded && s.type !== 'object') {
    errs.push(
      requiredOrInvalid(
        `${path}.type`,
        s.type || undefined,
        'must be object if x-kubernetes-embedded-resource is true',
      ),
    );
  } else if (!s.type && !s['x-kubernetes-int-or-string'] && !s['x-kubernetes-preserve-unknown-fields']) {
    const why =
      level === 'root'
        ? 'must not be empty at the root'
        : level === 'item'
          ? 'must not be empty for specified array items'
          : 'must not be empty for specified object fields';
    errs.push(fieldError('FieldValueRequired', `${path}.type`, '', why));
  }
  if (level === 'root' && s.type && s.type !== 'object')
    errs.push(fieldError('FieldValueInvalid', `${path}.type`, s.type, 'must be object at the root'));
  if (level === 'root' && s.nullable)
    errs.push(
      fieldError('FieldValueForbidden', `${path}.nullable`, '', 'nullable cannot be true at the root'),
    );
  const props = s.properties ?? {};
  const meta = props['metadata'];
  if (meta) {
    if (level === 'root') checkMetadata(meta, `${path}.properties[metadata]`, errs);
  }
  for (const key of ['kind', 'apiVersion']) {
    const p = props[key];
    if (p && (level === 'root' || embedded) && p.type !== 'string') {
      errs.push(
        fieldError('FieldValueInvalid', `${path}.properties[${key}].type`, p.type ?? '', 'must be string'),
      );
    }
  }
  if (embedded && !s['x-kubernetes-preserve-unknown-fields'] && Object.keys(props).length === 0) {
    errs.push(
      fieldError(
        'FieldValueRequired',
        `${path}.properties`,
        '',
        'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      ),
    );
  }
  checkLists(s, path, errs);
  checkRules(s, path, errs);
  if (level !== 'root') checkDefault(s, path, errs);
  for (const [k, sub] of Object.entries(props)) {
    if (!(level === 'root' && k === 'metadata')) walk(sub, 'field', `${path}.properties[${k}]`, errs);
  }
  if (s.items) walk(s.items, 'item', `${path}.items`, errs);
  if (typeof s.additionalProperties === 'object')
    walk(s.additionalProperties, 'field', `${path}.additionalProperties`, errs);
}

/** Validates a version's schema; `path` is that version's `spec.versions[i].schema.openAPIV3Schema`. */
export function validateSchemaOfVersion(
  schema: unknown,
  path: string,
  statusEnabled: boolean,
): StatusCause[] {
  const errs: StatusCause[] = [];
  if (schema === undefined || schema === null) {
    errs.push(fieldError('FieldValueRequired', path, ''));
    return errs;
  }
  if (typeof schema !== 'object' || Array.isArray(schema)) {
    errs.push(fieldError('FieldValueInvalid', path, OMIT, 'must be an object'));
    return errs;
  }
  const s = schema as JSONSchemaProps;
  if (statusEnabled && s.type !== undefined && s.type !== 'object') {
    errs.push(
      fieldError(
        'FieldValueInvalid',
        `${path}.type`,
        s.type,
        'only "object" is allowed as the type at the root of the schema if the status subresource is enabled',
      ),
    );
  }
  walk(s, 'root', path, errs);
  return errs;
}
