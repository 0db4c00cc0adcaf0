/**
 * `fieldValidation` handling: unknown fields found while decoding fail a Strict request (400
 * `strict decoding error: unknown field "spec.foo"`) and become `Warning` headers under Warn (the default).
 *
 * Start with {@link applyFieldValidation}.
 */
import { badRequest } from '../errors/status.js';
import { duplicateFields } from '../registry/builtinFields.js';
import type { RequestContext } from './context.js';

export function applyFieldValidation(ctx: RequestContext, unknownFields: string[]): void {
  if (unknownFields.length === 0) return;
  const mode = ctx.query.get('fieldValidation') || 'Warn';
  if (mode === 'Ignore') return;
  if (mode === 'Strict') {
    throw badRequest(
      `strict decoding error: ${unknownFields.map((f) => `unknown field ${JSON.stringify(f)}`).join(', ')}`,
    );
  }
  for (const f of unknownFields) ctx.warnings.push(`unknown field ${JSON.stringify(f)}`);
}

/** Duplicate JSON keys in a request body: 400 under Strict, a Warning under Warn. */
export function checkDuplicateFields(ctx: RequestContext, text: string): void {
  const mode = ctx.query.get('fieldValidation') || 'Warn';
  if (mode === 'Ignore') return;
  const dups = duplicateFields(text);
  if (dups.length === 0) return;
  if (mode === 'Strict')
    throw badRequest(
      `strict decoding error: ${dups.map((f) => `duplicate field ${JSON.stringify(f)}`).join(', ')}`,
    );
  for (const f of dups) ctx.warnings.push(`duplicate field ${JSON.stringify(f)}`);
}
