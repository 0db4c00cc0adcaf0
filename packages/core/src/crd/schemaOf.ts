/**
 * `schemaOf(Class)`: the structural OpenAPI v3 schema of a class whose fields carry class-validator
 * decorators (read through class-validator-jsonschema) and Steward's field extras (`@Default`, `@Cel`,
 * `@MapOf`, ...). Nested classes are inlined, every node gets a type, and whatever a structural schema
 * cannot hold fails here, naming the field, rather than at `kubectl apply`. Start with {@link schemaOf}.
 */
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { CustomResourceError } from '../decorators/customResourceError.js';
import { classFieldOf, fieldsOf, type FieldOptions, type MapValueType } from '../decorators/fields.js';
import type { Class } from '../decorators/metadata.js';
import { converterOptions, type RawSchema } from './converters.js';
import type { JSONSchemaProps, PrinterColumn } from './types.js';

/** State of one walk from a root class: where columns are collected and which classes are open. */
interface Walk {
  root: string;
  columns: PrinterColumn[];
  open: Class[];
}

/** The result of {@link schemaWithColumns}: the schema and the `@PrinterColumn` fields found in it. */
export interface SchemaWithColumns {
  schema: JSONSchemaProps;
  columns: PrinterColumn[];
}

/** The structural schema of `target`: an object schema with its fields, nested classes inlined. */
export function schemaOf(target: Class): JSONSchemaProps {
  return schemaWithColumns(target).schema;
}

/** {@link schemaOf}, plus printer columns with JSON paths from the class's root. */
export function schemaWithColumns(target: Class): SchemaWithColumns {
  const walk: Walk = { root: target.name || 'anonymous class', columns: [], open: [] };
  return { schema: classSchema(target, '', walk), columns: walk.columns };
}

// Formats the API server knows; class-validator-jsonschema emits others (url, json, ...) that it
// does not, so those are dropped rather than rejected.
const FORMATS = new Set([
  'bsonobjectid', 'uri', 'email', 'hostname', 'ipv4', 'ipv6', 'cidr', 'mac', 'uuid', 'uuid3', 'uuid4',
  'uuid5', 'isbn', 'isbn10', 'isbn13', 'creditcard', 'ssn', 'hexcolor', 'rgbcolor', 'byte', 'password',
  'date', 'duration', 'date-time', 'datetime', 'int32', 'int64', 'float', 'double',
]); // prettier-ignore

function classSchema(target: Class, path: string, walk: Walk): JSONSchemaProps {
  if (walk.open.includes(target)) {
    fail(
      walk,
      path,
      `${target.name} contains itself; a CRD schema cannot recurse — cut the cycle with @PreserveUnknownFields()`,
    );
  }
  walk.open.push(target);
  const classes: unknown[] = [];
  const raw = targetConstructorToSchema(target, converterOptions(classes)) as RawSchema;
  const fields = fieldsOf(target);
  const names = new Set([...Object.keys(raw.properties ?? {}), ...fields.keys()]);
  const properties: Record<string, JSONSchemaProps> = {};
  for (const name of names) {
    const at = path ? `${path}.${name}` : name;
    properties[name] = fieldSchema(
      target,
      name,
      raw.properties?.[name] ?? {},
      fields.get(name) ?? {},
      at,
      walk,
      classes,
    );
  }
  const node: JSONSchemaProps = { type: 'object', properties };
  const required = (raw.required ?? []).filter((name) => names.has(name));
  if (required.length > 0) node.required = required;
  applyOptions(node, classFieldOf(target), path, walk);
  walk.open.pop();
  return node;
}

function fieldSchema(
  owner: Class,
  name: string,
  raw: RawSchema,
  options: FieldOptions,
  path: string,
  walk: Walk,
  classes: unknown[],
): JSONSchemaProps {
  const declared = Reflect.getMetadata('design:type', owner.prototype as object, name) as unknown;
  let node: RawSchema = { ...raw };
  // `@ValidateNested()` on an array or Map validates each element: the class is the element's.
  if (node['x-steward-class'] !== undefined && (declared === Array || declared === Map)) {
    const { 'x-steward-class': id, ...rest } = node;
    const element: RawSchema = { 'x-steward-class': id };
    node =
      declared === Array
        ? { ...rest, type: 'array', items: element }
        : { ...rest, type: 'object', additionalProperties: element };
  }
  const typed = finish(node, path, walk, classes);
  if (typed.type === undefined && !typed.properties) Object.assign(typed, typeOf(declared, path, walk));
  const fromEnum = typed.type === undefined && typed.enum ? enumType(typed.enum) : undefined;
  if (fromEnum) typed.type = fromEnum;
  if (options.mapOf !== undefined) {
    delete typed.properties;
    typed.type = 'object';
    typed.additionalProperties = valueSchema(options.mapOf, `${path}{}`, walk);
  }
  applyOptions(typed, options, path, walk);
  check(typed, path, walk);
  return typed;
}

/** Inlines class markers, drops what a structural schema forbids, reports converter errors. */
function finish(raw: RawSchema, path: string, walk: Walk, classes: unknown[]): JSONSchemaProps {
  const { 'x-steward-class': id, 'x-steward-error': error, ...node } = raw as RawSchema & { $ref?: string };
  if (error !== undefined) fail(walk, path, error);
  let out: JSONSchemaProps = node;
  if (id !== undefined) out = { ...node, ...typeOf(classes[id], path, walk) };
  if (out.items) out.items = finish(out.items, `${path}[]`, walk, classes);
  if (typeof out.additionalProperties === 'object') {
    out.additionalProperties = finish(out.additionalProperties, `${path}{}`, walk, classes);
  }
  if (out.format !== undefined && !FORMATS.has(out.format)) delete out.format;
  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = out[junctor]?.map(valueOnly).filter((s) => Object.keys(s).length > 0);
    if (list && list.length > 0) out[junctor] = list;
    else delete out[junctor];
  }
  if (out.not) {
    const not = valueOnly(out.not);
    if (Object.keys(not).length > 0) out.not = not;
    else delete out.not;
  }
  return out;
}

