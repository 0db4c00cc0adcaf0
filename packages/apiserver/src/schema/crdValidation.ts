/**
 * Validation of a CustomResourceDefinition object, as apiextensions-apiserver's `ValidateCustomResourceDefinition`
 * does it (names, group, scope, versions, schemas, subresources, printer columns, conversion), with the
 * v1 defaults (singular, listKind, conversion None) applied first. Start with
 * {@link validateCustomResourceDefinition}; {@link defaultCustomResourceDefinition} applies those defaults in place.
 */
import type { StatusCause } from '../errors/status.js';
import { hoistedFields } from './crdHoisting.js';
import { validateSchemaOfVersion } from './crdSchemaValidation.js';
import { fieldError } from './fieldError.js';

type Json = Record<string, unknown>;

function obj(x: unknown): Json {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Json) : {};
}

function str(x: unknown): string {
  return typeof x === 'string' ? x : '';
}

const DNS1035 = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;

export function dns1035LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!new RegExp(`^${DNS1035}$`).test(value)) {
    errs.push(
      `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035}')`,
    );
  }
  return errs;
}

export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push('must be no more than 253 characters');
  if (!new RegExp(`^${DNS1123_SUBDOMAIN}$`).test(value)) {
    errs.push(
      `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN}')`,
    );
  }
  return errs;
}

/** Applies the apiextensions/v1 defaults the server sets before validating and storing a CRD. */
export function defaultCustomResourceDefinition(crd: Json): void {
  const spec = obj(crd['spec']);
  const names = obj(spec['names']);
  const kind = str(names['kind']);
  if (kind !== '' && str(names['singular']) === '' && spec['names'] !== undefined)
    names['singular'] = kind.toLowerCase();
  if (kind !== '' && str(names['listKind']) === '' && spec['names'] !== undefined)
    names['listKind'] = `${kind}List`;
  if (crd['spec'] !== undefined && (spec['conversion'] === undefined || spec['conversion'] === null))
    spec['conversion'] = { strategy: 'None' };
}

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

function validateNames(names: Json, errs: StatusCause[]): void {
  const p = 'spec.names';
  for (const key of ['plural', 'singular', 'kind', 'listKind']) {
    if (str(names[key]) === '') errs.push(fieldError('FieldValueRequired', `${p}.${key}`, ''));
  }
  for (const key of ['plural', 'singular']) {
    const v = str(names[key]);
    const e = dns1035LabelErrors(v);
    if (v !== '' && e.length > 0) errs.push(fieldError('FieldValueInvalid', `${p}.${key}`, v, e.join(',')));
  }
  for (const key of ['kind', 'listKind']) {
    const v = str(names[key]);
    const e = dns1035LabelErrors(v.toLowerCase());
    if (v !== '' && e.length > 0)
      errs.push(
        fieldError(
          'FieldValueInvalid',
          `${p}.${key}`,
          v,
          `may have mixed case, but should otherwise match: ${e.join(',')}`,
        ),
      );
  }
  const shortNames = Array.isArray(names['shortNames']) ? names['shortNames'] : [];
  shortNames.forEach((s, i) => {
    const e = dns1035LabelErrors(str(s));
    if (e.length > 0) errs.push(fieldError('FieldValueInvalid', `${p}.shortNames[${i}]`, s, e.join(',')));
  });
  if (str(names['kind']) !== '' && names['kind'] === names['listKind']) {
    errs.push(
      fieldError(
        'FieldValueInvalid',
        `${p}.listKind`,
        names['listKind'],
        'kind and listKind may not be the same',
      ),
    );
  }
  const categories = Array.isArray(names['categories']) ? names['categories'] : [];
  categories.forEach((c, i) => {
    const e = dns1035LabelErrors(str(c));
    if (e.length > 0) errs.push(fieldError('FieldValueInvalid', `${p}.categories[${i}]`, c, e.join(',')));
  });
}

