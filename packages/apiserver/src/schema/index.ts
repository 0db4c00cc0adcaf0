/**
 * CRD schema machinery: validation (OpenAPI v3 + CEL), defaulting and pruning of custom resources,
 * validation of CustomResourceDefinitions themselves, and the ResourceInfos a CRD serves.
 * Start with {@link compileSchema}; the server core calls only the exports of this file.
 */
import type { StatusCause } from '../errors/status.js';
import type { JSONSchemaProps } from '../registry/types.js';
import { hasRules, validateCel } from './celRules.js';
import { applyDefaults } from './defaults.js';
import { fieldError, NIL_PATH } from './fieldError.js';
import { validateListTypes } from './listTypes.js';
import { validateOpenApi } from './openApiValidator.js';
import { pruneObject } from './prune.js';

export { validateCustomResourceDefinition, defaultCustomResourceDefinition } from './crdValidation.js';
export { resourcesOfCrd } from './crdResources.js';

export interface CompiledSchema {
  /** Applies `default`s in place, as the real server does on decode and read (KEP-575: defaults apply
   *  only where the parent object exists; nested defaults inside a default are applied too). */
  applyDefaults(obj: Record<string, unknown>): void;
  /** Drops, in place, every field the schema does not declare, unless x-kubernetes-preserve-unknown-fields
   *  covers it; apiVersion, kind and metadata at the root are kept (metadata is pruned to ObjectMeta's
   *  fields). Returns the sorted paths of pruned fields as the server words them in `unknown field "<path>"`
   *  (e.g. `spec.foo`, `spec.items[0].bar`, `metadata.foo`). */
  prune(obj: Record<string, unknown>): string[];
  /** Validates (OpenAPI v3 constraints, list-type invariants, then x-kubernetes-validations CEL rules;
   *  transition rules see `oldSelf` when `old` is given). Causes carry the real fields and messages. */
  validate(obj: Record<string, unknown>, old?: Record<string, unknown>): StatusCause[];
}

/** Error types after which the server does not run CEL rules (`hasBlockingErr` in the CR strategy). */
const BLOCKING = new Set([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

const cache = new WeakMap<JSONSchemaProps, CompiledSchema>();

/** A reusable validator/defaulter/pruner for one schema, cached by the schema object's identity. */
export function compileSchema(schema: JSONSchemaProps): CompiledSchema {
  const hit = cache.get(schema);
  if (hit) return hit;
  const withRules = hasRules(schema);
  const compiled: CompiledSchema = {
    applyDefaults: (obj) => applyDefaults(obj, schema),
    prune: (obj) => pruneObject(obj, schema),
    validate(obj, old) {
      const errs = validateOpenApi(schema, obj);
      validateListTypes('', schema, obj, errs);
      if (withRules) {
        if (errs.some((e) => BLOCKING.has(e.reason ?? ''))) {
          errs.push(
            fieldError(
              'FieldValueInvalid',
              NIL_PATH,
              null,
              'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
            ),
          );
        } else {
          validateCel(schema, obj, old, null, errs);
        }
      }
      return errs;
    },
  };
  cache.set(schema, compiled);
  return compiled;
}
