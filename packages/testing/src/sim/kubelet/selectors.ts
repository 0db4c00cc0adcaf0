/**
 * The matching the simulated kubelet, scheduler and Endpoints controller need without a scheduler
 * framework: label selectors (object or string form), node selector terms and taint tolerations.
 * Start with {@link matchesLabelSelector}.
 */

/** A metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A core/v1 NodeSelectorRequirement (`In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`). */
export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

type Labels = Record<string, string> | undefined;

/**
 * Whether `labels` match `selector`: a LabelSelector object, or the API's string form (`a=b`, `a!=b`,
 * `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma-separated). An empty selector matches everything.
 */
export function matchesLabelSelector(selector: LabelSelector | string | undefined, labels: Labels): boolean {
  if (selector === undefined) return true;
  const l = labels ?? {};
  if (typeof selector === 'string') return parseSelector(selector).every((r) => requirementHolds(r, l));
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  return (selector.matchExpressions ?? []).every((r) => requirementHolds(r, l));
}

/** Splits the string form into requirements (commas inside parentheses belong to a set). */
function parseSelector(selector: string): NodeSelectorRequirement[] {
  const terms = selector.split(/,(?![^(]*\))/).map((t) => t.trim());
  return terms
    .filter((t) => t !== '')
    .map((term) => {
      const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
      if (set) {
        const values = (set[3] ?? '').split(',').map((v) => v.trim());
        return { key: set[1] ?? '', operator: set[2] === 'in' ? 'In' : 'NotIn', values };
      }
      const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
      if (eq) return { key: eq[1] ?? '', operator: eq[2] === '!=' ? 'NotIn' : 'In', values: [eq[3] ?? ''] };
      if (term.startsWith('!')) return { key: term.slice(1), operator: 'DoesNotExist' };
      return { key: term, operator: 'Exists' };
    });
}

function requirementHolds(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const present = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return present && values.includes(value ?? '');
    case 'NotIn':
      return !present || !values.includes(value ?? '');
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'Gt':
    case 'Lt': {
      const n = Number(value);
      const bound = Number(values[0]);
      if (!present || !Number.isInteger(n) || !Number.isInteger(bound)) return false;
      return r.operator === 'Gt' ? n > bound : n < bound;
    }
    default:
      return false;
  }
}

/** Node affinity's required terms: ORed; within a term every expression and field must hold. */
export function matchesNodeSelectorTerms(
  terms: NodeSelectorTerm[],
  node: { name: string; labels: Labels },
): boolean {
  return terms.some(
    (t) =>
      (t.matchExpressions ?? []).every((r) => requirementHolds(r, node.labels ?? {})) &&
      (t.matchFields ?? []).every((r) => requirementHolds(r, { 'metadata.name': node.name })),
  );
}

/** Whether a toleration lets a pod stay on (or be scheduled onto) a node carrying `taint`. */
export function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect !== undefined && t.effect !== '' && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}
