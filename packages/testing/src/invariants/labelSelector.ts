/**
 * Label selectors for invariant snapshots: the string form (`app=db,tier!=cache,env in (a,b),!legacy`)
 * or a Service's map form, matched against an object's labels. Start with {@link selectorMatcher}.
 */
import { StewardError } from '@steward/core';

/** A selector as Services (a map) or kubectl and the API (a string) spell it. */
export type LabelSelector = string | Readonly<Record<string, string>>;

type Requirement = (labels: Readonly<Record<string, string>>) => boolean;

/** A selector string that does not parse; the message quotes it and the part that failed. */
export class LabelSelectorError extends StewardError {
  constructor(selector: string, part: string) {
    super(
      'LABEL_SELECTOR_INVALID',
      `label selector "${selector}": cannot parse "${part}"; use key=value, key!=value, key in (a,b), key notin (a,b), key or !key`,
      false,
    );
  }
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

function requirement(selector: string, term: string): Requirement {
  const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key = '', op, list = ''] = set;
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in'
      ? (l) => l[key] !== undefined && values.has(l[key])
      : (l) => l[key] === undefined || !values.has(l[key]);
  }
  const eq = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s,]*)$/.exec(term);
  if (eq) {
    const [, key = '', op, value = ''] = eq;
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  const exists = /^(!?)([^\s!=()]+)$/.exec(term);
  if (exists) {
    const [, not, key = ''] = exists;
    return not ? (l) => l[key] === undefined : (l) => l[key] !== undefined;
  }
  throw new LabelSelectorError(selector, term);
}

/** A predicate over labels; an empty selector matches everything, as the API's does. */
export function selectorMatcher(
  selector: LabelSelector,
): (labels: Readonly<Record<string, string>> | undefined) => boolean {
  const requirements: Requirement[] =
    typeof selector === 'string'
      ? splitTerms(selector).map((term) => requirement(selector, term))
      : Object.entries(selector).map(
          ([key, value]) =>
            (l) =>
              l[key] === value,
        );
  return (labels) => requirements.every((r) => r(labels ?? {}));
}
