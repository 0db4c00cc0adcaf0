/**
 * `fieldValidation` handling: unknown fields found while decoding fail a Strict request (400
 * `strict decoding error: unknown field "spec.foo"`) and become `Warning` headers under Warn (the default).
 *
 * Start with {@link applyFieldValidation}.
 */
import { StatusError } from '../errors/status.js';
import { duplicateFields } from '../registry/builtinFields.js';
import type { RequestContext } from './context.js';

/**
 * A Strict request's decode failure (400). The decoder's text carries the type it decoded into
 * (`ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: ...`); the PATCH
 * handler re-reports it as a 422 on the patch (see {@link strictPatchError}).
 */
export class StrictDecodingError extends StatusError {
  /** `strict decoding error: unknown field "x", ...` */
  readonly detail: string;

  constructor(ctx: RequestContext, detail: string) {
    const { kind, version } = ctx.info;
    super({
      reason: 'BadRequest',
      code: 400,
      message: `${kind} in version "${version}" cannot be handled as a ${kind}: ${detail}`,
    });
    this.detail = detail;
  }
}

/** handlers/patch.go: a Strict patch whose result has unknown fields is `Invalid` on the field `patch`. */
export function strictPatchError(detail: string, patched: string): StatusError {
  const message = `Invalid value: ${JSON.stringify(patched)}: ${detail}`;
  return new StatusError({
    reason: 'Invalid',
    code: 422,
    message: ` "" is invalid: patch: ${message}`,
    details: { causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }] },
  });
}

export function applyFieldValidation(ctx: RequestContext, unknownFields: string[]): void {
  if (unknownFields.length === 0) return;
  const mode = ctx.query.get('fieldValidation') || 'Warn';
  if (mode === 'Ignore') return;
  if (mode === 'Strict') {
    throw new StrictDecodingError(
      ctx,
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
    throw new StrictDecodingError(
      ctx,
      `strict decoding error: ${dups.map((f) => `duplicate field ${JSON.stringify(f)}`).join(', ')}`,
    );
  for (const f of dups) ctx.warnings.push(`duplicate field ${JSON.stringify(f)}`);
}

/** Go's `%v` of a decoded JSON value (`map[bogus:1 spec:map[a:[1 2]]]`), as the strategic patch error prints it. */
export function goValueString(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goValueString).join(' ')}]`;
  if (v === null) return '<nil>';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const entries = Object.keys(o)
      .sort()
      .map((k) => `${k}:${goValueString(o[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}
