/**
 * Field-level schema extras that class-validator cannot express: defaults, CEL rules, nullability,
 * maps, free-form objects, descriptions and printer columns. Start with {@link field} (the plain API);
 * each decorator (`@Default`, `@Cel`, `@MapOf`, ...) is one call to it.
 */
import type { CelRule, JSONSchemaProps, PrinterColumn } from '../crd/types.js';
import { conditionsSchema } from '../crd/conditionsSchema.js';
import { METADATA, ownMap, type Class } from './metadata.js';

/** A printer column taken from a field: `jsonPath` comes from where the field sits in the resource. */
export type FieldPrinterColumn = Partial<Omit<PrinterColumn, 'jsonPath'>>;

/** The value type of a map field: a primitive constructor, a class (inlined), or a schema. */
export type MapValueType =
  StringConstructor | NumberConstructor | BooleanConstructor | Class | JSONSchemaProps;

/** Everything Steward records about one field (or, for a class, about the object as a whole). */
export interface FieldOptions {
  /** Applied by the API server when the field is absent (and before validation). */
  default?: unknown;
  description?: string;
  /** Accept and keep an explicit `null` (otherwise the server drops it). */
  nullable?: boolean;
  /** Keep fields the schema does not name (otherwise the server prunes them). */
  preserveUnknownFields?: boolean;
  /** CEL rules (`x-kubernetes-validations`); `self` is this field's value. */
  validations?: CelRule[];
  /** The field is a map (`additionalProperties`) whose values have this type. */
  mapOf?: MapValueType;
  /** Schema keywords merged last, overriding what was derived (an escape hatch). */
  schema?: JSONSchemaProps;
  /** Show this field in `kubectl get`. */
  printerColumn?: FieldPrinterColumn;
}

/**
 * Records field options for `property` of `target` (or for the class itself when `property` is
 * undefined). Later calls merge into earlier ones; CEL rules accumulate.
 */
export function field(target: Class, property: string | undefined, options: FieldOptions): void {
  const map = ownMap<FieldOptions>(property === undefined ? METADATA.classFields : METADATA.fields, target);
  const key = property ?? '';
  const before = map.get(key) ?? {};
  const validations = [...(before.validations ?? []), ...(options.validations ?? [])];
  const merged: FieldOptions = { ...before, ...options };
  if (validations.length > 0) merged.validations = validations;
  map.set(key, merged);
}

/** The options recorded for each field of `target` (inherited ones included). */
export function fieldsOf(target: Class): ReadonlyMap<string, FieldOptions> {
  return (Reflect.getMetadata(METADATA.fields, target) as Map<string, FieldOptions> | undefined) ?? new Map();
}

/** The options recorded for `target` as a whole (class-level `@Cel`, `@PreserveUnknownFields`). */
export function classFieldOf(target: Class): FieldOptions {
  const map = Reflect.getMetadata(METADATA.classFields, target) as Map<string, FieldOptions> | undefined;
  return map?.get('') ?? {};
}

/** A decorator usable on a property, and on a class where `onClass` says so. */
type FieldDecorator = (target: object, property?: string | symbol) => void;

function decorator(options: FieldOptions, onClass: boolean, name: string): FieldDecorator {
  return (target, property) => {
    if (property === undefined) {
      if (!onClass) throw new TypeError(`@${name} applies to properties, not to classes`);
      field(target as Class, undefined, options);
      return;
    }
    if (typeof property === 'symbol') throw new TypeError(`@${name} cannot decorate a symbol property`);
    field((target as { constructor: Class }).constructor, property, options);
  };
}

/** `@Default(value)`: the API server sets this value when the field is absent. */
export function Default(value: unknown): FieldDecorator {
  return decorator({ default: value }, false, 'Default');
}

/** `@Description(text)`: shown by `kubectl explain`. On a class, describes the object. */
export function Description(text: string): FieldDecorator {
  return decorator({ description: text }, true, 'Description');
}

/** `@Nullable()`: an explicit `null` is accepted and stored. */
export function Nullable(): FieldDecorator {
  return decorator({ nullable: true }, false, 'Nullable');
}

/** `@PreserveUnknownFields()`: fields the schema does not name are kept (free-form objects). */
export function PreserveUnknownFields(): FieldDecorator {
  return decorator({ preserveUnknownFields: true }, true, 'PreserveUnknownFields');
}

/**
 * `@Cel(rule, message?)`: a CEL rule the API server checks on every write (`self` is the field, or
 * the object when on a class; transition rules use `oldSelf`). Repeat it for several rules.
 */
export function Cel(rule: string | CelRule, message?: string): FieldDecorator {
  const cel: CelRule = typeof rule === 'string' ? { rule } : rule;
  if (message !== undefined) cel.message = message;
  return decorator({ validations: [cel] }, true, 'Cel');
}

/** `@MapOf(String)`: a map from string keys to values of the given type (a class is inlined). */
export function MapOf(valueType: MapValueType): FieldDecorator {
  return decorator({ mapOf: valueType }, false, 'MapOf');
}

/** `@Schema({...})`: schema keywords merged over what was derived — for what no decorator says. */
export function Schema(schema: JSONSchemaProps): FieldDecorator {
  return decorator({ schema }, true, 'Schema');
}

/**
 * `@Conditions()`: the field is a list of metav1.Condition (`type`, `status`, `reason`, `message`,
 * `lastTransitionTime`, `observedGeneration`), keyed by `type` — what `ctx.status.setCondition` writes.
 */
export function Conditions(): FieldDecorator {
  return decorator({ schema: conditionsSchema() }, false, 'Conditions');
}

/**
 * `@PrinterColumn({ name?, type?, priority?, description?, format? })`: `kubectl get` shows this
 * field. The name defaults to the property name capitalised, the type to the field's schema type.
 */
export function PrinterColumn(column: FieldPrinterColumn = {}): FieldDecorator {
  return decorator({ printerColumn: column }, false, 'PrinterColumn');
}