/** A junctor's branch: structural schemas allow value checks there, never types or defaults. */
function valueOnly(schema: JSONSchemaProps): JSONSchemaProps {
  const { type: _t, nullable: _n, default: _d, description: _s, additionalProperties: _a, ...rest } = schema;
  for (const key of Object.keys(rest))
    if (key.startsWith('x-')) delete (rest as Record<string, unknown>)[key];
  return rest;
}

/** The schema of a declared TypeScript type: a primitive constructor, Date, Array, Object or a class. */
function typeOf(type: unknown, path: string, walk: Walk): JSONSchemaProps {
  switch (type) {
    case undefined:
      return {};
    case String:
      return { type: 'string' };
    case Number:
      return { type: 'number' };
    case Boolean:
      return { type: 'boolean' };
    case Date:
      return { type: 'string', format: 'date-time' };
    case Array:
      return { type: 'array' };
    case Object:
    case Map:
      return { type: 'object' };
    default:
      if (typeof type === 'function') return classSchema(type as Class, path, walk);
      return fail(walk, path, `cannot derive a schema from ${String(type)}`);
  }
}

function valueSchema(value: MapValueType, path: string, walk: Walk): JSONSchemaProps {
  const schema = typeof value === 'function' ? typeOf(value, path, walk) : { ...value };
  check(schema, path, walk);
  return schema;
}

function enumType(values: unknown[]): JSONSchemaProps['type'] {
  if (values.every((v) => typeof v === 'string')) return 'string';
  if (values.every((v) => Number.isInteger(v))) return 'integer';
  if (values.every((v) => typeof v === 'number')) return 'number';
  if (values.every((v) => typeof v === 'boolean')) return 'boolean';
  return undefined;
}

function applyOptions(node: JSONSchemaProps, options: FieldOptions, path: string, walk: Walk): void {
  if (options.description !== undefined) node.description = options.description;
  if (options.nullable) node.nullable = true;
  if (options.default !== undefined) node.default = options.default;
  if (options.preserveUnknownFields) {
    node['x-kubernetes-preserve-unknown-fields'] = true;
    node.type ??= 'object';
  }
  if (options.validations)
    node['x-kubernetes-validations'] = [...(node['x-kubernetes-validations'] ?? []), ...options.validations];
  if (options.schema) Object.assign(node, options.schema);
  if (options.printerColumn) {
    if (/[[{]/.test(path) || path === '')
      fail(walk, path, '@PrinterColumn must be on a field outside arrays and maps');
    const { name, type, ...rest } = options.printerColumn;
    const last = path.slice(path.lastIndexOf('.') + 1);
    walk.columns.push({
      name: name ?? last.charAt(0).toUpperCase() + last.slice(1),
      type: type ?? columnType(node, path, walk),
      jsonPath: `.${path}`,
      ...rest,
    });
  }
}

function columnType(node: JSONSchemaProps, path: string, walk: Walk): PrinterColumn['type'] {
  if (node.type === 'string' && (node.format === 'date-time' || node.format === 'date')) return 'date';
  if (
    node.type === 'string' ||
    node.type === 'integer' ||
    node.type === 'number' ||
    node.type === 'boolean'
  ) {
    return node.type;
  }
  return fail(
    walk,
    path,
    `@PrinterColumn needs a scalar field, not ${node.type ?? 'an untyped one'}; give its type`,
  );
}

/** Every node typed; arrays say what they hold; objects say their fields, map values, or keep all. */
function check(node: JSONSchemaProps, path: string, walk: Walk): void {
  if (
    node.type === undefined &&
    !node['x-kubernetes-preserve-unknown-fields'] &&
    !node['x-kubernetes-int-or-string']
  ) {
    fail(
      walk,
      path,
      'its type is unknown; add a type decorator (@IsString(), @IsInt(), @IsBoolean(), @ValidateNested() with @Type(() => X)) or @Schema({ type })',
    );
  }
  if (node.type === 'array') {
    if (
      !node.items ||
      (node.items.type === undefined && !node.items['x-kubernetes-preserve-unknown-fields'])
    ) {
      fail(
        walk,
        path,
        "the array's items have no type; add @IsString({ each: true }) (or @IsInt, ...), or @ValidateNested({ each: true }) with @Type(() => Item)",
      );
    }
  }
  if (
    node.type === 'object' &&
    !node.properties &&
    node.additionalProperties === undefined &&
    !node['x-kubernetes-preserve-unknown-fields']
  ) {
    fail(
      walk,
      path,
      'a free-form object has no structural schema; use @MapOf(String) (or a class) for a map, a class with @ValidateNested() @Type(() => X), or @PreserveUnknownFields() — and if the field is typed with a union or a type alias (`phase?: Phase`), decorator metadata only says Object: add @IsString()/@IsIn([...]) (or @IsInt()) to give its type',
    );
  }
  if ('$ref' in node) fail(walk, path, 'a $ref survived; CRD schemas must be inline');
}

function fail(walk: Walk, path: string, message: string): never {
  throw new CustomResourceError(walk.root, path || undefined, message);
}