function validateSimpleJsonPath(path: string, field: string, errs: StatusCause[]): boolean {
  if (path === '') {
    errs.push(fieldError('FieldValueInvalid', field, path, 'must not be empty'));
    return false;
  }
  if (!path.startsWith('.')) {
    errs.push(fieldError('FieldValueInvalid', field, path, 'must be a simple json path starting with .'));
    return false;
  }
  return true;
}

function validateSubresources(sub: Json, at: string, errs: StatusCause[]): void {
  if (sub['scale'] === undefined || sub['scale'] === null) return;
  const scale = obj(sub['scale']);
  const spec = str(scale['specReplicasPath']);
  const status = str(scale['statusReplicasPath']);
  if (spec === '') errs.push(fieldError('FieldValueRequired', `${at}.scale.specReplicasPath`, ''));
  else if (validateSimpleJsonPath(spec, `${at}.scale.specReplicasPath`, errs) && !spec.startsWith('.spec.')) {
    errs.push(
      fieldError(
        'FieldValueInvalid',
        `${at}.scale.specReplicasPath`,
        spec,
        'should be a json path under .spec',
      ),
    );
  }
  if (status === '') errs.push(fieldError('FieldValueRequired', `${at}.scale.statusReplicasPath`, ''));
  else if (
    validateSimpleJsonPath(status, `${at}.scale.statusReplicasPath`, errs) &&
    !status.startsWith('.status.')
  ) {
    errs.push(
      fieldError(
        'FieldValueInvalid',
        `${at}.scale.statusReplicasPath`,
        status,
        'should be a json path under .status',
      ),
    );
  }
  const selector = scale['labelSelectorPath'];
  if (
    typeof selector === 'string' &&
    validateSimpleJsonPath(selector, `${at}.scale.labelSelectorPath`, errs) &&
    !selector.startsWith('.spec.') &&
    !selector.startsWith('.status.')
  ) {
    errs.push(
      fieldError(
        'FieldValueInvalid',
        `${at}.scale.labelSelectorPath`,
        selector,
        'should be a json path under either .spec or .status',
      ),
    );
  }
}

function validateColumns(cols: unknown, at: string, errs: StatusCause[]): void {
  if (!Array.isArray(cols)) return;
  cols.forEach((c, i) => {
    const col = obj(c);
    const p = `${at}[${i}]`;
    if (str(col['name']) === '') errs.push(fieldError('FieldValueRequired', `${p}.name`, ''));
    const type = str(col['type']);
    if (type === '')
      errs.push(
        fieldError('FieldValueRequired', `${p}.type`, '', `must be one of ${COLUMN_TYPES.join(',')}`),
      );
    else if (!COLUMN_TYPES.includes(type))
      errs.push(
        fieldError('FieldValueInvalid', `${p}.type`, type, `must be one of ${COLUMN_TYPES.join(',')}`),
      );
    const format = str(col['format']);
    if (format !== '' && !COLUMN_FORMATS.includes(format)) {
      errs.push(
        fieldError('FieldValueInvalid', `${p}.format`, format, `must be one of ${COLUMN_FORMATS.join(',')}`),
      );
    }
    const jsonPath = str(col['jsonPath']);
    if (jsonPath === '') errs.push(fieldError('FieldValueRequired', `${p}.JSONPath`, ''));
    else validateSimpleJsonPath(jsonPath, `${p}.JSONPath`, errs);
  });
}

