/**
 * `@CustomResource(options)` and its plain form `customResource(Class, options)`: record which API
 * group, version and kind a class stands for, and how its CRD looks. Start with
 * {@link CustomResourceOptions}; read the configuration back, with defaults filled in, through
 * {@link customResourceOf}. CRD generation (`crdFor`) lives in `crd/`.
 */
import type { CelRule, PrinterColumn, ScaleSubresource } from '../crd/types.js';
import { CustomResourceError } from './customResourceError.js';
import { METADATA, type Class } from './metadata.js';

/** How a class maps onto a Kubernetes API resource. */
export interface CustomResourceOptions {
  /** The API group, a DNS subdomain with at least one dot: `postgres.steward.dev`. */
  group: string;
  /** The version served and stored: `v1`, `v1alpha1`, `v2beta3`. */
  version: string;
  /** The kind, UpperCamelCase: `PostgresCluster`. */
  kind: string;
  /** Lowercase plural used in URLs; derived from `kind` with English rules when absent. */
  plural?: string;
  /** Lowercase singular; `kind` lowercased when absent. */
  singular?: string;
  /** `Namespaced` (the default) or `Cluster`. */
  scope?: 'Namespaced' | 'Cluster';
  shortNames?: string[];
  categories?: string[];
  /** Extra `kubectl get` columns (after those from `@PrinterColumn` fields); see `crdFor`. */
  printerColumns?: PrinterColumn[];
  /**
   * `status: true` serves `/status` (spec and status written apart, `generation` bumped by spec
   * changes only). Defaults to true when the class has a `status` field. `scale` serves `/scale`.
   */
  subresources?: { status?: boolean; scale?: ScaleSubresource };
  /** CEL rules on the whole object (`self.spec...`), checked on every write. */
  validations?: CelRule[];
}

/** {@link CustomResourceOptions} with every default filled in, plus the derived names. */
export interface CustomResourceConfig extends Required<
  Pick<CustomResourceOptions, 'group' | 'version' | 'kind'>
> {
  /** The class the configuration belongs to. */
  target: Class;
  plural: string;
  singular: string;
  listKind: string;
  scope: 'Namespaced' | 'Cluster';
  /** `group/version`, as objects carry it. */
  apiVersion: string;
  /** The CRD's name: `plural.group`. */
  crdName: string;
  shortNames: string[];
  categories: string[];
  printerColumns: PrinterColumn[];
  subresources: { status?: boolean; scale?: ScaleSubresource };
  validations: CelRule[];
}

/** Records `options` for `target`: the plain form of `@CustomResource`. Names are checked now. */
export function customResource(target: Class, options: CustomResourceOptions): void {
  resolve(target, options); // fail at declaration, where the stack points at the class
  Reflect.defineMetadata(METADATA.customResource, { ...options }, target);
}

/** `@CustomResource({ group, version, kind, ... })` on a class with `spec` (and `status`) fields. */
export function CustomResource(options: CustomResourceOptions): (target: Class) => void {
  return (target) => customResource(target, options);
}

/** The configuration recorded for `target`, defaults filled in; undefined when it has none. */
export function customResourceOf(target: Class): CustomResourceConfig | undefined {
  const options = Reflect.getOwnMetadata(METADATA.customResource, target) as
    CustomResourceOptions | undefined;
  return options && resolve(target, options);
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

function resolve(target: Class, options: CustomResourceOptions): CustomResourceConfig {
  const fail = (field: string, message: string): never => {
    throw new CustomResourceError(target.name || 'anonymous class', `@CustomResource ${field}`, message);
  };
  const { group, version, kind } = options;
  if (!DNS_SUBDOMAIN.test(group) || group.length > 253) {
    fail(
      'group',
      `"${group}" must be a lowercase DNS subdomain with at least one dot, like "db.example.com"`,
    );
  }
  if (!DNS_LABEL.test(version) || version.length > 63) {
    fail('version', `"${version}" must be a lowercase DNS label, like "v1" or "v1alpha1"`);
  }
  if (!KIND.test(kind))
    fail('kind', `"${kind}" must be UpperCamelCase letters and digits, like "PostgresCluster"`);
  const singular = options.singular ?? kind.toLowerCase();
  const plural = options.plural ?? pluralize(singular);
  for (const [name, value] of [
    ['plural', plural],
    ['singular', singular],
  ] as const) {
    if (!DNS_LABEL.test(value) || value.length > 63) fail(name, `"${value}" must be a lowercase DNS label`);
  }
  for (const short of options.shortNames ?? []) {
    if (!DNS_LABEL.test(short)) fail('shortNames', `"${short}" must be a lowercase DNS label`);
  }
  const crdName = `${plural}.${group}`;
  if (crdName.length > 253) fail('plural', `the CRD name "${crdName}" is longer than 253 characters`);
  return {
    target,
    group,
    version,
    kind,
    plural,
    singular,
    listKind: `${kind}List`,
    scope: options.scope ?? 'Namespaced',
    apiVersion: `${group}/${version}`,
    crdName,
    shortNames: options.shortNames ?? [],
    categories: options.categories ?? [],
    printerColumns: options.printerColumns ?? [],
    subresources: options.subresources ?? {},
    validations: options.validations ?? [],
  };
}

/**
 * English plural of a lowercase kind, as kubebuilder derives it for regular nouns (`cluster` →
 * `clusters`, `policy` → `policies`, `index` → `indexes`). Irregular ones need `plural`.
 */
export function pluralize(singular: string): string {
  if (/(s|x|z|ch|sh)$/.test(singular)) return `${singular}es`;
  if (/[^aeiou]y$/.test(singular)) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}
