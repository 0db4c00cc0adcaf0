/**
 * The reflect-metadata keys under which Steward's decorators record configuration, and the small
 * helpers that read and write it. Start with {@link METADATA}; decorators only ever write here, and
 * the plain API (`customResource()`, `field()`, later `controller()`) reads the same entries.
 */
import 'reflect-metadata';

/**
 * One key per kind of configuration. `Symbol.for` so that two copies of @steward/core in one process
 * (a linked workspace and a published build) still see each other's decorators.
 */
export const METADATA = {
  /** `CustomResourceOptions` on a class (`@CustomResource`, `customResource()`). */
  customResource: Symbol.for('steward.dev/custom-resource'),
  /** `Map<property, FieldOptions>` on a class (`@Default`, `@Cel`, `field()`, ...). */
  fields: Symbol.for('steward.dev/fields'),
  /** `FieldOptions` that apply to a class as a whole (class-level `@Cel`, `@PreserveUnknownFields`). */
  classFields: Symbol.for('steward.dev/class-fields'),
  /** Reserved for `@Controller` (controller options on a reconciler class). */
  controller: Symbol.for('steward.dev/controller'),
} as const;

/** A class constructor, whatever its arguments. */
// oxlint-disable-next-line typescript/no-explicit-any -- any constructor signature must be accepted
export type Class<T = unknown> = abstract new (...args: any[]) => T;

/**
 * Reads a class's own map for `key`, copying an inherited one first so that a subclass's decorators
 * never write into its parent's configuration.
 */
export function ownMap<V>(key: symbol, target: object): Map<string, V> {
  const own = Reflect.getOwnMetadata(key, target) as Map<string, V> | undefined;
  if (own) return own;
  const inherited = Reflect.getMetadata(key, target) as Map<string, V> | undefined;
  const map = new Map<string, V>(inherited ?? []);
  Reflect.defineMetadata(key, map, target);
  return map;
}
