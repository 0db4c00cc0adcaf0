/**
 * `ValidateLabelSelector` for built-in specs (a PodDisruptionBudget's selector): label keys and values,
 * and each expression's operator and values, with the real field paths and messages.
 *
 * Start with {@link validateLabelSelector}.
 */
import type { StatusCause } from '../errors/status.js';
import { asList, asObj } from './jsonValues.js';
import { forbiddenCause, invalidCause, qualifiedNameProblems, requiredCause } from './nameValidation.js';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function labelValueProblems(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(v)) out.push(LABEL_VALUE_MSG);
  return out;
}

/** The causes of a metav1.LabelSelector at `path` (none for an absent selector). */
export function validateLabelSelector(selector: unknown, path: string): StatusCause[] {
  const sel = asObj(selector);
  if (!sel) return [];
  const causes: StatusCause[] = [];
  asList(sel['matchExpressions']).forEach((e, i) => {
    const expr = asObj(e) ?? {};
    const at = `${path}.matchExpressions[${i}]`;
    const values = asList(expr['values']);
    const op = expr['operator'];
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0)
        causes.push(requiredCause(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0)
        causes.push(
          forbiddenCause(
            `${at}.values`,
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
    } else causes.push(invalidCause(`${at}.operator`, op ?? '', 'not a valid selector operator'));
    const key = typeof expr['key'] === 'string' ? expr['key'] : '';
    for (const p of qualifiedNameProblems(key)) causes.push(invalidCause(`${at}.key`, key, p));
  });
  for (const [k, v] of Object.entries(asObj(sel['matchLabels']) ?? {})) {
    for (const p of qualifiedNameProblems(k)) causes.push(invalidCause(`${path}.matchLabels`, k, p));
    const value = typeof v === 'string' ? v : '';
    for (const p of labelValueProblems(value)) causes.push(invalidCause(`${path}.matchLabels`, value, p));
  }
  return causes;
}