function validateVersions(spec: Json, errs: StatusCause[]): void {
  const versions = Array.isArray(spec['versions']) ? spec['versions'].map(obj) : [];
  if (versions.length === 0) {
    errs.push(fieldError('FieldValueRequired', 'spec.versions', '', 'must have at least one version'));
  }
  const seen = new Set<string>();
  let unique = true;
  let storage = 0;
  const up = hoistedFields(versions);
  versions.forEach((v, i) => {
    const at = `spec.versions[${i}]`;
    const name = str(v['name']);
    if (v['storage'] === true) storage++;
    if (seen.has(name)) unique = false;
    seen.add(name);
    const e = dns1035LabelErrors(name);
    if (e.length > 0) errs.push(fieldError('FieldValueInvalid', `${at}.name`, name, e.join(',')));
    const sub = obj(v['subresources']);
    const statusEnabled = sub['status'] !== undefined && sub['status'] !== null;
    // Fields identical in every version are checked once below, under their internal spec path.
    if (!up.schema || i === 0)
      errs.push(
        ...validateSchemaOfVersion(
          obj(v['schema'])['openAPIV3Schema'],
          up.schema ? 'spec.validation.openAPIV3Schema' : `${at}.schema.openAPIV3Schema`,
          statusEnabled,
        ),
      );
    if (!up.subresources || i === 0)
      validateSubresources(sub, up.subresources ? 'spec.subresources' : `${at}.subresources`, errs);
    if (!up.additionalPrinterColumns || i === 0)
      validateColumns(
        v['additionalPrinterColumns'],
        up.additionalPrinterColumns ? 'spec.additionalPrinterColumns' : `${at}.additionalPrinterColumns`,
        errs,
      );
  });
  if (!unique)
    errs.push(
      fieldError('FieldValueInvalid', 'spec.versions', spec['versions'], 'must contain unique version names'),
    );
  if (versions.length > 0 && storage !== 1) {
    errs.push(
      fieldError(
        'FieldValueInvalid',
        'spec.versions',
        spec['versions'],
        'must have exactly one version marked as storage version',
      ),
    );
  }
}

/**
 * Validation of a CustomResourceDefinition object itself, as the real apiextensions server does
 * (after applying v1 defaults to a copy). `old` enables the update rules (scope is immutable).
 */
export function validateCustomResourceDefinition(
  crd: Record<string, unknown>,
  old?: Record<string, unknown>,
): StatusCause[] {
  const copy = structuredClone(crd);
  defaultCustomResourceDefinition(copy);
  const errs: StatusCause[] = [];
  const meta = obj(copy['metadata']);
  const spec = obj(copy['spec']);
  const names = obj(spec['names']);
  const group = str(spec['group']);
  const name = str(meta['name']);
  if (name === '' && str(meta['generateName']) === '') {
    errs.push(fieldError('FieldValueRequired', 'metadata.name', '', 'name or generateName is required'));
  } else if (name !== '') {
    const problems = dns1123SubdomainErrors(name);
    if (name !== `${str(names['plural'])}.${group}`)
      problems.push('must be spec.names.plural+"."+spec.group');
    for (const p of problems) errs.push(fieldError('FieldValueInvalid', 'metadata.name', name, p));
  }
  if (group === '') errs.push(fieldError('FieldValueRequired', 'spec.group', ''));
  else if (dns1123SubdomainErrors(group).length > 0)
    errs.push(fieldError('FieldValueInvalid', 'spec.group', group, dns1123SubdomainErrors(group).join(',')));
  else if (group.split('.').length < 2)
    errs.push(
      fieldError('FieldValueInvalid', 'spec.group', group, 'should be a domain with at least one dot'),
    );
  const scope = str(spec['scope']);
  if (scope === '') errs.push(fieldError('FieldValueRequired', 'spec.scope', ''));
  else if (scope !== 'Cluster' && scope !== 'Namespaced')
    errs.push(
      fieldError('FieldValueNotSupported', 'spec.scope', scope, 'supported values: "Cluster", "Namespaced"'),
    );
  validateVersions(spec, errs);
  validateNames(names, errs);
  const strategy = str(obj(spec['conversion'])['strategy']);
  if (strategy === '') errs.push(fieldError('FieldValueRequired', 'spec.conversion.strategy', ''));
  else if (strategy !== 'None')
    errs.push(
      fieldError('FieldValueNotSupported', 'spec.conversion.strategy', strategy, 'supported values: "None"'),
    );
  if (spec['preserveUnknownFields'] === true) {
    errs.push(
      fieldError(
        'FieldValueInvalid',
        'spec.preserveUnknownFields',
        true,
        'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
      ),
    );
  }
  if (old) {
    const oldScope = str(obj(old['spec'])['scope']);
    if (oldScope !== '' && oldScope !== scope)
      errs.push(fieldError('FieldValueInvalid', 'spec.scope', scope, 'field is immutable'));
  }
  return errs;
}
