/**
 * Query options shared by the write verbs (`dryRun`, `fieldValidation`, `fieldManager`, `force`) and their
 * validation, with the 422 the real server sends for `<Verb>Options.meta.k8s.io`.
 *
 * Start with {@link validateWriteOptions}.
 */
import { StatusError, type StatusCause } from '../errors/status.js';
import type { RequestContext } from './context.js';

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

export function optionsInvalid(kind: OptionsKind, causes: StatusCause[]): StatusError {
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  return new StatusError({
    reason: 'Invalid',
    code: 422,
    message: `${kind}.meta.k8s.io "" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`,
    details: { group: 'meta.k8s.io', kind, causes },
  });
}

/** `dryRun` values, from the query (repeatable) or a DeleteOptions body. */
export function dryRunValues(ctx: RequestContext): string[] {
  return ctx.query.getAll('dryRun');
}

export function isDryRun(ctx: RequestContext): boolean {
  return dryRunValues(ctx).includes('All');
}

/** The field manager for a write: `fieldManager`, else the User-Agent's program name (as the real server derives it). */
export function fieldManager(ctx: RequestContext): string {
  const explicit = ctx.query.get('fieldManager');
  if (explicit) return explicit;
  const ua = ctx.req.headers['user-agent'] ?? '';
  // prefixFromUserAgent: the part before the first '/', cut to 128 characters; "unknown" without one.
  return (ua.split('/')[0] ?? '').slice(0, 128) || 'unknown';
}

export function validateWriteOptions(ctx: RequestContext, kind: OptionsKind, apply = false): void {
  const causes: StatusCause[] = [];
  // ValidateDryRun reports the whole list once, printed as JSON.
  const dryRun = dryRunValues(ctx);
  if (dryRun.some((v) => v !== 'All'))
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(dryRun)}: supported values: "All"`,
      field: 'dryRun',
    });
  const fv = ctx.query.get('fieldValidation');
  if (fv !== null && !['', 'Ignore', 'Warn', 'Strict'].includes(fv)) {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(fv)}: supported values: "", "Ignore", "Strict", "Warn"`,
      field: 'fieldValidation',
    });
  }
  const fm = ctx.query.get('fieldManager');
  if (fm !== null && fm.length > 128)
    causes.push({
      reason: 'FieldValueTooLong',
      message: 'Too long: may not be more than 128 bytes',
      field: 'fieldManager',
    });
  if (kind === 'PatchOptions') {
    if (apply && !fm)
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value: is required for apply patch',
        field: 'fieldManager',
      });
    if (!apply && ctx.query.has('force'))
      causes.push({
        reason: 'FieldValueForbidden',
        message: 'Forbidden: may not be specified for non-apply patch',
        field: 'force',
      });
  }
  if (causes.length > 0) throw optionsInvalid(kind, causes);
}
