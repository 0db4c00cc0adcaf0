/**
 * Field selector parsing with the grammar and messages of apimachinery's `fields.ParseSelector`
 * (terms split on unescaped commas, operators `!=`, `==`, `=`, values with `\` escapes).
 * Start with {@link parseFieldSelector}; matching against objects lives in `fieldGetters.ts`.
 */
import { badRequest } from '../errors/status.js';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  readonly empty: boolean;
  readonly requirements: readonly FieldRequirement[];
}

/** Splits on commas that are not escaped with a backslash. */
function splitTerms(text: string): string[] {
  if (text.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** The first operator found scanning left to right; at one position `!=` wins over `==` over `=`. */
function splitTerm(term: string): [string, '!=' | '==' | '=', string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, i.e. as its number.
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Parses `fieldSelector` text (`metadata.name=x,status.phase!=Running`); throws a 400 on bad syntax. */
export function parseFieldSelector(text: string): FieldSelector {
  // The server sorts the terms before parsing, so the first bad term in sorted order is the one reported.
  const parts = splitTerms(text).sort();
  const requirements: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (split === undefined) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const [field, op, rhs] = split;
    requirements.push({ field, operator: op === '!=' ? '!=' : '=', value: unescapeValue(rhs) });
  }
  return { empty: requirements.length === 0, requirements };
}

const esc = (v: string): string => v.replace(/[\\,=]/g, (c) => `\\${c}`);

/** The canonical text of a selector (values escaped again), as the server prints it. */
export function fieldSelectorString(selector: FieldSelector): string {
  return selector.requirements
    .map((r) => `${r.field}${r.operator === '=' ? '=' : '!='}${esc(r.value)}`)
    .join(',');
}
