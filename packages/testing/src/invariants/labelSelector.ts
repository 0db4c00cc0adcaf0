/**
 * Label selectors for invariant snapshots: the string form (`app=db,tier!=cache,env in (a,b),!legacy`,
 * parsed by @steward/core's `labelSelector`) or a Service's map form, matched against an object's
 * labels. Start with {@link selectorMatcher}.
 */
import { labelSelector, StewardError } from '@steward/core';

/** A selector as Services (a map) or kubectl and the API (a string) spell it. */
export type LabelSelector = string | Readonly<Record<string, string>>;

/** A selector string that does not parse; the message quotes it and the part that failed. */
export class LabelSelectorError extends StewardError {
  constructor(message: string, cause: unknown) {
    super('LABEL_SELECTOR_INVALID', message, false, { cause });
  }
}

/** A predicate over labels; an empty selector matches everything, as the API's does. */
export function selectorMatcher(
  selector: LabelSelector,
): (labels: Readonly<Record<string, string>> | undefined) => boolean {
  if (typeof selector !== 'string') {
    const pairs = Object.entries(selector);
    return (labels) => pairs.every(([key, value]) => labels?.[key] === value);
  }
  try {
    const matches = labelSelector(selector);
    return (labels) => matches(labels);
  } catch (error) {
    throw new LabelSelectorError(error instanceof Error ? error.message : String(error), error);
  }
}
