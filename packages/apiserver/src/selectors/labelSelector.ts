/**
 * Label selector parsing and matching with the grammar, validation and error messages of
 * apimachinery's `labels.Parse`. Start with {@link parseLabelSelector}.
 */
import { badRequest } from '../errors/status.js';
import { goQuote, isQualifiedName, isValidLabelValue } from './nameValidation.js';
import { lex, Tok, type Item } from './labelLexer.js';

export interface LabelSelector {
  readonly empty: boolean;
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  toString(): string;
}

export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted and deduplicated, as the server's string set keeps them. */
  readonly values: readonly string[];
}

/** Thrown inside the parser; becomes a 400 with exactly this text. */
class SelectorSyntaxError extends Error {}

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  /** In value position the keywords `in`/`notin` are ordinary identifiers. */
  private peek(values: boolean): Item {
    const it = this.items[this.pos] ?? { tok: Tok.End, lit: '' };
    return values && (it.tok === Tok.In || it.tok === Tok.NotIn) ? { tok: Tok.Identifier, lit: it.lit } : it;
  }

  private next(values: boolean): Item {
    const it = this.peek(values);
    this.pos++;
    return it;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek(true);
      if (tok === Tok.End) return reqs;
      if (tok !== Tok.Identifier && tok !== Tok.Not) {
        throw new SelectorSyntaxError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
      try {
        reqs.push(this.requirement());
      } catch (e) {
        if (e instanceof SelectorSyntaxError)
          throw new SelectorSyntaxError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const after = this.next(true);
      if (after.tok === Tok.End) return reqs;
      if (after.tok !== Tok.Comma)
        throw new SelectorSyntaxError(`found '${after.lit}', expected: ',' or 'end of string'`);
      const following = this.peek(true);
      if (following.tok !== Tok.Identifier && following.tok !== Tok.Not) {
        throw new SelectorSyntaxError(`found '${following.lit}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    let operator: LabelOperator | undefined;
    let { tok, lit } = this.next(true);
    if (tok === Tok.Not) {
      operator = '!';
      ({ tok, lit } = this.next(true));
    }
    if (tok !== Tok.Identifier) throw new SelectorSyntaxError(`found '${lit}', expected: identifier`);
    const key = lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length > 0)
      throw new SelectorSyntaxError(`<nil>: Invalid value: ${goQuote(key)}: ${keyErrs.join('; ')}`);
    const la = this.peek(true).tok;
    if (la === Tok.End || la === Tok.Comma) return { key, operator: operator ?? 'exists', values: [] };
    // `!key` is complete by itself; whatever follows must be `,` or the end (checked by the caller).
    if (operator === '!') return { key, operator, values: [] };
    const op = this.next(false);
    const binary: Partial<Record<Tok, LabelOperator>> = {
      [Tok.In]: 'in',
      [Tok.NotIn]: 'notin',
      [Tok.Equals]: '=',
      [Tok.DoubleEquals]: '==',
      [Tok.NotEquals]: '!=',
      [Tok.Greater]: 'gt',
      [Tok.Less]: 'lt',
    };
    const found = binary[op.tok];
    if (found === undefined)
      throw new SelectorSyntaxError(`found '${op.lit}', expected: ${BINARY_OPERATORS}`);
    const values = found === 'in' || found === 'notin' ? this.setValues() : this.exactValue();
    return validated(key, found, [...new Set(values)].sort());
  }

  private setValues(): string[] {
    const open = this.next(true);
    if (open.tok !== Tok.OpenPar) throw new SelectorSyntaxError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.peek(true);
    if (tok === Tok.ClosePar) {
      this.next(true);
      return [''];
    }
    if (tok !== Tok.Identifier && tok !== Tok.Comma) {
      throw new SelectorSyntaxError(`found '${lit}', expected: ',', ')' or identifier`);
    }
    const values = this.identifierList();
    if (this.next(true).tok !== Tok.ClosePar) throw new SelectorSyntaxError(`found '${lit}', expected: ')'`);
    return values;
  }

  private identifierList(): string[] {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.next(true);
      if (tok === Tok.Identifier) {
        s.add(lit);
        const la = this.peek(true);
        if (la.tok === Tok.Comma) continue;
        if (la.tok === Tok.ClosePar) return [...s];
        throw new SelectorSyntaxError(`found '${la.lit}', expected: ',' or ')'`);
      } else if (tok === Tok.Comma) {
        // `(,a)`, `(a,)` and `(a,,b)` all carry an empty value.
        if (s.size === 0) s.add('');
        const la = this.peek(true).tok;
        if (la === Tok.ClosePar) {
          s.add('');
          return [...s];
        }
        if (la === Tok.Comma) {
          this.next(true);
          s.add('');
        }
      } else {
        throw new SelectorSyntaxError(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  private exactValue(): string[] {
    const la = this.peek(true).tok;
    if (la === Tok.End || la === Tok.Comma) return [''];
    const { tok, lit } = this.next(true);
    if (tok === Tok.Identifier) return [lit];
    throw new SelectorSyntaxError(`found '${lit}', expected: identifier`);
  }
}

/** Go's `strconv.ParseInt(s, 10, 64)`, or undefined when it would fail. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v > 9223372036854775807n || v < -9223372036854775808n ? undefined : v;
}

/** `NewRequirement`'s value checks, aggregated as the server's error list prints them. */
function validated(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errs: string[] = [];
  if (operator === 'gt' || operator === 'lt') {
    values.forEach((v, i) => {
      if (parseInt64(v) === undefined) {
        errs.push(
          `values[${i}]: Invalid value: ${goQuote(v)}: for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      }
    });
  }
  values.forEach((v, i) => {
    const e = isValidLabelValue(v);
    if (e.length > 0) errs.push(`values[${i}][${key}]: Invalid value: ${goQuote(v)}: ${e.join('; ')}`);
  });
  const unique = [...new Set(errs)];
  if (unique.length === 1) throw new SelectorSyntaxError(unique[0]);
  if (unique.length > 1) throw new SelectorSyntaxError(`[${unique.join(', ')}]`);
  return { key, operator, values };
}

