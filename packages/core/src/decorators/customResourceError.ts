/**
 * The error raised when a custom resource's declaration cannot become a valid CRD: a bad name, a field
 * whose schema type cannot be known, an unstructural construct. Start with {@link CustomResourceError}.
 */
import { StewardError, type StewardErrorOptions } from '../errors/errors.js';

/**
 * A custom resource class or its options cannot produce a valid CRD. Never retryable: the code must
 * change. The message names the class, the field path and what to add or change.
 */
export class CustomResourceError extends StewardError {
  /** The class's name. */
  readonly resource: string;
  /** The field's path in the resource (`spec.storage.size`), when one field is at fault. */
  readonly field: string | undefined;

  constructor(
    resource: string,
    field: string | undefined,
    message: string,
    options: StewardErrorOptions = {},
  ) {
    super('CUSTOM_RESOURCE_INVALID', `${resource}${field ? ` ${field}` : ''}: ${message}`, false, options);
    this.resource = resource;
    this.field = field;
  }
}
