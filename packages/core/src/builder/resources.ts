/**
 * Turns what a user names a kind by — a `@CustomResource` class or a `ResourceRef` — into the
 * `ResourceRef` a controller watches. Start with {@link resourceRefOf}.
 */
import type { ResourceRef } from '../client/types.js';
import { ControllerConfigError } from '../controller/controllerErrors.js';
import { customResourceOf } from '../decorators/customResource.js';
import type { KindLike } from './builderTypes.js';

/**
 * The `ResourceRef` for a `@CustomResource` class (its group, version, plural, kind and scope) or a
 * ref itself, for client calls: `client.get(resourceRefOf(Widget), name, { namespace })`. A
 * `ControllerConfigError` otherwise; `where` names the call in it and says what to pass instead.
 */
export function resourceRefOf(kind: KindLike, where = 'resourceRefOf'): ResourceRef {
  if (typeof kind === 'function') {
    const config = customResourceOf(kind);
    if (config === undefined) {
      throw new ControllerConfigError(
        `${where}: class ${kind.name || '(anonymous)'} has no @CustomResource decorator; decorate it with ` +
          `@CustomResource({ group, version, kind }) or pass a ResourceRef (builtin.configmaps, refFor(...))`,
      );
    }
    const { group, version, plural, kind: kindName, scope } = config;
    return { group, version, plural, kind: kindName, namespaced: scope === 'Namespaced' };
  }
  if (isResourceRef(kind)) return kind;
  throw new ControllerConfigError(
    `${where}: expected a @CustomResource class or a ResourceRef ({ group, version, plural, kind, ` +
      `namespaced }, e.g. builtin.configmaps), got ${describe(kind)}`,
  );
}

function isResourceRef(value: unknown): value is ResourceRef {
  if (typeof value !== 'object' || value === null) return false;
  const ref = value as Partial<Record<keyof ResourceRef, unknown>>;
  return (
    typeof ref.group === 'string' &&
    typeof ref.version === 'string' &&
    ref.version !== '' &&
    typeof ref.plural === 'string' &&
    ref.plural !== '' &&
    typeof ref.kind === 'string' &&
    ref.kind !== '' &&
    typeof ref.namespaced === 'boolean'
  );
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'object') return `an object with keys ${JSON.stringify(Object.keys(value))}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
