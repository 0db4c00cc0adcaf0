/**
 * A label selector matcher for cached lists, in the API server's string syntax (`a=b`, `a!=b`,
 * `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma-separated, all must hold). Start with
 * {@link labelSelector}.
 */
import { ControllerConfigError } from './controllerErrors.js';

type Requirement = (labels: Record<string, string>) => boolean;

/** Compiles `selector` once; the result tests an object's labels. Throws on a malformed selector. */
export function labelSelector(selector: string): (labels: Record<string, string> | undefined) => boolean {
  const requirements = splitTerms(selector).map((term) => requirement(term, selector));
  return (labels = {}) => requirements.every((r) => r(labels));
}

/** Splits on commas outside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

const has = (labels: Record<string, string>, key: string): boolean =>
  Object.prototype.hasOwnProperty.call(labels, key);

function requirement(term: string, selector: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key = '', op, list = ''] = set;
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in'
      ? (l) => has(l, key) && values.has(l[key] ?? '')
      : (l) => !has(l, key) || !values.has(l[key] ?? '');
  }
  const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (eq) {
    const [, key = '', op, value = ''] = eq;
    return op === '!=' ? (l) => l[key] !== value || !has(l, key) : (l) => has(l, key) && l[key] === value;
  }
  const exists = /^(!?)([^!=\s()]+)$/.exec(term);
  if (exists) {
    const [, not, key = ''] = exists;
    return not === '!' ? (l) => !has(l, key) : (l) => has(l, key);
  }
  throw new ControllerConfigError(
    `label selector ${JSON.stringify(selector)}: cannot parse ${JSON.stringify(term)}; use a=b, a!=b, a in (x,y), a notin (x), a or !a`,
  );
}

/** The structured form objects carry (`spec.selector` of a StatefulSet, a PodDisruptionBudget…). */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

/**
 * The string form of a structured selector, for `list({ labelSelector })` and {@link labelSelector}.
 * An empty selector (`{}`) is `''`, which matches everything, as the API server reads it.
 */
export function formatLabelSelector(selector: LabelSelectorObject): string {
  const terms = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0)
        throw new ControllerConfigError(
          `label selector: matchExpressions key ${JSON.stringify(key)} with operator ${operator} needs at least one value`,
        );
      terms.push(`${key} ${operator === 'In' ? 'in' : 'notin'} (${values.join(',')})`);
    } else if (operator === 'Exists') terms.push(key);
    else if (operator === 'DoesNotExist') terms.push(`!${key}`);
    else
      throw new ControllerConfigError(
        `label selector: matchExpressions key ${JSON.stringify(key)} has operator ${JSON.stringify(operator)}; use In, NotIn, Exists or DoesNotExist`,
      );
  }
  return terms.join(',');
}
