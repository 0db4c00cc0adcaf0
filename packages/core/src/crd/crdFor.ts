/**
 * `crdFor(Class)`: the apiextensions.k8s.io/v1 CustomResourceDefinition of a `@CustomResource` class —
 * names, scope, one served and stored version with its structural schema, printer columns and
 * subresources. Start with {@link crdFor}; the schema itself comes from `schemaOf`.
 */
import { customResourceOf } from '../decorators/customResource.js';
import { CustomResourceError } from '../decorators/customResourceError.js';
import type { Class } from '../decorators/metadata.js';
import { schemaWithColumns } from './schemaOf.js';
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
  JSONSchemaProps,
  PrinterColumn,
} from './types.js';

/**
 * The CRD for `target`, a plain object ready to create through the API or to print as YAML.
 *
 * - The schema is the class's (see `schemaOf`), with `apiVersion`, `kind` and `metadata` added and
 *   the `validations` option's CEL rules on the root.
 * - The status subresource is on when `subresources.status` says so, or, by default, when the class
 *   has a `status` field.
 * - Printer columns: those of `@PrinterColumn` fields, then the `printerColumns` option, then `Age`
 *   (`.metadata.creationTimestamp`) unless a column has that name — declaring columns otherwise
 *   hides the Age that `kubectl get` shows by default.
 *
 * Throws a `CustomResourceError` (naming the field) when the class is not a custom resource or a field
 * has no structural schema.
 */
export function crdFor(target: Class): CustomResourceDefinition {
  const config = customResourceOf(target);
  if (!config) {
    throw new CustomResourceError(
      target.name || 'anonymous class',
      undefined,
      'not a custom resource; decorate it with @CustomResource({ group, version, kind }) or call customResource(Class, options)',
    );
  }
  const { schema, columns: fieldColumns } = schemaWithColumns(target);
  const root: JSONSchemaProps = {
    ...schema,
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...schema.properties,
    },
  };
  if (config.validations.length > 0) {
    root['x-kubernetes-validations'] = [...(root['x-kubernetes-validations'] ?? []), ...config.validations];
  }

  const version: CustomResourceDefinitionVersion = {
    name: config.version,
    served: true,
    storage: true,
    schema: { openAPIV3Schema: root },
  };
  const status = config.subresources.status ?? schema.properties?.['status'] !== undefined;
  if (status || config.subresources.scale) {
    version.subresources = {};
    if (status) version.subresources.status = {};
    if (config.subresources.scale) version.subresources.scale = { ...config.subresources.scale };
  }
  const columns: PrinterColumn[] = [...fieldColumns, ...config.printerColumns];
  if (columns.length > 0) {
    if (!columns.some((c) => c.name === 'Age')) {
      columns.push({ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' });
    }
    version.additionalPrinterColumns = columns;
  }

  const names: CustomResourceDefinition['spec']['names'] = {
    kind: config.kind,
    listKind: config.listKind,
    plural: config.plural,
    singular: config.singular,
  };
  if (config.shortNames.length > 0) names.shortNames = [...config.shortNames];
  if (config.categories.length > 0) names.categories = [...config.categories];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: config.crdName },
    spec: { group: config.group, names, scope: config.scope, versions: [version] },
  };
}