function requirementMatches(
  r: LabelRequirement,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value ?? '');
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value ?? '');
    case 'exists':
      return has;
    case '!':
      return !has;
  }
  // gt and lt: both sides must be integers.
  if (!has) return false;
  const lv = parseInt64(value ?? '');
  const rv = parseInt64(r.values[0] ?? '');
  if (lv === undefined || rv === undefined || r.values.length !== 1) return false;
  return r.operator === 'gt' ? lv > rv : lv < rv;
}

function requirementString(r: LabelRequirement): string {
  const vals = r.values.join(',');
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
      return `${r.key} in (${vals})`;
    case 'notin':
      return `${r.key} notin (${vals})`;
    case 'gt':
      return `${r.key}>${vals}`;
    case 'lt':
      return `${r.key}<${vals}`;
    default:
      return `${r.key}${r.operator}${vals}`;
  }
}

/** A selector over already-validated requirements (sorted by key, as the server sorts them). */
export function labelSelectorOf(requirements: readonly LabelRequirement[]): LabelSelector & {
  readonly requirements: readonly LabelRequirement[];
} {
  const reqs = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    empty: reqs.length === 0,
    requirements: reqs,
    matches: (labels) => reqs.every((r) => requirementMatches(r, labels)),
    toString: () => reqs.map(requirementString).join(','),
  };
}

/**
 * Parses `labelSelector` text (`a=b,c in (d,e),!f,g>3`). Throws a 400 `StatusError` whose message is the
 * server's parser error, e.g. `unable to parse requirement: found '', expected: in, notin, =, ==, !=, gt, lt`.
 */
export function parseLabelSelector(
  text: string,
): LabelSelector & { readonly requirements: readonly LabelRequirement[] } {
  try {
    return labelSelectorOf(new Parser(lex(text)).parse());
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw badRequest(e.message);
    throw e;
  }
}
