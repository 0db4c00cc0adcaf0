/**
 * Overrides for class-validator-jsonschema's converters, so that its output can become a structural
 * schema: no `$ref`s (nested classes leave a marker that `schemaOf` inlines), no types inside `oneOf`
 * or `not`, OpenAPI v3.0 boolean exclusive bounds, and range/enum decorators that leave the type to the
 * type decorator (`@IsInt() @Min(1)` is an integer, whatever the order). Start with {@link converters}.
 */
import {
  EQUALS,
  IS_DATE,
  IS_DIVISIBLE_BY,
  IS_EMPTY,
  IS_ENUM,
  IS_IN,
  IS_ISO8601,
  IS_NEGATIVE,
  IS_NOT_IN,
  IS_POSITIVE,
  MATCHES,
  MAX,
  MAX_DATE,
  MIN,
  MIN_DATE,
  NOT_EQUALS,
  ValidationTypes,
} from 'class-validator';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import type { targetConstructorToSchema } from 'class-validator-jsonschema';
import type { JSONSchemaProps } from './types.js';

type Options = NonNullable<Parameters<typeof targetConstructorToSchema>[1]>;
type Converters = NonNullable<Options['additionalConverters']>;
type Converter = Extract<Converters[string], (...args: never[]) => unknown>;
type Metadata = Parameters<Converter>[0];

/** A raw node as it leaves class-validator-jsonschema, before `schemaOf` finishes it. */
export type RawSchema = JSONSchemaProps & {
  /** Index into the `classes` list: this node is that class, to be inlined. */
  'x-steward-class'?: number;
  /** A problem found while converting, reported with the field's path. */
  'x-steward-error'?: string;
};

/** The options for one `targetConstructorToSchema` call; nested classes are appended to `classes`. */
export function converterOptions(classes: unknown[]): Options {
  const marker = (type: unknown): RawSchema => {
    classes.push(type);
    return { 'x-steward-class': classes.length - 1 };
  };
  const additionalConverters: Record<string, (meta: Metadata) => RawSchema> = {
    [ValidationTypes.NESTED_VALIDATION]: (meta) => {
      const target = meta.target as () => void;
      const typeMeta = defaultMetadataStorage.findTypeMetadata(target, meta.propertyName);
      return marker(
        typeMeta
          ? typeMeta.typeFunction()
          : Reflect.getMetadata('design:type', target.prototype as object, meta.propertyName),
      );
    },
    // A user's own validator says nothing about the type; the field's declared type will.
    [ValidationTypes.CUSTOM_VALIDATION]: () => ({}),
    // Required-ness is `required`; `not: {type: null}` is not structural.
    [ValidationTypes.IS_DEFINED]: () => ({}),
    [IS_EMPTY]: () => ({}),
    [MIN]: (meta) => ({ minimum: c0(meta) as number }),
    [MAX]: (meta) => ({ maximum: c0(meta) as number }),
    [IS_POSITIVE]: () => ({ minimum: 0, exclusiveMinimum: true }),
    [IS_NEGATIVE]: () => ({ maximum: 0, exclusiveMaximum: true }),
    [IS_DIVISIBLE_BY]: (meta) => ({ multipleOf: c0(meta) as number }),
    [IS_IN]: (meta) => ({ enum: [...(c0(meta) as unknown[])] }),
    [IS_NOT_IN]: (meta) => ({ not: { enum: [...(c0(meta) as unknown[])] } }),
    [EQUALS]: (meta) => ({ enum: [c0(meta)] }),
    [NOT_EQUALS]: (meta) => ({ not: { enum: [c0(meta)] } }),
    [IS_ENUM]: (meta) => enumSchema(c0(meta) as Record<string, unknown>),
    [IS_DATE]: () => ({ type: 'string', format: 'date-time' }),
    [MIN_DATE]: () => ({ type: 'string', format: 'date-time' }),
    [MAX_DATE]: () => ({ type: 'string', format: 'date-time' }),
    [IS_ISO8601]: () => ({ type: 'string' }),
    [MATCHES]: (meta) => {
      const [pattern, modifiers] = meta.constraints as [RegExp | string, string | undefined];
      const re = typeof pattern === 'string' ? new RegExp(pattern, modifiers) : pattern;
      // The API server matches with Go's RE2, which has no flags outside the pattern itself.
      if (/[ims]/.test(re.flags)) {
        return {
          type: 'string',
          'x-steward-error': `@Matches(${String(re)}) uses flags "${re.flags}", which a CRD pattern cannot carry; write them into the pattern (for "i", use character classes like [Aa])`,
        };
      }
      return { type: 'string', pattern: re.source };
    },
  };
  // Our nodes are JSON Schema objects too; openapi3-ts's types just spell optional keys differently.
  return {
    classTransformerMetadataStorage: defaultMetadataStorage,
    additionalConverters: additionalConverters as unknown as Converters,
  };
}

/** A decorator's first argument. */
function c0(meta: Metadata): unknown {
  return (meta.constraints as unknown[])[0];
}

/** A TypeScript enum's values; a numeric enum's reverse mappings (`0 → "Red"`) are left out. */
function enumSchema(e: Record<string, unknown>): RawSchema {
  const values = Object.keys(e)
    .filter((key) => !(/^\d+$/.test(key) && typeof e[e[key] as string] === 'number'))
    .map((key) => e[key]);
  if (values.every((v) => typeof v === 'string')) return { type: 'string', enum: values };
  if (values.every((v) => Number.isInteger(v))) return { type: 'integer', enum: values };
  return {
    enum: values,
    'x-steward-error': '@IsEnum: an enum mixing strings and numbers has no single schema type',
  };
}
